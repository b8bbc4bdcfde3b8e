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
