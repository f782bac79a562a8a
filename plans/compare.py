"""Two versions of a plan side by side, section by section, with what changed marked.

Each section's text (with its structured part written out a line per item) is split into words
and compared with difflib; the template marks removed words with ``<del>`` on the left and added
ones with ``<ins>`` on the right, and says in words what changed, so colour is never alone.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from plans.models import (
    STRUCTURED,
    ChainLink,
    Intervention,
    Milestone,
    PlanVersion,
    Risk,
    Section,
)

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class Segment:
    text: str
    changed: bool


@dataclass
class SectionDiff:
    key: str
    name: str
    left: list[Segment]
    right: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.left) or any(s.changed for s in self.right)


def section_texts(version: PlanVersion) -> dict[str, str]:
    """Every section as comparable text, from the prefetched sections and structured parts."""
    parts: dict[str, list[ChainLink] | list[Intervention] | list[Milestone] | list[Risk]] = {
        "chain": sorted(version.chain.all(), key=lambda link: (link.position, link.pk)),
        "interventions": sorted(version.interventions.all(), key=lambda item: item.pk),
        "milestones": sorted(version.milestones.all(), key=lambda item: (item.due, item.pk)),
        "risks": sorted(version.risks.all(), key=lambda item: item.pk),
    }
    texts = {section.key: section.text for section in version.sections.all()}
    for key, part in STRUCTURED.items():
        lines = [item.describe() for item in parts[part]]
        if lines:
            texts[key] = "\n".join(filter(None, [texts.get(key, ""), *lines]))
    return texts


def diff_text(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    # Spaces are junk: a match starts on a word, so "two three" and "three four" share "three".
    matcher = SequenceMatcher(str.isspace, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Segment("".join(before[i1:i2]), False))
            right.append(Segment("".join(after[j1:j2]), False))
            continue
        if i2 > i1:
            left.append(Segment("".join(before[i1:i2]), True))
        if j2 > j1:
            right.append(Segment("".join(after[j1:j2]), True))
    return left, right


def compare(old: PlanVersion, new: PlanVersion) -> list[SectionDiff]:
    old_texts, new_texts = section_texts(old), section_texts(new)
    diffs = []
    for key, name in Section.choices:
        left, right = diff_text(old_texts.get(key, ""), new_texts.get(key, ""))
        diffs.append(SectionDiff(key=key, name=name, left=left, right=right))
    return diffs
