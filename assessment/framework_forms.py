"""Forms an administrator edits the assessment framework (or the plan criteria) with. Each makes
the specifications ``Framework.revise`` takes; none saves anything itself."""

from dataclasses import replace

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.text import slugify

from assessment.models import SCALE_LEVELS, AreaSpec, Framework, JudgementArea, Scale
from delivery_unit.versioning import OUT_OF_DATE, VersionedForm

TEXT_LIMIT = 5000


def clean_text(value: str) -> str:
    """What a browser posts from a textarea, as the framework stores it: lines end in a plain
    newline, so that resubmitting unchanged text is recognised as unchanged."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _text(label: str, *, rows: int, limit: int = TEXT_LIMIT, **messages) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {limit:,} characters or fewer"} | messages,
    )


def _line(label: str, *, limit: int, **messages) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        error_messages={"max_length": f"{label} must be {limit:,} characters or fewer"} | messages,
    )


class _FrameworkForm(VersionedForm):
    """What every framework form shares: the version it was opened on, text cleaned the same
    way, and each level's words and guidance checked the same way."""

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        self.framework = framework
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", framework.number)
        super().__init__(*args, **kwargs)

    def clean_version(self) -> int:
        # The version the form was built on: one it was not built on means a page from before.
        version = self.cleaned_data["version"]
        if version != self.framework.number:
            raise forms.ValidationError(OUT_OF_DATE)
        return version

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        return cleaned

    def _add_level_fields(self, prefix: str, scale: str) -> list:
        """Words and guidance for each level of the scale, highest first as people read it;
        returns the layout of one fieldset per level."""
        layout = []
        for value, default in reversed(SCALE_LEVELS[scale]):
            self.fields[f"{prefix}{value}-label"] = _line("Words", limit=60)
            self.fields[f"{prefix}{value}-guidance"] = _text(
                "Guidance: what this level looks like", rows=3
            )
            layout.append(
                Fieldset(
                    Field.text(f"{prefix}{value}-label", field_width=20),
                    Field.textarea(f"{prefix}{value}-guidance", rows=3),
                    legend=self.initial.get(f"{prefix}{value}-label") or default,
                    legend_size=Size.SMALL,
                )
            )
        return layout

    def _check_levels(self, prefix: str, scale: str, area_name: str) -> tuple[dict, dict]:
        """Each level needs words of its own and guidance; returns (labels, guidance)."""
        labels, guidance = {}, {}
        seen: dict[str, str] = {}  # a level's words (casefolded): the level that has them
        name = area_name.lower()
        for value, default in SCALE_LEVELS[scale]:
            label_field, guidance_field = f"{prefix}{value}-label", f"{prefix}{value}-guidance"
            # Named as the page names the level: by its words as saved.
            default = self.initial.get(label_field) or default
            label = self.cleaned_data.get(label_field, "")
            text = self.cleaned_data.get(guidance_field, "")
            if label_field not in self.errors:
                if not label:
                    self.add_error(label_field, f"Enter the words for {default} in {name}")
                elif label.casefold() in seen:
                    self.add_error(
                        label_field,
                        f"Enter different words for {default} in {name}: "
                        f"{seen[label.casefold()]} already says “{label}”",
                    )
                else:
                    seen[label.casefold()] = default
            if guidance_field not in self.errors and not text:
                self.add_error(guidance_field, f"Enter the guidance for {default} in {name}")
            labels[value], guidance[value] = label, text
        return labels, guidance


