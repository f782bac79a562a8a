"""The assessment framework as an administrator edits it: every edit, added area and retired area
makes a new version; earlier versions, and the rounds rated against them, read as they were."""

import threading
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.framework_forms import FrameworkForm
from assessment.models import AreaSpec, Framework, JudgementArea, Level
from delivery_unit.versioning import Stale
from plans.default_criteria import KIND as PLAN_CRITERIA
from priorities.default_framework import KIND as PRIORITY_FRAMEWORK
from priorities.rounds.models import Round

PRIORITY = PRIORITY_FRAMEWORK
FRAMEWORK_URL = reverse("framework:framework", kwargs={"kind": "priority"})
EDIT_URL = reverse("framework:edit", kwargs={"kind": "priority"})
ADD_URL = reverse("framework:add_area", kwargs={"kind": "priority"})
GREEN_GUIDANCE = "capacity-green-guidance"


def ensure_default_framework() -> None:
    """The default framework, as its data migration loads it. Tests on a live database (the
    browser's, and two administrators at once) need it put back: each of them ends by emptying
    every table, migration data included. (serialized_rollback cannot restore it once
    Playwright's event loop runs on the test thread: Django then hands out a connection of
    another context, without the serialised copy.)"""
    if Framework.objects.current(PRIORITY) is None:
        migration = import_module("priorities.migrations.0006_default_framework")
        migration.load_default_framework(apps, None)


def retire_url(key: str, kind: str = "priority") -> str:
    return reverse("framework:retire_area", kwargs={"kind": kind, "key": key})


def version_url(number: int, kind: str = "priority") -> str:
    return reverse("framework:version", kwargs={"kind": kind, "number": number})


def current() -> Framework:
    return Framework.objects.current(PRIORITY)


def edit_data(framework: Framework | None = None, **changes: str) -> dict[str, str]:
    """What the edit page posts as it was served, with ``changes`` typed in (field names with
    underscores for hyphens: capacity_green_guidance)."""
    framework = framework or current()
    data = {name: str(value) for name, value in FrameworkForm(framework=framework).initial.items()}
    data["note"] = "Clearer guidance."
    for name, value in changes.items():
        data[name if name in data else name.replace("_", "-")] = value
    return data


def guidance(framework: Framework, key: str, value: str) -> str:
    return Level.objects.get(area__framework=framework, area__key=key, value=value).guidance


def new_area(**changes: str) -> dict[str, str]:
    data = {
        "name": "Value for money",
        "scale": "likelihood",
        "description": "Whether the priority's spending buys the outcome.",
        "questions": "Is spending tracked against the trajectory?\nAre unit costs known?",
        "is_overall": "False",
        "version": str(current().number),
    }
    for value, label in [
        ("red", "Red"),
        ("amber_red", "Amber-red"),
        ("amber_green", "Amber-green"),
        ("green", "Green"),
    ]:
        data[f"likelihood-{value}-label"] = label
        data[f"likelihood-{value}-guidance"] = f"{label}: what value for money looks like."
    return data | changes


def errors(response) -> list[str]:
    form = response.context["form"]
    return [error for field_errors in form.errors.values() for error in field_errors]


# Reading


@pytest.mark.parametrize(
    "role", ["unit_staff", "priority_lead", "other_lead", "leadership", "administrator"]
)
def test_everyone_signed_in_reads_every_area_with_its_scale_questions_and_guidance(
    db, role, request, client_for
):
    response = client_for(request.getfixturevalue(role)).get(FRAMEWORK_URL)

    assert response.status_code == 200
    page = response.content.decode()
    for area in current().ordered_areas():
        assert area.name in page
        for question in area.question_list():
            assert question.replace("'", "&#x27;") in page
        for level in area.levels.all():
            assert level.label in page
            assert level.guidance.replace("'", "&#x27;") in page
    assert "Scale: Red, Amber-red, Amber-green, Green" in page
    assert "Version 1" in page
    assert "The default framework of the delivery method." in page


