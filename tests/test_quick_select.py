"""QuickSelect (delivery_unit.forms) writes the same select as Django's own widget."""

import re

import pytest
from django import forms

from delivery_unit.forms import QuickSelect


def _same_shape(html: str) -> str:
    """Django's templates put line breaks and indents between the options: not a difference."""
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [
    ("", "Choose a priority"),
    (1, "Temporary Accommodation"),
    (2, 'Children\'s "social" care & <safety>'),
    ("Group", [(3, "Recycling"), (4, "Council tax")]),
]


@pytest.mark.parametrize("value", [None, "", 2, 4])
def test_the_quick_select_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_priority", "class": "govuk-select", "aria-describedby": "hint"}
    django = forms.Select(choices=CHOICES).render("priority", value, attrs=attrs)
    quick = QuickSelect(choices=CHOICES).render("priority", value, attrs=attrs)
    assert _same_shape(quick) == _same_shape(django)
    assert "&lt;safety&gt;" in quick and "&quot;social&quot;" in quick


def test_the_stocktakes_add_form_uses_it(stocktake):
    from stocktakes.forms import AgendaAddForm

    form = AgendaAddForm(stocktake=stocktake)
    assert isinstance(form.fields["priority"].widget, QuickSelect)
    html = str(form["priority"])
    assert html.startswith('<select name="priority"')
    assert '<option value="" selected>Choose a priority</option>' in html
