"""Pain assessment: instrument scoring and whether a change is clinically important.

Scoring rules and thresholds come from :mod:`painlab.reference.assessment`. Screening scores
support, and never replace, a clinical diagnosis: a positive DN4 or LANSS suggests a neuropathic
component; a PHQ-9 band is a reason to ask more, not a diagnosis of depression.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    needed = improvement_needed(instrument, baseline)  # checks the instrument and the baseline first
    threshold = lookup("instrument", instrument, data.MINIMAL_IMPORTANT_CHANGE)
    after = require_number("follow_up", follow_up, 0.0, threshold.scale_max)
    return baseline - after >= needed


def improvement_needed(instrument: str, baseline: float) -> float:
    """The smallest fall from ``baseline`` that counts as an important improvement: the absolute threshold,
    or 30 % of baseline if that is smaller (either criterion suffices; Ostelo et al. 2008)."""
    threshold = lookup("instrument", instrument, data.MINIMAL_IMPORTANT_CHANGE)
    before = require_number("baseline", baseline, 0.0, threshold.scale_max)
    if threshold.relative is None or before == 0:
        return threshold.points
    return min(threshold.points, threshold.relative * before)


def is_important_worsening(instrument: str, baseline: float, follow_up: float) -> bool:
    """Whether the score rose from ``baseline`` to ``follow_up`` by at least the absolute minimal important change.

    Only the absolute threshold is used: 30 % of a low baseline would count a rise of a point or two.
    """
    threshold = lookup("instrument", instrument, data.MINIMAL_IMPORTANT_CHANGE)
    before = require_number("baseline", baseline, 0.0, threshold.scale_max)
    after = require_number("follow_up", follow_up, 0.0, threshold.scale_max)
    return after - before >= threshold.points


VERDICTS = ("important improvement, sustained", "important improvement, not yet sustained", "improvement lost",
            "no important change", "worse")
"""The verdicts of :func:`review_progress`, best first."""


@dataclass(frozen=True)
class ProgressReview:
    """One outcome measure followed from baseline through the follow-up visits of a plan."""

    instrument: str
    scores: tuple[float, ...]  # baseline first, then each follow-up in order
    important: tuple[bool, ...]  # per follow-up: reaches the minimal important change from baseline
    worse: bool  # the last follow-up is worse than baseline by at least the absolute threshold

    @property
    def changes(self) -> tuple[float, ...]:
        """Improvement at each follow-up: baseline minus the follow-up score (positive = better)."""
        return tuple(self.scores[0] - score for score in self.scores[1:])

    @property
    def verdict(self) -> str:
        """Where the plan stands, by the course's rule (see :func:`review_progress`)."""
        if self.worse:
            return VERDICTS[4]
        if self.important[-1]:
            sustained = len(self.important) >= 2 and self.important[-2]
            return VERDICTS[0] if sustained else VERDICTS[1]
        return VERDICTS[2] if any(self.important) else VERDICTS[3]


def review_progress(instrument: str, scores: Sequence[float]) -> ProgressReview:
    """Judge a measure followed over a plan: baseline, then follow-ups in order (lower scores are better).

    Each follow-up is compared with baseline against the minimal important change (Ostelo et al. 2008:
    the absolute threshold or 30 % of baseline). The verdict is the course's teaching rule, not a
    guideline: *sustained* means the last two follow-ups both reach the threshold; *not yet sustained*,
    only the last; *improvement lost*, an earlier one did and the last does not; *worse*, the last
    follow-up is higher than baseline by at least the absolute threshold.
    """
    if isinstance(scores, (str, bytes)) or not hasattr(scores, "__len__"):
        raise ValueError("scores must be a sequence: the baseline score, then one score per follow-up visit")
    if len(scores) < 2:
        raise ValueError(f"scores needs the baseline and at least one follow-up, got {len(scores)} score(s)")
    threshold = lookup("instrument", instrument, data.MINIMAL_IMPORTANT_CHANGE)
    values = tuple(require_number(f"scores[{i}]", score, 0.0, threshold.scale_max) for i, score in enumerate(scores))
    important = tuple(is_important_improvement(instrument, values[0], after) for after in values[1:])
    return ProgressReview(instrument, values, important, is_important_worsening(instrument, values[0], values[-1]))


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


def start_back_group(total: int, psychosocial: int) -> str:
    """Keele STarT Back risk group ("low", "medium" or "high") from the total (0-9) and the psychosocial
    subscale (0-5, part of the total).

    Total 0-3 is low risk; a total of 4 or more is high risk when the psychosocial subscale is 4 or 5, and
    medium risk otherwise (Hill et al. 2008; Keele's scoring guide). Built for back pain in primary care.
    """
    score = _integer_score("total", total, 0, data.START_BACK_ITEMS)
    subscale = _integer_score("psychosocial", psychosocial, 0, data.START_BACK_PSYCHOSOCIAL_ITEMS)
    if subscale > score:
        raise ValueError(f"psychosocial ({subscale}) is part of the total, so it cannot exceed total ({score})")
    if score - subscale > data.START_BACK_ITEMS - data.START_BACK_PSYCHOSOCIAL_ITEMS:
        raise ValueError(f"total ({score}) minus psychosocial ({subscale}) exceeds the "
                         f"{data.START_BACK_ITEMS - data.START_BACK_PSYCHOSOCIAL_ITEMS} other items")
    if score <= data.START_BACK_LOW_RISK_MAX_TOTAL:
        return "low"
    return "high" if subscale >= data.START_BACK_HIGH_RISK_MIN_PSYCHOSOCIAL else "medium"