def test_anonymous_is_sent_to_sign_in(db, client):
    response = client.get(FRAMEWORK_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [
        "/assessment/framework/plan/versions/99/",
        "/assessment/framework/nonsense/",
        "/assessment/framework/nonsense/edit/",
        "/assessment/framework/priority/versions/2/",
        "/assessment/framework/priority/versions/0/",
        "/assessment/framework/priority/versions/99999999999999999999/",
        "/assessment/framework/priority/areas/no-such-area/retire/",
    ],
)
def test_a_kind_or_version_or_area_that_does_not_exist_is_not_found(url, administrator, client_for):
    assert client_for(administrator).get(url).status_code == 404


def test_only_administrators_see_the_edit_links(unit_staff, administrator, client_for):
    staff_page = client_for(unit_staff).get(FRAMEWORK_URL).content.decode()
    admin_page = client_for(administrator).get(FRAMEWORK_URL).content.decode()

    for text in [EDIT_URL, ADD_URL, retire_url("stage"), "Assessment framework</a></li>"]:
        assert text not in staff_page
        assert text in admin_page
    # The overall judgement is never offered for retiring.
    assert retire_url("likelihood") not in admin_page


# Who may change it


@pytest.mark.parametrize("role", ["unit_staff", "priority_lead", "leadership"])
@pytest.mark.parametrize(
    ("url", "data"),
    [
        (EDIT_URL, None),
        (ADD_URL, None),
        (retire_url("stage"), None),
        (EDIT_URL, "edit"),
        (ADD_URL, "add"),
        (retire_url("stage"), "retire"),
    ],
)
def test_only_administrators_change_the_framework(db, role, url, data, request, client_for):
    client = client_for(request.getfixturevalue(role))
    posted = {
        "edit": lambda: edit_data(capacity_green_guidance="Changed."),
        "add": new_area,
        "retire": lambda: {"reason": "Not needed.", "version": "1"},
    }
    response = client.get(url) if data is None else client.post(url, posted[data]())

    assert response.status_code == 403
    assert Framework.objects.filter(kind=PRIORITY).count() == 1


# Editing


