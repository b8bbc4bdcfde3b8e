"""Intrathecal drug delivery: the arithmetic of an implanted pump's reservoir.

A programmable pump delivers ``daily_dose_mg`` from a reservoir of drug at ``concentration_mg_per_ml``,
so it uses ``daily_dose_mg / concentration_mg_per_ml`` millilitres a day. From a refill, the reservoir
reaches its low-reservoir alarm volume after ``(filled - alarm) / daily volume`` days and is empty
(the patient in withdrawal) after ``filled / daily volume`` days. The refill must be booked before the
alarm, and before the drug's own stability limit, whichever comes first.

Everything here is arithmetic a clinician must be able to check by hand; the functions refuse
impossible inputs (a fill larger than the reservoir, a dose that empties the pump in under a day)
rather than return a misleading date. Drug choice, starting doses and conversion from systemic
opioids follow the current consensus guideline and the product labels, not this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from painlab.validation import require_number

__all__ = ["RefillPlan", "daily_volume_ml", "plan_refill", "concentration_for_interval", "reservoir_volume_ml"]

MAX_RESERVOIR_ML = 100.0  # well above any implanted pump's reservoir: a plausibility bound, not a product value


def daily_volume_ml(daily_dose_mg: float, concentration_mg_per_ml: float) -> float:
    """Volume the pump delivers per day: dose / concentration."""
    dose = require_number("daily_dose_mg", daily_dose_mg, 0.0, 1000.0, low_inclusive=False, unit="mg/day")
    concentration = require_number("concentration_mg_per_ml", concentration_mg_per_ml, 0.0, 1000.0,
                                   low_inclusive=False, unit="mg/mL")
    return dose / concentration


@dataclass(frozen=True)
class RefillPlan:
    """When a filled pump alarms and empties, and the date by which it must be refilled."""

    filled_volume_ml: float
    daily_volume_ml: float
    days_to_alarm: float
    days_to_empty: float
    refill_date: date
    alarm_date: date
    empty_date: date
    refill_by: date  # the earlier of the day before the alarm and the drug's stability limit
    limited_by: str  # "low-reservoir alarm" or "drug stability"


def plan_refill(filled_volume_ml: float, concentration_mg_per_ml: float, daily_dose_mg: float, refill_date: date,
                low_reservoir_alarm_ml: float, reservoir_capacity_ml: float,
                stability_days: float | None = None) -> RefillPlan:
    """Days and dates to the low-reservoir alarm and to an empty pump after a refill on ``refill_date``.

    ``filled_volume_ml`` is the volume in the reservoir after the refill (at most its capacity).
    Dates are whole days: the alarm and empty dates are rounded *down* (the earliest day it can
    happen), and the pump must be refilled by the day before the alarm. ``stability_days``, if
    given, is the number of days the drug in the reservoir may be used; the refill cannot be later.
    """
    capacity = require_number("reservoir_capacity_ml", reservoir_capacity_ml, 0.0, MAX_RESERVOIR_ML,
                              low_inclusive=False, unit="mL")
    filled = require_number("filled_volume_ml", filled_volume_ml, 0.0, capacity, low_inclusive=False, unit="mL")
    alarm = require_number("low_reservoir_alarm_ml", low_reservoir_alarm_ml, 0.0, filled, high_inclusive=False,
                           unit="mL (below the filled volume)")
    if not isinstance(refill_date, date):
        raise ValueError(f"refill_date must be a datetime.date, got {type(refill_date).__name__} {refill_date!r}")
    per_day = daily_volume_ml(daily_dose_mg, concentration_mg_per_ml)
    if per_day >= filled:
        raise ValueError(f"{daily_dose_mg} mg/day at {concentration_mg_per_ml} mg/mL uses {per_day:g} mL/day, more "
                         f"than the {filled:g} mL in the pump: check the dose, the concentration and their units")
    days_to_alarm = (filled - alarm) / per_day
    days_to_empty = filled / per_day
    alarm_date = refill_date + timedelta(days=math.floor(days_to_alarm))
    empty_date = refill_date + timedelta(days=math.floor(days_to_empty))
    refill_by, limited_by = alarm_date - timedelta(days=1), "low-reservoir alarm"
    if stability_days is not None:
        stable = require_number("stability_days", stability_days, 1.0, 3650.0, unit="days")
        stability_limit = refill_date + timedelta(days=math.floor(stable))
        if stability_limit < refill_by:
            refill_by, limited_by = stability_limit, "drug stability"
    return RefillPlan(filled, per_day, days_to_alarm, days_to_empty, refill_date, alarm_date, empty_date, refill_by,
                      limited_by)


def concentration_for_interval(daily_dose_mg: float, interval_days: float, filled_volume_ml: float,
                               low_reservoir_alarm_ml: float) -> float:
    """Concentration (mg/mL) at which ``daily_dose_mg`` reaches the low-reservoir alarm after ``interval_days``.

    dose x days / (filled - alarm). A guideline or label maximum concentration, where one applies,
    must be checked separately: a longer interval is not a reason to exceed it.
    """
    dose = require_number("daily_dose_mg", daily_dose_mg, 0.0, 1000.0, low_inclusive=False, unit="mg/day")
    days = require_number("interval_days", interval_days, 1.0, 3650.0, unit="days")
    filled = require_number("filled_volume_ml", filled_volume_ml, 0.0, MAX_RESERVOIR_ML, low_inclusive=False,
                            unit="mL")
    alarm = require_number("low_reservoir_alarm_ml", low_reservoir_alarm_ml, 0.0, filled, high_inclusive=False,
                           unit="mL (below the filled volume)")
    return dose * days / (filled - alarm)


def reservoir_volume_ml(filled_volume_ml: float, daily_volume_ml_per_day: float, days: float) -> float:
    """Volume left after ``days``; ValueError once the pump would be empty (there is no negative volume)."""
    filled = require_number("filled_volume_ml", filled_volume_ml, 0.0, MAX_RESERVOIR_ML, low_inclusive=False,
                            unit="mL")
    per_day = require_number("daily_volume_ml_per_day", daily_volume_ml_per_day, 0.0, filled, low_inclusive=False,
                             unit="mL/day")
    elapsed = require_number("days", days, 0.0, filled / per_day, unit="days (until the pump is empty)")
    return filled - per_day * elapsed
