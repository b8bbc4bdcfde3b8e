"""The pump planner against hand arithmetic, and its refusals."""

from datetime import date

import pytest

from painlab import intrathecal


def test_refill_plan_by_hand():
    # 20 mL filled, 2 mL alarm, 1 mg/day at 0.5 mg/mL -> 2 mL/day: alarm after 9 days, empty after 10
    plan = intrathecal.plan_refill(20.0, 0.5, 1.0, date(2026, 1, 1), low_reservoir_alarm_ml=2.0,
                                   reservoir_capacity_ml=20.0)
    assert plan.daily_volume_ml == pytest.approx(2.0)
    assert plan.days_to_alarm == pytest.approx(9.0)
    assert plan.days_to_empty == pytest.approx(10.0)
    assert plan.alarm_date == date(2026, 1, 10)
    assert plan.empty_date == date(2026, 1, 11)
    assert plan.refill_by == date(2026, 1, 9)
    assert plan.limited_by == "low-reservoir alarm"


def test_fractional_days_round_down_to_the_earliest_day():
    # 40 mL, 2 mL alarm, 3 mg/day at 2 mg/mL = 1.5 mL/day: alarm after 25.33 days
    plan = intrathecal.plan_refill(40.0, 2.0, 3.0, date(2026, 3, 1), 2.0, 40.0)
    assert plan.days_to_alarm == pytest.approx(38 / 1.5)
    assert plan.alarm_date == date(2026, 3, 26)


def test_drug_stability_can_come_first():
    plan = intrathecal.plan_refill(40.0, 10.0, 1.0, date(2026, 1, 1), 2.0, 40.0, stability_days=90)
    assert plan.days_to_alarm == pytest.approx(380.0)
    assert plan.refill_by == date(2026, 4, 1)
    assert plan.limited_by == "drug stability"


def test_concentration_for_interval_by_hand():
    # 2 mg/day for 90 days from 38 usable mL: 180 / 38 mg/mL
    assert intrathecal.concentration_for_interval(2.0, 90, 40.0, 2.0) == pytest.approx(180 / 38)


def test_reservoir_volume_falls_linearly():
    assert intrathecal.reservoir_volume_ml(20.0, 0.5, 10.0) == pytest.approx(15.0)
    with pytest.raises(ValueError, match="days must be in"):
        intrathecal.reservoir_volume_ml(20.0, 0.5, 41.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(filled_volume_ml=45.0), r"filled_volume_ml must be in \(0, 40\] mL"),
    (dict(low_reservoir_alarm_ml=20.0), "low_reservoir_alarm_ml must be in"),
    (dict(concentration_mg_per_ml=-1.0), "concentration_mg_per_ml must be in"),
    (dict(daily_dose_mg=50.0, concentration_mg_per_ml=1.0), "uses 50 mL/day, more than the 20 mL in the pump"),
    (dict(refill_date="2026-01-01"), "refill_date must be a datetime.date"),
])
def test_planner_refuses_impossible_input(kwargs, message):
    arguments = dict(filled_volume_ml=20.0, concentration_mg_per_ml=0.5, daily_dose_mg=1.0,
                     refill_date=date(2026, 1, 1), low_reservoir_alarm_ml=2.0, reservoir_capacity_ml=40.0)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        intrathecal.plan_refill(**arguments)
