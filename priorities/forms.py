import re
from decimal import Decimal, InvalidOperation
from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from delivery_unit.forms import DateInputField, WholeNumberField, id_formfield
from delivery_unit.models import Role, User
from delivery_unit.versioning import VersionedForm, version_field
from priorities.indicators.models import Indicator, Shape
from priorities.indicators.periods import Frequency, PeriodError, Periods, YearBasis
from priorities.models import Priority


def register_filter_helper() -> FormHelper:
    """The register's filters: a GET form, laid out in a row above the table."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Field.text("q", field_width=20),
        Field.select("status"),
        Field.select("lead"),
        Field.select("state"),
        Field.select("review"),
        Field.select("sort"),
        Submit("apply", "Apply filters", css_class="govuk-button--secondary"),
    )
    return helper


class PriorityForm(VersionedForm, forms.ModelForm):
    """Unit staff: every field of a priority."""

    version = version_field(required=False)
    start_date = DateInputField(label="Start date", required=False, require_all_fields=False)
    end_date = DateInputField(label="End date", required=False, require_all_fields=False)

    class Meta:
        formfield_callback = id_formfield
        model = Priority
        fields = [
            "title",
            "code",
            "aspiration",
            "status",
            "lead",
            "analyst",
            "portfolio_holder",
            "cabinet_member",
            "services",
            "service_staff",
            "start_date",
            "end_date",
        ]
        widgets = {
            "aspiration": forms.Textarea(attrs={"rows": 4}),
            "service_staff": forms.CheckboxSelectMultiple,
        }
        labels = {
            "code": "Short code",
            "portfolio_holder": "Cabinet member",
            "cabinet_member": "Cabinet member, if they have no account here",
        }
        error_messages = {
            "title": {"required": "Enter the priority's title"},
            "aspiration": {"required": "Enter the aspiration"},
            "code": {"unique": "Another priority already has this code"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leads = User.objects.filter(role=Role.PRIORITY_LEAD)
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = leads.order_by(
            "first_name", "last_name"
        )
        analysts = User.objects.filter(role=Role.UNIT_STAFF)
        cast(forms.ModelChoiceField, self.fields["analyst"]).queryset = analysts.order_by(
            "first_name", "last_name"
        )
        staff = User.objects.filter(
            role__in=[Role.SERVICE_STAFF, Role.PRIORITY_LEAD], is_active=True
        ).order_by("first_name", "last_name")
        cast(forms.ModelMultipleChoiceField, self.fields["service_staff"]).queryset = staff
        members = User.objects.filter(role=Role.CABINET_MEMBER, is_active=True)
        cast(forms.ModelChoiceField, self.fields["portfolio_holder"]).queryset = members.order_by(
            "last_name", "first_name"
        )
        self.fields["service_staff"].label = "Service staff who enter data"
        self.fields["code"].help_text = "Two or three capital letters, for example TA."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("code", field_width=5),
            Field.textarea("aspiration"),
            Field.select("status"),
            Field.select("lead"),
            Field.select("analyst"),
            Field.select("portfolio_holder"),
            Field.text("cabinet_member"),
            Field.text("services"),
            Field.checkboxes("service_staff", small=True),
            Field("start_date"),
            Field("end_date"),
            "version",
            Submit("save", "Save priority"),
        )

    def clean_code(self) -> str | None:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if code and not re.fullmatch(r"[A-Z][A-Z0-9]{0,9}", code):
            raise forms.ValidationError("Code must be letters and digits, starting with a letter")
        return code or None

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "End date must be on or after the start date")
        if cleaned.get("portfolio_holder") is not None:
            # The person is the cabinet member: no name typed beside them.
            cleaned["cabinet_member"] = ""
        return cleaned


class PriorityDescriptionForm(PriorityForm):
    """A priority's own lead: the words that describe it."""

    class Meta(PriorityForm.Meta):
        fields = ["aspiration", "services", "portfolio_holder", "cabinet_member"]

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        members = User.objects.filter(role=Role.CABINET_MEMBER, is_active=True)
        cast(forms.ModelChoiceField, self.fields["portfolio_holder"]).queryset = members.order_by(
            "last_name", "first_name"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("aspiration"),
            Field.text("services"),
            Field.select("portfolio_holder"),
            Field.text("cabinet_member"),
            "version",
            Submit("save", "Save priority"),
        )


