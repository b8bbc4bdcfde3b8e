"""Pharmacology for procedures: local anaesthetic dose and volume limits, epinephrine, steroids, opioids.

Every limit and factor comes from :mod:`painlab.reference.pharmacology` (product labels and
guidelines, each with its citation). The calculators reject bad input with a ValueError that says
what is wrong; they never clamp or guess. They teach the arithmetic and its limits: they are not a
prescribing tool, and the current label and local protocol always take precedence.

Systemic absorption after an epidural injection is modelled by
:func:`epidural_plasma_concentration_mcg_per_ml` with the absorption and disposition kinetics that
Burm et al. (1987) measured for lidocaine and bupivacaine.

Not in this edition, because their primary sources could not be verified: the label maximum doses of
bupivacaine and ropivacaine, plasma toxicity thresholds, and oral/IV/epidural/intrathecal morphine
conversion ratios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from painlab.reference import pharmacology as data
from painlab.validation import lookup, require_bool, require_number

LOCAL_ANESTHETICS: tuple[str, ...] = tuple(data.LOCAL_ANAESTHETICS)
"""Accepted local anaesthetic names (case-insensitive)."""
LOCAL_ANAESTHETICS = LOCAL_ANESTHETICS
OPIOIDS: tuple[str, ...] = tuple(data.MME_CONVERSION_FACTORS)
"""Opioids with a CDC 2022 MME conversion factor (fentanyl: transdermal patch, dose in mcg/h)."""
CORTICOSTEROIDS: tuple[str, ...] = tuple(data.STEROID_EQUIVALENT_DOSES_MG)
"""Corticosteroids with an equivalent anti-inflammatory dose."""
DOSE_CALCULATOR_ANAESTHETICS: tuple[str, ...] = tuple(n for n, d in data.LOCAL_ANAESTHETICS.items() if d.plain)
"""Local anaesthetics whose label maximum dose the course could verify (the dose calculators accept these)."""

ADULT_WEIGHT_RANGE_KG = (30.0, 350.0)
"""The limits come from adult product labels; below 30 kg paediatric dosing applies, above 350 kg
the weight is implausible."""


class UnsafePlanError(ValueError):
    """A planned injection exceeds a maximum dose: the planner refuses it."""


def _weight(weight_kg: object) -> float:
    low, high = ADULT_WEIGHT_RANGE_KG
    return require_number("weight_kg", weight_kg, low, high, unit="kg (adult product-label limits; "
                                                                  "paediatric dosing differs)")


def _anaesthetic(drug: object) -> data.LocalAnaesthetic:
    return lookup("local anaesthetic", drug, data.LOCAL_ANAESTHETICS, data.LOCAL_ANAESTHETIC_ALIASES)


# --------------------------------------------------------------------------------------------
# Local anaesthetics
# --------------------------------------------------------------------------------------------


def dose_limit(drug: str, with_epinephrine: bool = False) -> data.DoseLimit:
    """The cited maximum single dose of a local anaesthetic, plain or with epinephrine."""
    anaesthetic = _anaesthetic(drug)
    if anaesthetic.plain is None:
        raise ValueError(f"no verified label maximum dose for {anaesthetic.name} in the course's reference data; "
                         f"the dose calculators accept: {', '.join(DOSE_CALCULATOR_ANAESTHETICS)}")
    if require_bool("with_epinephrine", with_epinephrine):
        if anaesthetic.with_epinephrine is None:
            raise ValueError(f"the cited source gives no maximum dose for {anaesthetic.name} with epinephrine; "
                             f"use with_epinephrine=False")
        return anaesthetic.with_epinephrine
    return anaesthetic.plain


def max_dose_mg(drug: str, weight_kg: float, with_epinephrine: bool = False) -> float:
    """Maximum single dose (mg): the smaller of mg/kg x weight and the absolute cap.

    Where the label states only an absolute cap, that cap is returned for any adult weight.
    """
    limit = dose_limit(drug, with_epinephrine)
    weight = _weight(weight_kg)
    if limit.mg_per_kg is None:
        return limit.cap_mg
    return min(limit.mg_per_kg * weight, limit.cap_mg)


def mg_per_ml(percent: float) -> float:
    """Concentration in mg/mL of a solution given in percent (w/v): 1 % = 1 g/100 mL = 10 mg/mL."""
    value = require_number("percent", percent, 0.0, 10.0, low_inclusive=False, unit="% (w/v)")
    return 10.0 * value


def max_volume_ml(drug: str, percent: float, weight_kg: float, with_epinephrine: bool = False) -> float:
    """Largest volume (mL) of a ``percent`` solution that stays within the maximum dose."""
    return max_dose_mg(drug, weight_kg, with_epinephrine) / mg_per_ml(percent)


def epinephrine_mcg_per_ml(ratio: float) -> float:
    """Epinephrine concentration of a 1:``ratio`` dilution (g per mL) in mcg/mL: 1:200 000 -> 5 mcg/mL."""
    value = require_number("ratio", ratio, 1000.0, 1_000_000.0,
                           unit="(the N of a 1:N dilution, from 1:1000 to 1:1 000 000)")
    return 1_000_000.0 / value


@dataclass(frozen=True)
class InjectionPlan:
    """A checked local anaesthetic injection."""

    drug: str
    percent: float
    volume_ml: float
    weight_kg: float
    with_epinephrine: bool
    dose_mg: float
    max_dose_mg: float

    @property
    def fraction_of_max(self) -> float:
        return self.dose_mg / self.max_dose_mg


def plan_injection(drug: str, percent: float, volume_ml: float, weight_kg: float,
                   with_epinephrine: bool = False) -> InjectionPlan:
    """Check a planned injection against the maximum dose; raise UnsafePlanError if it exceeds it.

    The check is of one injection against the single-dose maximum. Local anaesthetic given by other
    people or at other sites in the same period adds to the total, and systemic toxicity can occur
    below the maximum (for example with an intravascular injection).
    """
    anaesthetic = _anaesthetic(drug)
    volume = require_number("volume_ml", volume_ml, 0.0, 200.0, low_inclusive=False, unit="mL")
    dose = mg_per_ml(percent) * volume
    limit = max_dose_mg(drug, weight_kg, with_epinephrine)
    plan = InjectionPlan(anaesthetic.name, float(percent), volume, float(weight_kg), with_epinephrine, dose, limit)
    if dose > limit:
        raise UnsafePlanError(
            f"unsafe plan: {volume:g} mL of {percent:g} % {anaesthetic.name} is {dose:g} mg, above the maximum "
            f"of {limit:g} mg for {weight_kg:g} kg{' with epinephrine' if with_epinephrine else ''}; at most "
            f"{limit / mg_per_ml(percent):.1f} mL of this solution")
    return plan


# --------------------------------------------------------------------------------------------
# Systemic absorption of local anaesthetic
# --------------------------------------------------------------------------------------------


def epidural_plasma_concentration_mcg_per_ml(drug: str, dose_mg: float, time_min: ArrayLike) -> NDArray[np.float64]:
    """Plasma concentration (mcg/mL = mg/L) after an epidural injection, from Burm et al.'s adult kinetics.

    Two parallel first-order absorption processes (a fast and a slow fraction) feed one compartment
    with the steady-state volume and total clearance they measured:
    C(t) = sum_i F_i D ka_i / (V (ka_i - ke)) (exp(-ke t) - exp(-ka_i t)), with ke = CL / V.
    The one-compartment simplification smooths the early distribution peak; it is a teaching model
    of how dose, absorption and clearance shape exposure, not a prediction for a patient.
    """
    anaesthetic = _anaesthetic(drug)
    kinetics = anaesthetic.kinetics
    if kinetics is None:
        available = ", ".join(n for n, d in data.LOCAL_ANAESTHETICS.items() if d.kinetics)
        raise ValueError(f"no cited kinetics for {anaesthetic.name}; available for: {available}")
    dose = require_number("dose_mg", dose_mg, 0.0, 2000.0, unit="mg")
    times = np.asarray(time_min, dtype=float)
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise ValueError("time_min must be finite, non-negative minutes")
    volume_l = kinetics.volume_of_distribution_l
    ke = kinetics.clearance_l_per_min / volume_l
    concentration = np.zeros_like(times)
    for fraction, half_time_min in kinetics.epidural_absorption:
        ka = np.log(2.0) / half_time_min
        concentration += fraction * dose * ka / (volume_l * (ka - ke)) * (np.exp(-ke * times) - np.exp(-ka * times))
    return concentration


# --------------------------------------------------------------------------------------------
# Corticosteroids and opioids
# --------------------------------------------------------------------------------------------


def equivalent_steroid_dose_mg(dose_mg: float, from_drug: str, to_drug: str) -> float:
    """The dose of ``to_drug`` with the same glucocorticoid (anti-inflammatory) effect as ``dose_mg`` of ``from_drug``."""
    dose = require_number("dose_mg", dose_mg, 0.0, 2000.0, unit="mg")
    source = lookup("corticosteroid", from_drug, data.STEROID_EQUIVALENT_DOSES_MG)
    target = lookup("corticosteroid", to_drug, data.STEROID_EQUIVALENT_DOSES_MG)
    return dose / source.value * target.value


def daily_mme(drug: str, daily_dose: float) -> float:
    """Morphine milligram equivalents per day (CDC 2022 conversion factors).

    ``daily_dose`` is in mg/day, except transdermal fentanyl, whose dose is the patch rate in mcg/h.
    MME compares overall opioid exposure and risk; it is not a tool for converting one opioid to another.
    """
    factor = lookup("opioid", drug, data.MME_CONVERSION_FACTORS, data.OPIOID_ALIASES)
    unit = "mcg/h" if factor.dose_unit == "mcg/h" else "mg/day"
    dose = require_number("daily_dose", daily_dose, 0.0, 10_000.0, unit=unit)
    return dose * factor.value


# --------------------------------------------------------------------------------------------
# Intravenous infusions: a linear mammillary compartment model
# --------------------------------------------------------------------------------------------


def _rate_matrix_per_min(kinetics: data.IntravenousKinetics) -> NDArray[np.float64]:
    """dA/dt = K A for the amounts in the central and peripheral compartments (per minute)."""
    n = 1 + len(kinetics.peripheral)
    rates = np.zeros((n, n))
    v1 = kinetics.central_volume_l_per_kg
    rates[0, 0] = -kinetics.clearance_l_per_kg_per_min / v1
    for i, (q, volume) in enumerate(kinetics.peripheral, start=1):
        rates[0, 0] -= q / v1
        rates[0, i] = q / volume
        rates[i, 0] = q / v1
        rates[i, i] = -q / volume
    return rates


def compartment_concentration_mcg_per_ml(kinetics: data.IntravenousKinetics, weight_kg: float, bolus_mg: float,
                                         rate_mg_per_min: float, duration_min: float, time_min: ArrayLike
                                         ) -> NDArray[np.float64]:
    """Plasma (central compartment) concentration for a bolus at t = 0 and a constant infusion from 0 to
    ``duration_min``, solved exactly: A(t) = e^{Kt} A0 + K^{-1}(e^{Kt} - I) u while the infusion runs,
    then free decay from A(duration). mg/L = mcg/mL."""
    times = np.asarray(time_min, dtype=float)
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise ValueError("time_min must be finite, non-negative minutes")
    rates = _rate_matrix_per_min(kinetics)
    eigenvalues, vectors = np.linalg.eig(rates)
    eigenvalues, vectors = eigenvalues.real, vectors.real  # mammillary models have real, negative eigenvalues
    inverse = np.linalg.inv(vectors)
    n = rates.shape[0]
    start = np.zeros(n)
    start[0] = bolus_mg
    inflow = np.zeros(n)
    inflow[0] = rate_mg_per_min

    def during(t: NDArray[np.float64]) -> NDArray[np.float64]:
        decay = np.exp(np.outer(t, eigenvalues))  # (times, modes)
        gain = np.expm1(np.outer(t, eigenvalues)) / eigenvalues
        return (decay * (inverse @ start) + gain * (inverse @ inflow)) @ vectors.T

    amounts = np.empty((times.size, n))
    running = times <= duration_min
    amounts[running] = during(times[running])
    if np.any(~running):
        at_stop = during(np.array([duration_min]))[0]
        decay = np.exp(np.outer(times[~running] - duration_min, eigenvalues))
        amounts[~running] = (decay * (inverse @ at_stop)) @ vectors.T
    volume_l = kinetics.central_volume_l_per_kg * weight_kg
    return (amounts[:, 0] / volume_l).reshape(times.shape)


INFUSION_DRUGS: tuple[str, ...] = tuple(data.INTRAVENOUS_DISPOSITION)
"""Drugs with cited intravenous disposition for the infusion model."""


def _two_compartment_from(disposition: data.IntravenousDisposition) -> tuple[float, float, float]:
    """Central volume, intercompartmental clearance and peripheral volume (L, L/min, L) from reported
    clearance CL, steady-state volume Vss and half-lives (alpha, beta).

    With k10 = CL/V1: alpha*beta = k10*k21 and alpha + beta = k10 + k12 + k21, so each trial V1 gives
    k21 and k12 and hence Vss(V1) = V1 (1 + k12/k21); V1 is the root of Vss(V1) = Vss (bisection).
    """
    alpha = math.log(2.0) / disposition.distribution_half_life_min
    beta = math.log(2.0) / disposition.elimination_half_life_min
    clearance, target = disposition.clearance_l_per_min, disposition.steady_state_volume_l

    def implied_vss(v1: float) -> float:
        k10 = clearance / v1
        k21 = alpha * beta / k10
        k12 = alpha + beta - k10 - k21
        return v1 * (1.0 + k12 / k21)

    low, high = clearance / alpha, clearance / beta  # k10 lies between beta and alpha
    if not implied_vss(low) < target < implied_vss(high):
        raise ValueError("the reported clearance, volume and half-lives are not consistent with a two-compartment model")
    for _ in range(200):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if implied_vss(middle) < target else (low, middle)
    v1 = 0.5 * (low + high)
    k10 = clearance / v1
    k21 = alpha * beta / k10
    k12 = alpha + beta - k10 - k21
    return v1, k12 * v1, k12 * v1 / k21


def intravenous_kinetics(drug: str) -> data.IntravenousKinetics:
    """Per-kg two-compartment parameters derived from the drug's reported intravenous disposition."""
    disposition = lookup("infusion drug", drug, data.INTRAVENOUS_DISPOSITION, data.LOCAL_ANAESTHETIC_ALIASES)
    weight = disposition.reference_weight_kg.value
    v1, q, v2 = _two_compartment_from(disposition)
    return data.IntravenousKinetics(v1 / weight, disposition.clearance_l_per_min / weight, ((q / weight, v2 / weight),),
                                    disposition.sources[0], disposition.note)