def test_an_edit_makes_a_new_version_and_leaves_the_old_one_as_it_was(administrator, client_for):
    before = current()
    old_guidance = guidance(before, "capacity", "green")
    client = client_for(administrator)

    response = client.post(
        EDIT_URL,
        edit_data(
            capacity_green_guidance="Every link of the chain is engaged.\r\nLeaders drive it.",
            stage_name="Stage of delivery reached",
            planning_questions="Is the challenge understood?",
            note="Sharper guidance for Green capacity.",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == FRAMEWORK_URL
    after = current()
    assert after.number == 2
    assert after.created_by == administrator
    assert after.note == "Sharper guidance for Green capacity."
    assert guidance(after, "capacity", "green") == (
        "Every link of the chain is engaged.\nLeaders drive it."
    )
    assert after.areas.get(key="stage").name == "Stage of delivery reached"
    assert [a.key for a in after.ordered_areas()] == [a.key for a in before.ordered_areas()]
    page = client.get(FRAMEWORK_URL).content.decode()
    assert "Version 2 saved." in page
    assert "Leaders drive it." in page
    assert "Sharper guidance for Green capacity." in page
    # The old version is untouched, and still reads as it was.
    assert guidance(before, "capacity", "green") == old_guidance
    assert before.areas.get(key="stage").name == "Stage of delivery"
    old_page = client.get(version_url(1)).content.decode()
    assert old_guidance in old_page
    assert "Leaders drive it." not in old_page
    assert "This is an earlier version" in old_page
    new_page = client.get(version_url(2)).content.decode()
    assert "Capacity to drive progress: guidance for Green" in new_page
    assert "This is the current version." in new_page


def test_a_level_s_words_can_change_while_its_value_stays(administrator, client_for):
    client_for(administrator).post(EDIT_URL, edit_data(stage_4_label="Embedded"))

    level = Level.objects.get(area__framework=current(), area__key="stage", value="4")
    assert (level.label, level.position) == ("Embedded", 4)


def test_an_edit_that_changes_nothing_makes_no_version(administrator, client_for):
    client = client_for(administrator)
    data = edit_data()
    # Browsers post textareas with CRLF line ends: that is not a change.
    data["planning-questions"] = data["planning-questions"].replace("\n", "\r\n") + "  "

    response = client.post(EDIT_URL, data, follow=True)

    assert Framework.objects.filter(kind=PRIORITY).count() == 1
    assert "Nothing changed, so no new version was made." in response.content.decode()


def test_rounds_keep_the_version_they_were_rated_against(
    administrator, unit_staff, priority, client_for
):
    round_ = Round.open_round(name="November", date=date(2026, 11, 1), by=unit_staff)
    old_guidance = guidance(current(), "capacity", "green")

    client_for(administrator).post(EDIT_URL, edit_data(capacity_green_guidance="New words."))
    client_for(administrator).post(
        retire_url("stage"), {"reason": "Not used.", "version": str(current().number)}
    )

    round_.refresh_from_db()
    assert round_.framework.number == 1
    scorecard = round_.entries.get().scorecard
    keys = [judgement.area.key for judgement in scorecard.ordered_judgements()]
    assert "stage" in keys
    capacity = scorecard.judgement_for("capacity").area
    assert capacity.level("green").guidance == old_guidance
    assert current().number == 3
    assert not current().areas.filter(key="stage").exists()


# Bad input


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"challenge_name": "  "}, "Enter a name for the area that was Degree of challenge"),
        (
            {"stage_name": "Capacity to drive progress"},
            "Enter a different name: another area is called Capacity to drive progress",
        ),
        ({"likelihood_green_label": ""}, "Enter the words for Green in likelihood of delivery"),
        (
            {"likelihood_green_label": "amber-green"},
            "Enter different words for Green in likelihood of delivery: "
            "Amber-green already says “amber-green”",
        ),
        (
            {"capacity_red_guidance": "\r\n"},
            "Enter the guidance for Red in capacity to drive progress",
        ),
        ({"note": " "}, "Enter what changed"),
        ({"challenge_name": "x" * 201}, "Name must be 200 characters or fewer"),
        ({"stage_1_label": "x" * 61}, "Words must be 60 characters or fewer"),
        (
            {"planning_description": "x" * 5001},
            "Description must be 5,000 characters or fewer",
        ),
        ({"version": ""}, "This page is out of date. Reload it and make your change again"),
        ({"version": "seven"}, "This page is out of date. Reload it and make your change again"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    changes, message, administrator, client_for
):
    data = edit_data(capacity_green_guidance="A real change.", **changes)

    response = client_for(administrator).post(EDIT_URL, data)

    assert response.status_code == 422
    assert message in errors(response)
    page = response.content.decode()
    assert "There is a problem" in page
    assert Framework.objects.filter(kind=PRIORITY).count() == 1
    # What was typed stays in the form.
    assert "A real change." in page


EDIT_FIELDS = [
    "challenge-name",
    "planning-description",
    "planning-questions",
    "capacity-green-label",
    "capacity-green-guidance",
    "stage-1-label",
    "likelihood-red-guidance",
    "note",
    "version",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(EDIT_FIELDS),
        st.one_of(st.text(max_size=80), st.text(max_size=5100), st.none()),
    )
)
def test_fuzzed_edits_never_fail_and_bad_ones_save_nothing(administrator, client_for, fuzz):
    framework = current()
    before = Framework.objects.filter(kind=PRIORITY).count()
    data = edit_data(framework)
    for name, value in fuzz.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value

    response = client_for(administrator).post(EDIT_URL, data)

    assert response.status_code in {302, 409, 422}
    if response.status_code == 302:
        assert Framework.objects.filter(kind=PRIORITY).count() in {before, before + 1}
    else:
        assert Framework.objects.filter(kind=PRIORITY).count() == before
        assert "There is a problem" in response.content.decode()


