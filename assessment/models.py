"""The assessment framework as data, the scorecards that judge something against it, and the
moderation that challenges those judgements.

The engine names no kind of thing it assesses: the apps that use it register their kinds
(``assessment.kinds``); today the priorities app rates each priority's likelihood of delivery in
its rounds, and the plans app assesses delivery plans against their criteria. A ``Framework`` is
one version of the judgement areas (or plan criteria) with the guidance for every level; an
administrator's edit makes a new version, and every scorecard keeps the version it was made with,
so that an old round reads exactly as it was.
"""

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessment.kinds import get_kind, kind_choices
from delivery_unit.versioning import Stale, Versioned, versioned_edit
from delivery_unit.workflow import TransitionRefused


class Scale(models.TextChoices):
    """The scales a judgement area can use. The values are fixed (reports compare them across
    rounds and framework versions); their words and guidance are the framework's to edit."""

    LIKELIHOOD = "likelihood", "Red, Amber-red, Amber-green, Green"
    CHALLENGE = "challenge", "Low, Medium, High, Very high"
    STAGE = "stage", "Stage 1 to 4"


# Every scale's values from lowest (position 1) to highest, with their default words.
SCALE_LEVELS: dict[str, list[tuple[str, str]]] = {
    Scale.LIKELIHOOD: [
        ("red", "Red"),
        ("amber_red", "Amber-red"),
        ("amber_green", "Amber-green"),
        ("green", "Green"),
    ],
    Scale.CHALLENGE: [
        ("low", "Low"),
        ("medium", "Medium"),
        ("high", "High"),
        ("very_high", "Very high"),
    ],
    Scale.STAGE: [("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3"), ("4", "Stage 4")],
}


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def current(self, kind: str) -> "Framework":
        """The latest version of the framework of this kind. There is always one: the default is
        loaded by a data migration, and loaded again here if a database has lost it."""
        found = self.filter(kind=kind).order_by("-number").first()
        registered = get_kind(kind)
        if found is None and registered is not None:
            found = registered.load_default(Framework, JudgementArea, Level)
        # Never None for a registered kind (see above); the callers name only registered kinds.
        return cast(Framework, found)


class Framework(models.Model):
    # What the framework assesses: one of the kinds the apps using the engine register.
    kind = models.CharField(max_length=20, choices=kind_choices)
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(blank=True, help_text="What changed from the version before.")

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="framework_version_unique"),
            models.CheckConstraint(condition=~models.Q(kind=""), name="framework_kind_given"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.number}"

    def ordered_areas(self) -> list["JudgementArea"]:
        # By position, then by when the area was made: the same order in every query, which the
        # delivery report's kept cells and its live column headings both rely on.
        return list(self.areas.prefetch_related("levels").order_by("position", "pk"))

    def revise(self, *, areas: list["AreaSpec"], note: str, by) -> "Framework":
        """Make the next version with these areas. Refused if this is no longer the current
        version (someone else edited the framework meanwhile): the editor sees theirs first.
        Areas exactly as they are make no version: this one is returned unchanged."""
        with transaction.atomic():
            # Lock this version, then look for a newer one in a fresh query: two administrators
            # editing the same version queue on the lock, and the second, once the first has
            # committed, sees the version the first made and is refused. (Locking the latest
            # row in the same query that finds it would let the second carry on from the
            # snapshot it started with, and fail on the unique version number instead.)
            Framework.objects.select_for_update().get(pk=self.pk)
            latest = Framework.objects.current(self.kind)
            if latest.pk != self.pk:
                raise Stale(latest)
            if areas == self.specs():
                return self
            try:
                with transaction.atomic():
                    revised = Framework.objects.create(
                        kind=self.kind, number=self.number + 1, created_by=by, note=note
                    )
            except IntegrityError:
                raise Stale(Framework.objects.current(self.kind)) from None
            for position, spec in enumerate(areas, start=1):
                area = JudgementArea.objects.create(
                    framework=revised,
                    key=spec.key,
                    name=spec.name,
                    description=spec.description,
                    questions=spec.questions,
                    scale=spec.scale,
                    is_overall=spec.is_overall,
                    position=position,
                )
                labels = dict(SCALE_LEVELS[spec.scale])
                Level.objects.bulk_create(
                    Level(
                        area=area,
                        value=value,
                        label=spec.labels.get(value) or labels[value],
                        guidance=spec.guidance.get(value, ""),
                        position=level_position,
                    )
                    for level_position, (value, _label) in enumerate(
                        SCALE_LEVELS[spec.scale], start=1
                    )
                )
        return revised

    def specs(self) -> list["AreaSpec"]:
        """This version's areas as specifications, for editing into the next version."""
        return [AreaSpec.of(area) for area in self.ordered_areas()]