def clearance_l_per_h(drug: str, weight_kg: float) -> float:
    """The model's total clearance for this weight (scaled in proportion to weight from the study's)."""
    weight = _weight(weight_kg)
    return intravenous_kinetics(drug).clearance_l_per_kg_per_min * weight * 60.0


def infusion_plasma_concentration(drug: str, weight_kg: float, bolus_mg_per_kg: float, rate_mg_per_kg_per_h: float,
                                  duration_min: float, time_min: ArrayLike) -> NDArray[np.float64]:
    """Plasma concentration (mcg/mL) after an intravenous bolus at t = 0 and a constant infusion from 0 to
    ``duration_min``: a two-compartment model derived from the cited disposition, scaled to weight.

    The bolus is given instantly, so the model's peak after a bolus is a worst case (a bolus given
    over minutes peaks lower). A teaching model of how dose, rate and duration set exposure; it is
    not a dosing tool.
    """
    weight = _weight(weight_kg)
    bolus = require_number("bolus_mg_per_kg", bolus_mg_per_kg, 0.0, 10.0, unit="mg/kg")
    rate = require_number("rate_mg_per_kg_per_h", rate_mg_per_kg_per_h, 0.0, 10.0, unit="mg/kg/h")
    duration = require_number("duration_min", duration_min, 0.0, 14 * 24 * 60.0, unit="min (up to 14 days)")
    kinetics = intravenous_kinetics(drug)
    return compartment_concentration_mcg_per_ml(kinetics, weight, bolus * weight, rate * weight / 60.0, duration,
                                                time_min)


def maintenance_rate_mg_per_h(drug: str, weight_kg: float, target_mcg_per_ml: float) -> float:
    """Infusion rate that holds a steady-state concentration: rate = clearance x target (mg/L = mcg/mL)."""
    target = require_number("target_mcg_per_ml", target_mcg_per_ml, 0.0, 50.0, low_inclusive=False, unit="mcg/mL")
    return clearance_l_per_h(drug, weight_kg) * target