class FrameworkForm(_FrameworkForm):
    """Every area's name, description and sub-questions, and each level's words and guidance,
    on one page, with a note of what changed. The scales, keys and order stay as they are."""

    note = _text(
        "What changed",
        rows=3,
        limit=2000,
        required="Enter what changed",
    )

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        self.specs = framework.specs()
        initial = kwargs.setdefault("initial", {})
        for spec in self.specs:
            initial |= {
                f"{spec.key}-name": spec.name,
                f"{spec.key}-description": spec.description,
                f"{spec.key}-questions": spec.questions,
            }
            for value, _default in SCALE_LEVELS[spec.scale]:
                initial[f"{spec.key}-{value}-label"] = spec.labels.get(value, "")
                initial[f"{spec.key}-{value}-guidance"] = spec.guidance.get(value, "")
        super().__init__(*args, framework=framework, **kwargs)
        self.fields[
            "note"
        ].help_text = (
            "Kept with the new version, so that anyone reading an old round knows what moved."
        )
        layout = []
        for spec in self.specs:
            key = spec.key
            self.fields[f"{key}-name"] = _line("Name", limit=200)
            self.fields[f"{key}-description"] = _text("Description", rows=3)
            self.fields[f"{key}-questions"] = _text("Sub-questions", rows=4)
            self.fields[f"{key}-questions"].help_text = "One a line. Leave blank if there are none."
            layout.append(
                Fieldset(
                    Field.text(f"{key}-name"),
                    Field.textarea(f"{key}-description", rows=3),
                    Field.textarea(f"{key}-questions", rows=4),
                    *self._add_level_fields(f"{key}-", spec.scale),
                    legend=spec.name,
                    legend_size=Size.MEDIUM,
                    legend_tag="h2",
                    css_class="app-framework-area",
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *layout,
            Field.textarea("note", rows=3),
            "version",
            Submit("save", "Save a new version"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        names: dict[str, str] = {}
        for spec in self.specs:
            field = f"{spec.key}-name"
            name = cleaned.get(field, "")
            if field not in self.errors:  # a too-long name already has its message
                if not name:
                    self.add_error(field, f"Enter a name for the area that was {spec.name}")
                elif name.casefold() in names:
                    self.add_error(field, f"Enter a different name: another area is called {name}")
                else:
                    names[name.casefold()] = spec.key
            self._check_levels(f"{spec.key}-", spec.scale, spec.name)
        if not cleaned.get("note") and "note" not in self.errors:
            self.add_error("note", "Enter what changed")
        return cleaned

    def area_specs(self) -> list[AreaSpec]:
        """The framework's areas as edited, in their order, for ``Framework.revise``."""
        edited = []
        for spec in self.specs:
            key = spec.key
            labels, guidance = {}, {}
            for value, _default in SCALE_LEVELS[spec.scale]:
                labels[value] = self.cleaned_data[f"{key}-{value}-label"]
                guidance[value] = self.cleaned_data[f"{key}-{value}-guidance"]
            edited.append(
                replace(
                    spec,
                    name=self.cleaned_data[f"{key}-name"],
                    description=self.cleaned_data[f"{key}-description"],
                    questions=self.cleaned_data[f"{key}-questions"],
                    labels=labels,
                    guidance=guidance,
                )
            )
        return edited


def scale_choices() -> list[Choice]:
    hints = {
        scale: ", ".join(label for _value, label in levels)
        for scale, levels in SCALE_LEVELS.items()
    }
    return [
        Choice(Scale.LIKELIHOOD, "Likelihood", hint=hints[Scale.LIKELIHOOD]),
        Choice(Scale.CHALLENGE, "Degree of challenge", hint=hints[Scale.CHALLENGE]),
        Choice(Scale.STAGE, "Stage", hint=hints[Scale.STAGE]),
    ]


class AreaForm(_FrameworkForm):
    """A new area: its name, scale, description, sub-questions and the guidance for each level
    of its scale. Each scale's levels are on the page at once, so that the form works without
    JavaScript; only the chosen scale's are kept."""

    name = _line("Name", limit=200)
    scale = forms.ChoiceField(
        label="Scale",
        choices=scale_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the scale the area is rated on",
            "invalid_choice": "Select one of the scales shown",
        },
    )
    description = _text("Description", rows=3)
    questions = _text("Sub-questions", rows=4)
    is_overall = forms.TypedChoiceField(
        label="Is this the overall judgement?",
        help_text="The overall judgement, such as the likelihood of delivery, draws on the "
        "other areas. There can be only one.",
        choices=[(False, "No"), (True, "Yes")],
        coerce=lambda value: value in {True, "True"},
        widget=forms.RadioSelect,
        initial=False,
        error_messages={
            "required": "Select whether this is the overall judgement",
            "invalid_choice": "Select whether this is the overall judgement",
        },
    )

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        initial = kwargs.setdefault("initial", {})
        for scale, levels in SCALE_LEVELS.items():
            for value, default in levels:
                initial.setdefault(f"{scale}-{value}-label", default)
        super().__init__(*args, framework=framework, **kwargs)
        self.areas = framework.ordered_areas()
        self.fields["questions"].help_text = "One a line. Leave blank if there are none."
        labels = {choice.value: choice.label.lower() for choice in scale_choices()}
        levels = []
        for scale in Scale:
            levels.append(
                Fieldset(
                    *self._add_level_fields(f"{scale}-", scale),
                    legend=f"Words and guidance if the scale is {labels[scale]}",
                    legend_size=Size.MEDIUM,
                    legend_tag="h2",
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("scale", legend_size=Size.SMALL),
            Field.textarea("description", rows=3),
            Field.textarea("questions", rows=4),
            Field.radios("is_overall", legend_size=Size.SMALL, inline=True),
            *levels,
            "version",
            Submit("add", "Add the area"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("name", "")
        if "name" not in self.errors:
            if not name:
                self.add_error("name", "Enter a name for the area")
            elif any(area.name.casefold() == name.casefold() for area in self.areas):
                self.add_error("name", f"Enter a different name: another area is called {name}")
        overall = next((area for area in self.areas if area.is_overall), None)
        if cleaned.get("is_overall") and overall is not None:
            self.add_error(
                "is_overall",
                f"Select No: {overall.name} is already the overall judgement",
            )
        scale = cleaned.get("scale")
        if scale:
            self.labels, self.guidance = self._check_levels(f"{scale}-", scale, name or "the area")
        return cleaned

    def area_spec(self) -> AreaSpec:
        name = self.cleaned_data["name"]
        return AreaSpec(
            key=unique_key(name, self.framework.kind),
            name=name,
            scale=self.cleaned_data["scale"],
            description=self.cleaned_data["description"],
            questions=self.cleaned_data["questions"],
            is_overall=self.cleaned_data["is_overall"],
            labels=self.labels,
            guidance=self.guidance,
        )


def unique_key(name: str, kind: str) -> str:
    """A key made from the name, used by no area of any version of this framework: a retired
    area's ratings are never taken for a new area's."""
    base = slugify(name)[:50].strip("-") or "area"
    taken = set(
        JudgementArea.objects.filter(framework__kind=kind, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


class RetireForm(_FrameworkForm):
    reason = _text("Why the area is retired", rows=3, limit=2000)

    def __init__(self, *args, framework: Framework, area: JudgementArea, **kwargs) -> None:
        super().__init__(*args, framework=framework, **kwargs)
        self.area = area
        self.fields[
            "reason"
        ].help_text = "Kept with the new version. Rounds already made with this area keep it."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3),
            "version",
            Submit("retire", "Retire the area", css_class="govuk-button--warning"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("reason") and "reason" not in self.errors:
            self.add_error("reason", "Enter why the area is retired")
        return cleaned