@dataclass
class AreaSpec:
    """One judgement area as an administrator edits it."""

    key: str
    name: str
    scale: str
    description: str = ""
    questions: str = ""
    is_overall: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    guidance: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, area: "JudgementArea") -> "AreaSpec":
        levels = list(area.levels.all())
        return cls(
            key=area.key,
            name=area.name,
            scale=area.scale,
            description=area.description,
            questions=area.questions,
            is_overall=area.is_overall,
            labels={level.value: level.label for level in levels},
            guidance={level.value: level.guidance for level in levels},
        )


class JudgementArea(models.Model):
    """One area the unit judges (or, for plans, one criterion), with its scale."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    # Stable across versions, so that a round compares with the one before it area by area.
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    questions = models.TextField(blank=True, help_text="Sub-questions, one a line.")
    scale = models.CharField(max_length=20, choices=Scale.choices)
    is_overall = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    # Made by ``level()`` on its first call: the levels by value.
    _levels_by_value: dict[str, "Level"]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="area_key_unique"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=models.Q(is_overall=True),
                name="one_overall_area_per_framework",
            ),
            models.CheckConstraint(
                condition=models.Q(scale__in=["likelihood", "challenge", "stage"]),
                name="area_scale_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def level(self, value: str) -> "Level | None":
        """The level with this value, from the prefetched ``levels`` (no query). A report asks
        this of one area hundreds of times, so the levels are looked up by value in a table made
        on the first call (a framework version's levels never change: editing makes a version)."""
        try:
            by_value = self._levels_by_value
        except AttributeError:
            by_value = self._levels_by_value = {level.value: level for level in self.levels.all()}
        return by_value.get(value)


class Level(models.Model):
    area = models.ForeignKey(JudgementArea, on_delete=models.CASCADE, related_name="levels")
    value = models.CharField(max_length=20)
    label = models.CharField(max_length=60)
    guidance = models.TextField(blank=True, help_text="What this level looks like.")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "value"], name="level_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def tone(self) -> str:
        """The CSS modifier that colours this level: "likelihood-amber_red", "stage-2"."""
        return f"{self.area.scale}-{self.value}"


class Scorecard(Versioned):
    """One set of judgements against one framework version: a priority in a round, or one
    version of a delivery plan. Saved as a whole with a version, so that two people rating at
    once cannot overwrite each other."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Scorecard {self.pk} ({self.framework})"

    @classmethod
    def start(cls, framework: Framework, areas: list["JudgementArea"] | None = None) -> "Scorecard":
        """A scorecard with an empty judgement for every area of the framework. Pass the
        framework's ``areas`` when starting many, so that they are read once."""
        scorecard = cls.objects.create(framework=framework)
        if areas is None:
            areas = list(framework.areas.all())
        Judgement.objects.bulk_create(Judgement(scorecard=scorecard, area=area) for area in areas)
        return scorecard

    def save_draft(self, values: dict[int, dict[str, str]], *, by, version: int) -> bool:
        """Save each judgement's fields (by area id) if nobody else has saved since ``version``.
        Unchanged judgements are left alone, so that the history holds only real changes.
        Returns whether anything changed.

        A person's own saves never conflict: when the last save since ``version`` was by the
        same person (the autosave still on its way as they press "Propose"), this later save
        supersedes it rather than being refused as stale."""
        with versioned_edit(self, version, by=by) as current:
            changed = False
            for judgement in self.judgements.select_related("area"):
                fields = values.get(judgement.area_id)
                if fields is None:
                    continue
                edits = {k: v for k, v in fields.items() if getattr(judgement, k) != v}
                if not edits:
                    continue
                for name, value in edits.items():
                    setattr(judgement, name, value)
                judgement._history_user = by
                judgement.save(update_fields=list(edits))
                changed = True
            if changed:
                self.updated_by = by
                self.updated_at = timezone.now()
                self.save(update_fields=["version", "updated_by", "updated_at"])
            else:
                self.version = current.version  # nothing saved, so no new version
        return changed

    def holds(self, values: dict[int, dict[str, str]]) -> bool:
        """Whether the saved judgements already hold these fields (by area id)."""
        for judgement in self.judgements.all():
            fields = values.get(judgement.area_id, {})
            if any(getattr(judgement, name) != value for name, value in fields.items()):
                return False
        return True

    def missing(self, previous: dict[str, "Judgement"]) -> list[str]:
        """What must still be written before these judgements can be proposed, as messages in
        the GOV.UK style. ``previous`` is the last agreed judgement for each area key."""
        problems = []
        for judgement in self.ordered_judgements():
            area = judgement.area
            if not judgement.level:
                problems.append(f"Select a rating for {area.name.lower()}")
            if not judgement.rationale.strip():
                problems.append(f"Enter the rationale for {area.name.lower()}")
            before = previous.get(area.key)
            if (
                judgement.level
                and before is not None
                and before.level
                and before.level != judgement.level
                and not judgement.change_reason.strip()
            ):
                problems.append(f"Enter why {area.name.lower()} changed from {before.label}")
        return problems

    def ordered_judgements(self) -> list["Judgement"]:
        """From the prefetched ``judgements`` (with their areas and levels) where present."""
        return sorted(self.judgements.all(), key=lambda judgement: judgement.area.position)

    def judgement_for(self, key: str) -> "Judgement | None":
        return next((j for j in self.judgements.all() if j.area.key == key), None)

    def overall(self) -> "Judgement | None":
        return next((j for j in self.judgements.all() if j.area.is_overall), None)