class IndicatorForm(VersionedForm, forms.ModelForm):
    """Unit staff set an indicator up. Periods are typed as in imports: 2025-04, 2025/26 Q1,
    2025/26."""

    baseline_period_text = forms.CharField(
        label="Baseline period",
        help_text="A month, quarter or year: for example 2024-04, 2024/25 Q1 or 2024/25.",
    )
    target_period_text = forms.CharField(
        label="Target period",
        help_text="A month, quarter or year: for example 2027-03, 2026/27 Q4 or 2026/27.",
    )
    periods_confirmed = forms.BooleanField(
        label="I have checked these periods: they are right as they are",
        required=False,
    )
    version = version_field(required=False)
    change_reason = forms.CharField(
        label="Why the baseline or target is changing",
        help_text=(
            "Needed only if you change the baseline or the target: the trajectory is then "
            "drawn again as a straight line, and the change recorded with this reason."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )

    GOALPOSTS = ("baseline_value", "baseline_period", "target_value", "target_period")

    class Meta:
        formfield_callback = id_formfield
        model = Indicator
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "denominator",
            "cumulative",
            "decimal_places",
            "direction",
            "frequency",
            "year",
            "baseline_value",
            "target_value",
            "tolerance",
            "grace_days",
            "source",
        ]
        labels = {
            "grace_days": "Working days to send each period's data",
            "denominator": "For a rate, what it is per",
            "cumulative": "Counts up through the year (year to date)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "year": forms.RadioSelect,
        }
        error_messages = {
            "code": {
                "required": "Enter the indicator's code",
                "unique": "Another indicator already has this code",
            },
            "name": {"required": "Enter the indicator's name"},
            "baseline_value": {
                "required": "Enter the baseline value",
                "invalid": "Baseline value must be a number",
            },
            "target_value": {
                "required": "Enter the target value",
                "invalid": "Target value must be a number",
            },
            "tolerance": {"invalid": "Tolerance must be a number"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "baseline_period_text", self.instance.period_code(self.instance.baseline_period)
            )
            self.initial.setdefault(
                "target_period_text", self.instance.period_code(self.instance.target_period)
            )
            self.initial.setdefault("version", self.instance.version)
        self.fields["decimal_places"].widget.attrs["max"] = 4
        # Most indicators run on the council's reporting year: left out, the year stays as it is.
        self.fields["year"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("code", field_width=10),
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.select("unit"),
            Field.text("denominator"),
            Field.checkbox("cumulative"),
            Field.text("decimal_places", field_width=2),
            Field.radios("direction", legend_size=Size.SMALL, inline=True),
            Field.radios("frequency", legend_size=Size.SMALL, inline=True),
            Field.radios("year", legend_size=Size.SMALL),
            *(
                [Field.checkbox("periods_confirmed")]
                if self.instance.pk and self.instance.periods_to_confirm
                else []
            ),
            Field.text("baseline_value", field_width=10),
            Field.text("baseline_period_text", field_width=10),
            Field.text("target_value", field_width=10),
            Field.text("target_period_text", field_width=10),
            Field.text("tolerance", field_width=10),
            Field.text("grace_days", field_width=4),
            Field.text("source"),
            *([Field.textarea("change_reason")] if self.instance.pk else []),
            "version",
            Submit("save", "Save indicator"),
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9]*-[0-9]{1,3}", code):
            raise forms.ValidationError("Code must be like TA-01: letters, a hyphen, then digits")
        return code

    def clean_decimal_places(self) -> int:
        places = self.cleaned_data["decimal_places"]
        if places > 4:
            raise forms.ValidationError("Decimal places must be 4 or fewer")
        return places

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        frequency = cleaned.get("frequency")
        year = cleaned["year"] = cleaned.get("year") or self.instance.year or YearBasis.REPORTING
        if frequency:
            scheme = Periods.of(frequency, year)
            for field, model_field in (
                ("baseline_period_text", "baseline_period"),
                ("target_period_text", "target_period"),
            ):
                text = cleaned.get(field)
                if text:
                    try:
                        cleaned[model_field] = scheme.parse(text)
                    except PeriodError as error:
                        self.add_error(field, str(error))
        baseline, target = cleaned.get("baseline_period"), cleaned.get("target_period")
        if baseline and target and target <= baseline:
            self.add_error("target_period_text", "Target period must be after the baseline period")
        if self.instance.pk:
            # Periods are the frequency's: changing it would strand the data already entered.
            if frequency and frequency != self.instance.frequency:
                self.add_error(
                    "frequency",
                    "Frequency cannot change once the indicator is set up: add a new indicator",
                )
            # A quarter or a year is the months of its year: changing the year would move them.
            if (
                frequency
                and frequency != Frequency.MONTHLY
                and year != self.instance.year
                and (self.instance.actuals.exists() or self.instance.trajectory.exists())
            ):
                self.add_error(
                    "year",
                    "The year cannot change once a quarterly or annual indicator has data: "
                    "add a new indicator",
                )
            # Compared here: after clean() the form copies the new values onto the instance.
            self.moves_goalposts = self._moves_goalposts()
            if self.moves_goalposts and not cleaned.get("change_reason", "").strip():
                self.add_error("change_reason", "Enter why the baseline or target is changing")
        return cleaned

    moves_goalposts = False

    def _moves_goalposts(self) -> bool:
        """Whether the edit changes the baseline or the target of an existing indicator."""
        return any(
            name in self.cleaned_data and self.cleaned_data[name] != getattr(self.instance, name)
            for name in self.GOALPOSTS
        )

    def model_fields(self) -> dict:
        """The cleaned values to save on the indicator."""
        names = [*self.Meta.fields, "baseline_period", "target_period"]
        fields = {name: self.cleaned_data[name] for name in names}
        if self.cleaned_data.get("periods_confirmed"):
            fields["periods_to_confirm"] = False
        return fields


class DrawTrajectoryForm(forms.Form):
    prefix = "draw"
    shape = forms.ChoiceField(
        label="Shape of the trajectory",
        choices=Shape.choices,
        initial=Shape.STRAIGHT,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the shape of the trajectory"},
    )
    reason = forms.CharField(
        label="Why the trajectory is being drawn again",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Enter why the trajectory is changing"},
    )
    profile = forms.CharField(
        label="Seasonal profile (optional)",
        help_text="For a seasonal shape: twelve figures, one a month from the first month of "
        "the year, such as last year's values or weights (120, 110, 95...). Leave it blank to "
        "use the pattern of the latest full year of data.",
        required=False,
        max_length=500,
    )
    based_on = WholeNumberField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("shape", legend_size=Size.SMALL),
            Field.text("profile"),
            Field.textarea("reason"),
            "based_on",
            Submit("draw", "Draw from baseline to target", css_class="govuk-button--secondary"),
        )

    def clean_profile(self) -> list[str]:
        return read_profile(self.cleaned_data.get("profile", ""))


