"""Pain assessment: instrument scoring and whether a change is clinically important.

Scoring rules and thresholds come from :mod:`painlab.reference.assessment`. Screening scores
support, and never replace, a clinical diagnosis: a positive DN4 or LANSS suggests a neuropathic
component; a PHQ-9 band is a reason to ask more, not a diagnosis of depression.
"""

from __future__ import annotations

from typing import Sequence

from painlab.reference import assessment as data
from painlab.validation import lookup, require_number


def _integer_score(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")
    return value


def oswestry_percent(section_scores: Sequence[int | None]) -> float:
    """Oswestry Disability Index (%) from its 10 section scores (0-5 each; None for an unanswered section).

    Score = total / (5 x number of sections answered) x 100: each unanswered section lowers the
    denominator by 5. At least one section must be answered.
    """
    if isinstance(section_scores, (str, bytes)) or not hasattr(section_scores, "__len__"):
        raise ValueError("section_scores must be a sequence of 10 section scores (0-5 or None)")
    if len(section_scores) != data.ODI_SECTIONS:
        raise ValueError(f"section_scores must have {data.ODI_SECTIONS} entries, one per section, got {len(section_scores)}")
    answered = [_integer_score(f"section {i + 1}", s, 0, data.ODI_MAX_PER_SECTION)
                for i, s in enumerate(section_scores) if s is not None]
    if not answered:
        raise ValueError("no section answered: the Oswestry Disability Index cannot be calculated")
    return 100.0 * sum(answered) / (data.ODI_MAX_PER_SECTION * len(answered))


def oswestry_band(percent: float) -> str:
    """The interpretation band of an ODI score (minimal, moderate, severe, crippled, bed-bound or exaggerating)."""
    score = require_number("percent", percent, 0.0, 100.0, unit="%")
    for upper, band in data.ODI_BANDS:
        if score <= upper:
            return band
    raise AssertionError("unreachable: the last band ends at 100 %")  # pragma: no cover


def is_important_improvement(instrument: str, baseline: float, follow_up: float) -> bool:
    """Whether the change from ``baseline`` to ``follow_up`` reaches the minimal important change.

    ``instrument`` is "nrs" (0-10), "vas" (0-100 mm) or "odi" (0-100 %); lower is better. The change
    counts if it reaches either the absolute threshold or 30 % of baseline (Ostelo et al. 2008).
    """
    threshold = lookup("instrument", instrument, data.MINIMAL_IMPORTANT_CHANGE)
    before = require_number("baseline", baseline, 0.0, threshold.scale_max)
    after = require_number("follow_up", follow_up, 0.0, threshold.scale_max)
    improvement = before - after
    relative = threshold.relative is not None and before > 0 and improvement >= threshold.relative * before
    return improvement >= threshold.points or relative


def dn4_score(items: Sequence[bool]) -> int:
    """DN4 total: 10 yes/no items (7 interview, 3 examination), one point each."""
    if isinstance(items, (str, bytes)) or len(items) != data.DN4_ITEMS:
        raise ValueError(f"items must be {data.DN4_ITEMS} answers (True for yes), got {items!r}")
    if not all(isinstance(item, bool) for item in items):
        raise ValueError("each DN4 item must be True (yes) or False (no)")
    return sum(items)


def dn4_positive(items: Sequence[bool]) -> bool:
    """A DN4 score of at least 4/10 suggests a neuropathic component."""
    return dn4_score(items) >= data.DN4_CUTOFF


def lanss_positive(total: int) -> bool:
    """A LANSS total of 12 or more suggests that neuropathic mechanisms contribute to the pain."""
    return _integer_score("total", total, 0, 24) >= data.LANSS_CUTOFF


def pcs_total(items: Sequence[int]) -> int:
    """Pain Catastrophizing Scale total: 13 items scored 0 (not at all) to 4 (all the time); range 0-52."""
    if isinstance(items, (str, bytes)) or len(items) != data.PCS_ITEMS:
        raise ValueError(f"items must be {data.PCS_ITEMS} item scores, got {items!r}")
    return sum(_integer_score(f"item {i + 1}", item, 0, data.PCS_ITEM_MAX) for i, item in enumerate(items))


def phq9_severity(total: int) -> str:
    """PHQ-9 depression severity band from the total (0-27)."""
    score = _integer_score("total", total, 0, 27)
    return next(band for upper, band in data.PHQ9_BANDS if score <= upper)