class ChosenLevel:
    """The level an ``area``'s ``level`` value names, in words: for a Judgement, and for a rating
    kept in the shared cache in its place (priorities.rounds.report)."""

    area: JudgementArea
    level: str

    @property
    def chosen(self) -> Level | None:
        return self.area.level(self.level) if self.level else None

    @property
    def label(self) -> str:
        chosen = self.chosen
        return chosen.label if chosen else ""


class Judgement(ChosenLevel, models.Model):
    """The rating of one area on one scorecard, with the rationale and, where it differs from the
    last agreed rating, the reason it changed. Every change is kept in its history."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, blank=True)
    rationale = models.TextField(blank=True)
    change_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "area"], name="judgement_area_once"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.label or 'not rated'}"

    def challenge(
        self, *, level: str, reason: str, by, kind: str = "challenge", seen: str | None = None
    ) -> "Challenge":
        """Change the rating in moderation (or, after agreement, as the Unit Leader's recorded
        amendment), keeping the original, the new rating, the reason and who made it.

        ``seen`` is the level the person saw: if someone changed it since, the change is refused
        under the rating's lock, so that two challenges cannot cross unseen and no false original
        is logged."""
        with transaction.atomic():
            current = Judgement.objects.select_for_update().get(pk=self.pk)
            if seen is not None and current.level != seen:
                raise TransitionRefused(
                    f"Someone changed the rating of {self.area.name.lower()} while you were "
                    "looking at it. Look at it again before you change it."
                )
            challenge = Challenge.objects.create(
                judgement=self,
                kind=kind,
                original_level=current.level,
                moderated_level=level,
                reason=reason,
                made_by=by,
                made_at=timezone.now(),
            )
            self.level = level
            self._history_user = by
            # The history's reason holds 100 characters; the challenge keeps the full reason.
            self._change_reason = challenge.get_kind_display()
            self.save(update_fields=["level"])
            Scorecard.objects.filter(pk=self.scorecard_id).update(
                version=models.F("version") + 1, updated_by=by, updated_at=timezone.now()
            )
        return challenge


class Challenge(models.Model):
    """A moderation panel's change to a rating, or the Unit Leader's amendment of an agreed one:
    the log is kept and shown on the priority's history."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", "Challenged in moderation"
        AMENDMENT = "amendment", "Amended after agreement"

    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="challenges")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHALLENGE)
    original_level = models.CharField(max_length=20, blank=True)
    moderated_level = models.CharField(max_length=20)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="challenge_has_reason"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["challenge", "amendment"]),
                name="challenge_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judgement.area}: {self.original_level} to {self.moderated_level}"

    @property
    def original_label(self) -> str:
        level = self.judgement.area.level(self.original_level)
        return level.label if level else "Not rated"

    @property
    def moderated_label(self) -> str:
        level = self.judgement.area.level(self.moderated_level)
        return level.label if level else self.moderated_level


def judgements_in_full(prefix: str = "scorecard__judgements") -> models.Prefetch:
    """Each scorecard's judgements with their areas, levels and challenges: no query per cell."""
    return models.Prefetch(
        prefix,
        queryset=Judgement.objects.select_related("area").prefetch_related(
            "area__levels", "challenges__made_by"
        ),
    )
