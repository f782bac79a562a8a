"""Forms for rating a scorecard against its framework and for challenging a judgement in
moderation: the priorities' rounds and the plans' assessments both use them."""

from dataclasses import dataclass
from typing import cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from assessment.models import Judgement, JudgementArea, Scorecard
from delivery_unit.versioning import VersionedForm

TEXT_LIMIT = 5000


def text_field(label: str, *, rows: int, help_text: str = "", required_message: str = ""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer",
            "required": required_message,
        },
    )


def level_choices(area: JudgementArea) -> list[Choice]:
    """The area's levels, best or highest first as people read a scale, each with its guidance
    as the hint beside the choice."""
    levels = sorted(area.levels.all(), key=lambda level: -level.position)
    return [Choice(level.value, level.label, hint=level.guidance) for level in levels]


@dataclass
class AreaFields:
    """One judgement area's fields as the template lays them out."""

    area: JudgementArea
    judgement: Judgement
    previous: Judgement | None
    level: forms.BoundField
    rationale: forms.BoundField
    change_reason: forms.BoundField | None

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [f for f in (self.rationale, self.change_reason) if f is not None]

    @property
    def levels(self):
        """Highest first, as the radios list them."""
        return sorted(self.area.levels.all(), key=lambda level: -level.position)


class ScorecardForm(VersionedForm):
    """Every judgement area of a scorecard: a rating with the guidance beside each level, the
    rationale, and the reason for a change from the last agreed rating. A draft may be partly
    filled; proposing needs it all."""

    def __init__(
        self,
        *args,
        scorecard: Scorecard,
        previous: dict[str, Judgement] | None = None,
        proposing: bool = False,
        **kwargs,
    ) -> None:
        self.scorecard = scorecard
        self.previous = previous or {}
        self.proposing = proposing
        self.judgements = scorecard.ordered_judgements()
        initial: dict[str, object] = {"version": scorecard.version}
        for judgement in self.judgements:
            key = judgement.area.key
            initial |= {
                f"{key}-level": judgement.level,
                f"{key}-rationale": judgement.rationale,
                f"{key}-change_reason": judgement.change_reason,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for judgement in self.judgements:
            area = judgement.area
            name = area.name.lower()
            self.fields[f"{area.key}-level"] = forms.ChoiceField(
                label=area.name,
                choices=level_choices(area),
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": f"Select one of the ratings shown for {name}",
                },
            )
            self.fields[f"{area.key}-rationale"] = text_field(
                "Rationale",
                rows=4,
                help_text=f"What the judgement of {name} rests on.",
            )
            before = self.previous.get(area.key)
            if before is not None and before.level:
                self.fields[f"{area.key}-change_reason"] = text_field(
                    "Reason for a change",
                    rows=2,
                    help_text=f"Needed if the rating differs from the last agreed round "
                    f"({before.label}).",
                )

    def areas(self) -> list[AreaFields]:
        result = []
        for judgement in self.judgements:
            key = judgement.area.key
            result.append(
                AreaFields(
                    area=judgement.area,
                    judgement=judgement,
                    previous=self.previous.get(key),
                    level=self[f"{key}-level"],
                    rationale=self[f"{key}-rationale"],
                    change_reason=self[f"{key}-change_reason"]
                    if f"{key}-change_reason" in self.fields
                    else None,
                )
            )
        return result

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.strip()
        if not self.proposing:
            return cleaned
        for judgement in self.judgements:
            area, key = judgement.area, judgement.area.key
            name = area.name.lower()
            level = cleaned.get(f"{key}-level")
            if f"{key}-level" in self.errors:
                continue
            if not level:
                self.add_error(f"{key}-level", f"Select a rating for {name}")
            if not cleaned.get(f"{key}-rationale") and f"{key}-rationale" not in self.errors:
                self.add_error(f"{key}-rationale", f"Enter the rationale for {name}")
            before = self.previous.get(key)
            if (
                level
                and before is not None
                and before.level
                and level != before.level
                and not cleaned.get(f"{key}-change_reason")
                and f"{key}-change_reason" not in self.errors
            ):
                self.add_error(
                    f"{key}-change_reason", f"Enter why {name} changed from {before.label}"
                )
        return cleaned

    def values(self) -> dict[int, dict[str, str]]:
        """The cleaned fields by area id, as ``Scorecard.save_draft`` takes them."""
        values = {}
        for judgement in self.judgements:
            key = judgement.area.key
            fields = {
                "level": self.cleaned_data.get(f"{key}-level") or "",
                "rationale": self.cleaned_data.get(f"{key}-rationale") or "",
            }
            if f"{key}-change_reason" in self.fields:
                fields["change_reason"] = self.cleaned_data.get(f"{key}-change_reason") or ""
            values[judgement.area_id] = fields
        return values


class ChallengeForm(forms.Form):
    """The panel's challenge of one rating (or the Unit Leader's amendment of an agreed one)."""

    level = forms.ChoiceField(widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        help_text="Why the panel changes this rating. It is kept in the challenge log.",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for the change",
            "max_length": f"Reason must be {TEXT_LIMIT:,} characters or fewer",
        },
    )
    # The level the panel member saw: a change made meanwhile is not overwritten unseen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, judgement: Judgement, amendment: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", {"seen": judgement.level})
        super().__init__(*args, **kwargs)
        self.judgement = judgement
        name = judgement.area.name.lower()
        self.fields["level"].label = "Amended rating" if amendment else "Moderated rating"
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(judgement.area)
        self.fields["level"].error_messages = {
            "required": f"Select the {'amended' if amendment else 'moderated'} rating for {name}",
            "invalid_choice": f"Select one of the ratings shown for {name}",
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reason", label_size=Size.SMALL),
            "seen",
            Submit("save", "Record the amendment" if amendment else "Record the challenge"),
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for the change")
        return reason

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("level") and cleaned["level"] == self.judgement.level:
            self.add_error("level", "Select a different rating, or leave this one as it is")
        return cleaned
