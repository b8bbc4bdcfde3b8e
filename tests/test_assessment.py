"""Instrument scoring and important change."""

import pytest

from painlab import assessment


def test_oswestry_by_hand_and_with_a_missing_section():
    assert assessment.oswestry_percent([5] * 10) == 100.0
    assert assessment.oswestry_percent([0] * 10) == 0.0
    # 16 points over 9 answered sections: 16 / 45 x 100 = 35.6 %
    assert assessment.oswestry_percent([3, 2, None, 1, 0, 2, 3, 2, 1, 2]) == pytest.approx(35.555, abs=0.01)


@pytest.mark.parametrize("scores, message", [
    ([6] + [0] * 9, "section 1 must be from 0 to 5"),
    ([0] * 9, "must have 10 entries"),
    ([None] * 10, "no section answered"),
    ([1.5] + [0] * 9, "section 1 must be a whole number"),
    ("0000000000", "sequence of 10"),
])
def test_oswestry_rejects_bad_forms(scores, message):
    with pytest.raises(ValueError, match=message):
        assessment.oswestry_percent(scores)


def test_oswestry_bands():
    assert assessment.oswestry_band(20) == "minimal disability"
    assert assessment.oswestry_band(20.1) == "moderate disability"
    assert assessment.oswestry_band(85) == "bed-bound, or exaggerating symptoms"


def test_important_improvement_absolute_or_relative():
    assert assessment.is_important_improvement("NRS", 7, 5)  # 2 points
    assert not assessment.is_important_improvement("nrs", 7, 6)
    assert assessment.is_important_improvement("nrs", 4, 2.8)  # 30 % of a low baseline
    assert assessment.is_important_improvement("odi", 40, 30)
    assert not assessment.is_important_improvement("odi", 40, 31)
    assert not assessment.is_important_improvement("vas", 60, 70)  # worse
    with pytest.raises(ValueError, match="unknown instrument"):
        assessment.is_important_improvement("pain", 7, 5)
    with pytest.raises(ValueError, match="baseline must be in \\[0, 10\\]"):
        assessment.is_important_improvement("nrs", 70, 50)


def test_screening_scores():
    assert assessment.dn4_positive([True] * 4 + [False] * 6)
    assert not assessment.dn4_positive([True] * 3 + [False] * 7)
    with pytest.raises(ValueError, match="True \\(yes\\) or False"):
        assessment.dn4_score([1] * 10)
    assert assessment.lanss_positive(12) and not assessment.lanss_positive(11)
    assert assessment.pcs_total([4] * 13) == 52
    assert assessment.phq9_severity(4) == "minimal" and assessment.phq9_severity(20) == "severe"
    with pytest.raises(ValueError, match="total must be from 0 to 27"):
        assessment.phq9_severity(30)


@pytest.mark.parametrize("instrument, scores, important, verdict", [
    ("nrs", [7, 4, 4], (True, True), "important improvement, sustained"),
    ("nrs", [7, 6, 4], (False, True), "important improvement, not yet sustained"),
    ("nrs", [8, 4], (True,), "important improvement, not yet sustained"),
    ("nrs", [7, 4, 5, 6], (True, True, False), "improvement lost"),
    ("odi", [46, 36, 38, 42], (True, False, False), "improvement lost"),
    ("odi", [20, 14, 14], (True, True), "important improvement, sustained"),  # 6 points is 30 % of 20
    ("nrs", [6, 5, 5], (False, False), "no important change"),
    ("nrs", [7, 4, 9], (True, False), "worse"),
    ("odi", [40, 49], (False,), "no important change"),  # 9 points worse is below the 10-point threshold
    ("odi", [40, 50], (False,), "worse"),
])
def test_review_progress_judges_each_follow_up_against_the_minimal_important_change(instrument, scores, important,
                                                                                     verdict):
    review = assessment.review_progress(instrument, scores)
    assert review.important == important
    assert review.verdict == verdict
    assert review.changes == tuple(scores[0] - s for s in scores[1:])
    assert verdict in assessment.VERDICTS


def test_review_progress_rejects_bad_input():
    for instrument, scores, message in (("nrs", [7], "at least one follow-up"), ("nrs", "74", "sequence"),
                                        ("nrs", [7, 11], r"scores\[1\] must be in \[0, 10\]"),
                                        ("pain", [7, 4], "unknown instrument"), ("odi", [40, None], "must be a number")):
        with pytest.raises(ValueError, match=message):
            assessment.review_progress(instrument, scores)


@pytest.mark.parametrize("total, psychosocial, group", [(0, 0, "low"), (3, 3, "low"), (4, 3, "medium"),
                                                        (4, 4, "high"), (7, 5, "high"), (7, 3, "medium"),
                                                        (5, 2, "medium")])
def test_start_back_group_follows_the_keele_rule(total, psychosocial, group):
    assert assessment.start_back_group(total, psychosocial) == group


def test_start_back_group_rejects_impossible_scores():
    for total, psychosocial, message in ((10, 2, "total must be from 0 to 9"), (3, 4, "cannot exceed"),
                                         (9, 0, "other items"), (4.0, 2, "whole number"), (4, 6, "psychosocial")):
        with pytest.raises(ValueError, match=message):
            assessment.start_back_group(total, psychosocial)


@pytest.mark.parametrize("instrument, baseline, needed", [("nrs", 7, 2.0), ("nrs", 5, 1.5), ("nrs", 0, 2.0),
                                                          ("odi", 46, 10.0), ("odi", 20, 6.0), ("vas", 40, 12.0)])
def test_improvement_needed_is_the_smaller_of_the_two_thresholds(instrument, baseline, needed):
    assert assessment.improvement_needed(instrument, baseline) == pytest.approx(needed)