# Two administrators at once


def test_a_stale_edit_is_refused_keeping_what_was_typed_and_showing_the_other_change(
    administrator, client_for
):
    other = type(administrator).objects.create(
        username="admin2", role=administrator.role, first_name="Sam"
    )
    opened = edit_data(note="Mine.")  # the first administrator opens the page on version 1
    client_for(other).post(
        EDIT_URL, edit_data(capacity_green_guidance="Their guidance.", note="Theirs.")
    )
    mine = dict(opened)
    mine["stage-4-guidance"] = "My guidance for stage 4."

    response = client_for(administrator).post(EDIT_URL, mine)

    assert response.status_code == 409
    assert Framework.objects.filter(kind=PRIORITY).count() == 2
    page = response.content.decode()
    assert "Sam saved version 2 of the framework while you were working" in page
    form = response.context["form"]
    assert form["stage-4-guidance"].value() == "My guidance for stage 4."
    assert form["note"].value() == "Mine."
    assert form["version"].value() == "2"
    # Their change is carried into the form (saving again does not undo it) and shown below.
    assert form["capacity-green-guidance"].value() == "Their guidance."
    assert ("Capacity to drive progress: guidance for Green", "Their guidance.") in (
        response.context["theirs"]
    )

    # Saving the form as shown keeps both changes.
    again = {name: str(form[name].value() or "") for name in form.fields}
    assert client_for(administrator).post(EDIT_URL, again).status_code == 302
    assert current().number == 3
    assert guidance(current(), "capacity", "green") == "Their guidance."
    assert guidance(current(), "stage", "4") == "My guidance for stage 4."


def test_revising_a_version_that_is_no_longer_current_is_refused(administrator):
    first, second = current(), current()
    first.revise(areas=first.specs()[:-2] + first.specs()[-1:], note="One.", by=administrator)

    with pytest.raises(Stale) as refused:
        second.revise(areas=second.specs(), note="Two.", by=administrator)

    assert refused.value.current.number == 2


@pytest.mark.django_db(transaction=True)
def test_two_administrators_saving_at_once_one_is_told_and_nothing_is_lost(administrator):
    """The first holds version 1 locked while the second tries: once the first commits, the
    second is refused as stale (not a crash on the unique version number)."""
    ensure_default_framework()
    framework = current()
    specs = framework.specs()
    specs[0].name = "Second's name"
    outcome: list = []
    waiting = threading.Event()

    def second_administrator() -> None:
        try:
            waiting.set()
            current().revise(areas=specs, note="Second.", by=administrator)
            outcome.append("saved")
        except Stale as stale:
            outcome.append(stale.current.number)
        finally:
            connection.close()

    with transaction.atomic():
        Framework.objects.select_for_update().get(pk=framework.pk)
        thread = threading.Thread(target=second_administrator)
        thread.start()
        waiting.wait()
        thread.join(timeout=0.5)  # it is waiting on the lock
        assert thread.is_alive()
        Framework.objects.create(kind=PRIORITY, number=2, note="First.", created_by=administrator)
    thread.join(timeout=10)

    assert outcome == [2]
    assert Framework.objects.filter(kind=PRIORITY).count() == 2


# Adding an area


def test_an_added_area_makes_a_version_with_it_before_the_overall_judgement(
    administrator, client_for
):
    response = client_for(administrator).post(ADD_URL, new_area())

    assert response.status_code == 302
    after = current()
    assert after.number == 2
    assert after.note == "Added Value for money."
    keys = [area.key for area in after.ordered_areas()]
    assert keys == ["challenge", "planning", "capacity", "stage", "value-for-money", "likelihood"]
    area = after.areas.get(key="value-for-money")
    assert area.question_list() == [
        "Is spending tracked against the trajectory?",
        "Are unit costs known?",
    ]
    assert [(level.label, level.position) for level in area.levels.order_by("position")] == [
        ("Red", 1),
        ("Amber-red", 2),
        ("Amber-green", 3),
        ("Green", 4),
    ]
    assert area.level("green").guidance == "Green: what value for money looks like."
    assert (
        not Framework.objects.get(kind=PRIORITY, number=1)
        .areas.filter(key="value-for-money")
        .exists()
    )