def trajectory_field_name(period) -> str:
    """A period's field: named by its first month, which a quarter's label would not fit."""
    return f"p{Periods.monthly().code(period)}"


def read_profile(text: str) -> list[str]:
    """Twelve non-negative figures, separated by commas or spaces; ValidationError otherwise."""
    parts = [part for part in re.split(r"[,\s]+", text.strip()) if part]
    if not parts:
        return []
    try:
        numbers = [Decimal(part) for part in parts]
    except InvalidOperation:
        raise forms.ValidationError("Seasonal profile must be twelve numbers") from None
    if len(numbers) != 12 or any(not n.is_finite() or n < 0 for n in numbers):
        raise forms.ValidationError(
            "Seasonal profile must be twelve numbers, none negative: one for each month"
        )
    return [str(n) for n in numbers]


class AdjustTrajectoryForm(forms.Form):
    """One field per period of the trajectory, named by the period's code."""

    reason = forms.CharField(
        label="Why the trajectory is changing",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Enter why the trajectory is changing"},
    )
    based_on = WholeNumberField(widget=forms.HiddenInput, required=False)
    prefix = "adjust"

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.period_fields = []
        for period in indicator.trajectory_periods():
            name = trajectory_field_name(period)
            label = indicator.period_label(period)
            self.fields[name] = forms.DecimalField(
                label=label,
                max_digits=16,
                decimal_places=4,
                error_messages={
                    "required": f"Enter the planned value for {label}",
                    "invalid": f"Planned value for {label} must be a number",
                    "max_digits": f"Planned value for {label} is too large",
                    "max_whole_digits": f"Planned value for {label} is too large",
                    "max_decimal_places": f"Planned value for {label} has too many decimal places",
                },
            )
            self.period_fields.append((name, period))

    def values(self) -> dict:
        return {period: self.cleaned_data[name] for name, period in self.period_fields}
