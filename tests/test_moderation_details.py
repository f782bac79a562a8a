"""The moderation grid and each cell's details: the grid shows every rating, its change and its
challenges; a cell's rationale, the reason it changed, the last agreed rating and the challenge
log are read only when the cell is opened (htmx fetches them; without JavaScript, a link)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from priorities.rounds.models import Round
from priorities.rounds.moderation import moderation_rows
from tests.conftest import make_round

SLUG = "temporary-accommodation"


@pytest.fixture
def moderated(unit_leader, priority, other_priority) -> Round:
    """Rated Red last round, Amber-green now, and challenged down to Amber-red by the panel."""
    make_round({priority: "red", other_priority: "green"}, by=unit_leader, day=date(2026, 9, 1))
    round_ = make_round(
        {priority: "amber_green", other_priority: "green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    entry = round_.entries.get(priority=priority)
    judgement = entry.scorecard.judgements.select_related("area").get(area__key="likelihood")
    entry.challenge(
        judgement,
        level="amber_red",
        reason="Too generous beside Recycling.",
        by=unit_leader,
        seen="amber_green",
    )
    return round_


def cell_url(round_: Round, slug: str = SLUG, key: str = "likelihood") -> str:
    return reverse("assessment:moderation_cell", args=[round_.pk, slug, key])


def test_the_grid_links_each_cell_to_its_details_without_their_text(
    client_for, unit_staff, moderated
):
    response = client_for(unit_staff).get(reverse("assessment:moderation", args=[moderated.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    # What the grid shows of each cell stays.
    assert "Up from Red" in html
    assert 'app-challenged">Challenged</strong>' in html
    assert "1 challenge<" in html
    assert ">Challenge<span" in html
    assert (
        'Rationale<span class="govuk-visually-hidden"> on likelihood of delivery, '
        "Temporary Accommodation</span>" in html
    )
    # The details' text is not in the page: neither rationale, reason, nor the challenge log.
    assert "Why likelihood of delivery is" not in html
    assert "The data moved." not in html
    assert "Too generous beside Recycling." not in html
    # In its place, a link to the cell's page, which htmx fetches once the details open.
    url = escape(cell_url(moderated))
    assert f'hx-get="{url}" hx-trigger="toggle once"' in html
    assert (
        f'<a class="govuk-link" href="{url}">Read the rationale<span class="govuk-visually-hidden">'
        " on likelihood of delivery for Temporary Accommodation</span></a>" in html
    )
    assert html.count(">Read the rationale<") == 2 * 5


def test_a_cell_shows_its_rationale_change_last_agreed_and_challenge_log(
    client_for, unit_staff, moderated
):
    response = client_for(unit_staff).get(cell_url(moderated))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Rationale on likelihood of delivery: Temporary Accommodation" in html
    assert f'href="{reverse("assessment:moderation", args=[moderated.pk])}"' in html
    assert 'class="govuk-back-link"' in html
    assert "Why likelihood of delivery is amber_green." in html
    assert "Why it changed: The data moved." in html
    assert "Last agreed: Red. Why likelihood of delivery is red." in html
    assert "Challenged in moderation by Unitlead" in html
    assert "Amber-green to Amber-red. Too generous beside Recycling." in html


def test_a_cell_for_htmx_is_the_details_alone(client_for, unit_staff, moderated):
    response = client_for(unit_staff).get(cell_url(moderated), headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Why likelihood of delivery is amber_green." in html
    assert "Too generous beside Recycling." in html
    assert "<html" not in html
    assert "govuk-header" not in html
    assert "<h1" not in html
    assert "govuk-back-link" not in html
    # The page and its partial share a URL: caches must tell them apart.
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("who", ["priority_lead", "other_lead", "leadership"])
def test_a_cell_of_a_round_in_moderation_is_not_found_for_those_outside_the_unit(
    client_for, request, moderated, who
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("assessment:moderation", args=[moderated.pk])).status_code == 404
    assert client.get(cell_url(moderated)).status_code == 404
    htmx = client.get(cell_url(moderated), headers={"HX-Request": "true"})
    assert htmx.status_code == 404
    assert b"Too generous" not in htmx.content


def test_a_cell_of_an_agreed_round_is_read_by_everyone_signed_in(
    client_for, unit_leader, leadership, moderated
):
    moderated.agree(by=unit_leader)
    response = client_for(leadership).get(cell_url(moderated))
    assert response.status_code == 200
    assert "Too generous beside Recycling." in response.content.decode()


def test_a_cell_of_a_missing_area_or_a_priority_left_out_is_not_found(
    client_for, unit_staff, unit_leader, priority, other_priority
):
    round_ = Round.open_round(name="December", date=date(2026, 12, 1), by=unit_staff)
    round_.entries.get(priority=other_priority).exclude(reason="Paused.", by=unit_staff)
    client = client_for(unit_staff)
    assert client.get(cell_url(round_, key="no-such-area")).status_code == 404
    assert client.get(cell_url(round_, slug=other_priority.slug)).status_code == 404
    assert client.get(cell_url(round_)).status_code == 200


# The grid's rows are kept in the shared cache (priorities/rounds/moderation.py): what they show
# is the same as the rows rendered from the judgements, and follows every change at once.


def grid(client, round_: Round) -> str:
    html = client.get(reverse("assessment:moderation", args=[round_.pk])).content.decode()
    start = html.index('<tbody class="govuk-table__body">')
    return html[start : html.index("</tbody>", start)]


def test_the_kept_rows_are_the_rows_rendered_from_the_judgements(client_for, unit_staff, moderated):
    client = client_for(unit_staff)
    rendered = grid(client, moderated)
    assert grid(client, moderated) == rendered  # from the cache
    cache.clear()
    assert grid(client, moderated) == rendered
    assert rendered.count('<tr class="govuk-table__row">') == 2
    # In the order of the priorities' titles.
    assert rendered.index("Council tax collection") < rendered.index("Temporary Accommodation")


def test_a_challenge_and_a_proposal_show_in_the_kept_grid_at_once(
    client_for, unit_staff, unit_leader, moderated
):
    client = client_for(unit_staff)
    assert "Challenged 2 times" not in grid(client, moderated)
    entry = moderated.entries.get(priority__slug=SLUG)
    judgement = entry.scorecard.judgements.select_related("area").get(area__key="likelihood")
    entry.challenge(judgement, level="red", reason="Lower still.", by=unit_leader, seen="amber_red")
    assert "Challenged 2 times" in grid(client, moderated)
    # A draft entry reads "Not proposed yet" until it is proposed.
    other = moderated.entries.exclude(priority__slug=SLUG).get()
    type(other).objects.filter(pk=other.pk).update(status="draft")
    assert "Not proposed yet" in grid(client, moderated)


def test_a_reader_who_may_not_challenge_never_gets_the_challengers_rows(
    unit_staff, leadership, moderated
):
    challenger = "".join(moderation_rows(moderated, unit_staff)[2])
    reader = "".join(moderation_rows(moderated, leadership)[2])
    assert ">Challenge<span" in challenger
    assert ">Challenge<span" not in reader
    assert "Up from Red" in reader


def test_rows_read_after_an_entry_changed_status_are_shown_but_not_kept(
    monkeypatch, unit_staff, moderated
):
    """The rows are read after the list their key names: an entry withdrawn in between (which
    leaves no history record) must not be kept under the list that said it was proposed."""
    import priorities.rounds.moderation as moderation
    from priorities.rounds.models import RoundEntry

    entry = moderated.entries.get(priority__slug=SLUG)
    status = entry.status  # proposed, or moderated once challenged
    assert status in {"proposed", "moderated"}
    real_round_rows = moderation.round_rows

    def withdrawn_meanwhile(*args, **kwargs):
        RoundEntry.objects.filter(pk=entry.pk).update(status="draft")
        return real_round_rows(*args, **kwargs)

    monkeypatch.setattr(moderation, "round_rows", withdrawn_meanwhile)
    assert "Not proposed yet" in moderation_rows(moderated, unit_staff)[2]  # as read
    monkeypatch.setattr(moderation, "round_rows", real_round_rows)
    RoundEntry.objects.filter(pk=entry.pk).update(status=status)  # proposed again
    assert "Not proposed yet" not in moderation_rows(moderated, unit_staff)[2]