def test_an_added_area_s_key_is_never_one_an_earlier_version_used(administrator, client_for):
    client = client_for(administrator)
    client.post(retire_url("stage"), {"reason": "Replaced.", "version": "1"})

    client.post(ADD_URL, new_area(name="Stage", scale="stage", version="2") | stage_levels())

    assert current().areas.filter(key="stage-2", name="Stage").exists()


def test_a_name_with_no_latin_letters_still_gets_a_key(administrator, client_for):
    client_for(administrator).post(ADD_URL, new_area(name="数据质量"))

    assert current().areas.filter(key="area", name="数据质量").exists()


def stage_levels() -> dict[str, str]:
    return {
        **{f"stage-{n}-label": f"Stage {n}" for n in range(1, 5)},
        **{f"stage-{n}-guidance": f"What stage {n} looks like." for n in range(1, 5)},
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter a name for the area"),
        (
            {"name": "capacity to drive progress"},
            "Enter a different name: another area is called capacity to drive progress",
        ),
        ({"scale": ""}, "Select the scale the area is rated on"),
        ({"scale": "colour"}, "Select one of the scales shown"),
        (
            {"is_overall": "True"},
            "Select No: Likelihood of delivery is already the overall judgement",
        ),
        (
            {"likelihood-amber_red-guidance": ""},
            "Enter the guidance for Amber-red in value for money",
        ),
        ({"likelihood-green-label": ""}, "Enter the words for Green in value for money"),
        ({"version": "0"}, "This page is out of date. Reload it and make your change again"),
    ],
)
def test_a_bad_new_area_is_refused_with_a_message_and_changes_nothing(
    changes, message, administrator, client_for
):
    response = client_for(administrator).post(ADD_URL, new_area(**changes))

    assert response.status_code == 422
    assert message in errors(response)
    assert Framework.objects.filter(kind=PRIORITY).count() == 1


def test_only_the_chosen_scale_s_levels_are_needed(administrator, client_for):
    data = {k: v for k, v in new_area(scale="stage").items() if not k.startswith("likelihood-")}

    response = client_for(administrator).post(ADD_URL, data | stage_levels())

    assert response.status_code == 302
    assert current().areas.get(key="value-for-money").scale == "stage"


def test_an_area_added_on_a_stale_page_is_refused_keeping_what_was_typed(administrator, client_for):
    client = client_for(administrator)
    client.post(EDIT_URL, edit_data(capacity_green_guidance="Changed meanwhile."))

    response = client.post(ADD_URL, new_area(version="1"))

    assert response.status_code == 409
    assert Framework.objects.filter(kind=PRIORITY).count() == 2
    assert response.context["form"]["name"].value() == "Value for money"
    assert response.context["form"]["version"].value() == "2"
    assert "saved version 2 of the framework while you were working" in (response.content.decode())


# Retiring an area


def test_retiring_asks_first_then_makes_a_version_without_the_area(administrator, client_for):
    client = client_for(administrator)

    confirm = client.get(retire_url("stage"))
    assert confirm.status_code == 200
    assert "Retire Stage of delivery" in confirm.content.decode()
    assert Framework.objects.filter(kind=PRIORITY).count() == 1

    response = client.post(retire_url("stage"), {"reason": "Folded into planning.", "version": "1"})

    assert response.status_code == 302
    after = current()
    assert after.number == 2
    assert after.note == "Retired Stage of delivery: Folded into planning."
    assert [a.key for a in after.ordered_areas()] == [
        "challenge",
        "planning",
        "capacity",
        "likelihood",
    ]
    assert Framework.objects.get(kind=PRIORITY, number=1).areas.filter(key="stage").exists()
    assert client.get(version_url(1)).content.decode().count("Stage of delivery") >= 1
    assert client.get(retire_url("stage")).status_code == 404


