"""Every edit in the history: each model a person can edit keeps who, when, before and after,
and the priority's and indicator's pages show the changes."""

import importlib
import inspect
from decimal import Decimal

from django import forms
from django.core.management import call_command
from django.urls import reverse
from simple_history.manager import HistoryManager

from delivery_unit.models import User
from plans.models import DeliveryPlan
from priorities.indicators.models import Indicator
from priorities.models import Priority
from reviews.models import Evidence, TeamMember
from stocktakes.models import Action, AgendaItem, Stocktake

FORM_MODULES = [
    "delivery_unit.forms",
    "priorities.forms",
    "priorities.rounds.forms",
    "assessment.forms",
    "assessment.framework_forms",
    "plans.forms",
    "reviews.forms",
    "stocktakes.forms",
]
# Edited through plain forms or model methods rather than a ModelForm: the priority and its
# indicators, a plan's writers, a review's team, a person's role, a stocktake's details, its
# agenda and actions, a review's evidence.
EDITED_WITHOUT_A_MODEL_FORM = [
    Priority,
    Indicator,
    DeliveryPlan,
    TeamMember,
    User,
    Stocktake,
    AgendaItem,
    Action,
    Evidence,
]


def keeps_history(model) -> bool:
    return isinstance(getattr(model, "history", None), HistoryManager)


def test_every_model_with_an_edit_form_keeps_its_history():
    models = set(EDITED_WITHOUT_A_MODEL_FORM)
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.ModelForm) and form_class is not forms.ModelForm:
                meta = getattr(form_class, "Meta", None)
                if getattr(meta, "model", None) is not None:
                    models.add(meta.model)
    assert len(models) > len(EDITED_WITHOUT_A_MODEL_FORM)
    missing = sorted(m.__name__ for m in models if not keeps_history(m))
    assert missing == [], f"No history kept for {missing}"


def test_a_plans_writers_keep_who_added_and_removed_them(
    client_for, priority, priority_lead, other_lead
):
    url = reverse("plans:writers", kwargs={"slug": priority.slug})
    client = client_for(priority_lead)
    client.post(url, {"add": "", "writer": other_lead.pk})
    client.post(url, {"remove": other_lead.pk})
    records = list(priority.plan.history.order_by("history_date"))
    writers = [sorted(w.user_id for w in record.writers.all()) for record in records]
    assert writers[-2:] == [[other_lead.pk], []]
    assert {record.history_user for record in records[-2:]} == {priority_lead}


def test_an_indicator_edit_is_shown_with_its_before_and_after(client_for, indicator, unit_staff):
    indicator.tolerance = Decimal("2.5")
    indicator._history_user = unit_staff
    indicator.save()
    page = client_for(unit_staff).get(indicator.get_absolute_url()).content.decode()
    assert "Changes to this indicator" in page
    assert "Tolerance" in page
    assert "2.5" in page


def test_a_priority_edit_is_shown_on_its_page(client_for, priority, unit_staff, other_lead):
    url = reverse("priorities:edit", kwargs={"slug": priority.slug})
    client = client_for(unit_staff)
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {"lead": other_lead.pk, "version": priority.version, "status": priority.status}
    data |= {"title": priority.title, "aspiration": priority.aspiration}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "Changes to this priority" in page
    assert "Lead: Lead → Lead2" in page
    record = priority.history.order_by("-history_date").first()
    assert record.history_user == unit_staff


def test_a_persons_role_change_is_kept(db, unit_staff):
    call_command("set_role", unit_staff.username, "leadership")
    roles = [r.role for r in User.history.filter(id=unit_staff.pk).order_by("history_date")]
    assert roles[-2:] == ["unit_staff", "leadership"]