def test_retiring_needs_a_reason(administrator, client_for):
    response = client_for(administrator).post(retire_url("stage"), {"reason": "  ", "version": "1"})

    assert response.status_code == 422
    assert errors(response) == ["Enter why the area is retired"]
    assert Framework.objects.filter(kind=PRIORITY).count() == 1


def test_the_overall_judgement_cannot_be_retired(administrator, client_for):
    client = client_for(administrator)

    page = client.get(retire_url("likelihood"))
    assert page.status_code == 200
    assert "cannot be retired" in page.content.decode()
    response = client.post(retire_url("likelihood"), {"reason": "Try.", "version": "1"})

    assert response.status_code == 409
    assert Framework.objects.filter(kind=PRIORITY).count() == 1


def test_retiring_on_a_stale_page_is_refused(administrator, client_for):
    client = client_for(administrator)
    client.post(EDIT_URL, edit_data(capacity_green_guidance="Changed meanwhile."))

    response = client.post(retire_url("stage"), {"reason": "Not used.", "version": "1"})

    assert response.status_code == 409
    assert Framework.objects.filter(kind=PRIORITY).count() == 2
    assert response.context["form"]["reason"].value() == "Not used."
    assert current().areas.filter(key="stage").exists()


# The plan criteria use the same pages


@pytest.fixture
def plan_criteria(db) -> Framework:
    """The plans app loads its criteria as version 1; these replace them as version 2."""
    framework = Framework.objects.current(PLAN_CRITERIA)
    return framework.revise(
        areas=[
            AreaSpec(
                key="delivery-chain",
                name="The delivery chain",
                scale="likelihood",
                labels={},
                guidance={"red": "Unknown.", "green": "Every link known."},
            ),
            AreaSpec(key="overall", name="Overall", scale="likelihood", is_overall=True),
        ],
        note="Criteria.",
        by=None,
    )


def test_the_plan_criteria_are_read_and_edited_on_the_same_pages(
    plan_criteria, administrator, client_for
):
    client = client_for(administrator)
    url = reverse("framework:framework", kwargs={"kind": "plan"})
    assert "Every link known." in client.get(url).content.decode()
    data = edit_data(
        plan_criteria,
        **{
            "delivery-chain-amber_red-guidance": "Partly known.",
            "delivery-chain-amber_green-guidance": "Mostly known.",
            "overall-red-guidance": "Poor.",
            "overall-amber_red-guidance": "Weak.",
            "overall-amber_green-guidance": "Fair.",
            "overall-green-guidance": "Good.",
        },
    )

    response = client.post(reverse("framework:edit", kwargs={"kind": "plan"}), data)

    assert response.status_code == 302
    plan = Framework.objects.current(PLAN_CRITERIA)
    assert plan.number == 3
    assert guidance(plan, "overall", "green") == "Good."
    assert current().number == 1  # the priority framework is another kind, untouched


# Performance


def test_the_framework_page_loads_in_the_same_queries_however_many_areas(administrator, client_for):
    client = client_for(administrator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FRAMEWORK_URL).status_code == 200
        return len(captured)

    small = queries()
    framework = current()
    extra = [AreaSpec(key=f"extra-{n}", name=f"Extra {n}", scale="challenge") for n in range(12)]
    current().revise(areas=framework.specs() + extra, note="More.", by=administrator)
    assert JudgementArea.objects.filter(framework=current()).count() == 17

    assert queries() == small
    # The session and user, the version with its author, its areas, their levels, the list of
    # versions; and the session saved again (sessions end after inactivity).
    assert small <= 9
