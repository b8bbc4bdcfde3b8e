"""Local anaesthetic limits from the labels, the planner's refusals, MME and steroid equivalence."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from painlab import pharmacology as ph
from painlab.reference import pharmacology as data
from painlab.reference.pharmacology import IntravenousKinetics
from painlab.reference.source import Source

weights = st.floats(min_value=30.0, max_value=350.0)
percents = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
drugs = st.sampled_from(ph.DOSE_CALCULATOR_ANAESTHETICS)
epinephrine = st.booleans()


def limit_or_skip(drug, with_epinephrine):
    try:
        return ph.dose_limit(drug, with_epinephrine)
    except ValueError:
        return None


def test_lidocaine_label_limits_by_hand():
    assert ph.max_dose_mg("lidocaine", 50) == pytest.approx(225.0)  # 4.5 mg/kg
    assert ph.max_dose_mg("lidocaine", 70) == 300.0  # capped
    assert ph.max_dose_mg("lidocaine", 60, with_epinephrine=True) == pytest.approx(420.0)  # 7 mg/kg
    assert ph.max_dose_mg("LIDOCAINE", 90, with_epinephrine=True) == 500.0
    assert ph.max_dose_mg("lignocaine", 50) == ph.max_dose_mg("lidocaine", 50)


def test_other_labels():
    assert ph.max_dose_mg("chloroprocaine", 60) == pytest.approx(660.0)
    assert ph.max_dose_mg("chloroprocaine", 100) == 800.0
    assert ph.max_dose_mg("chloroprocaine", 100, with_epinephrine=True) == 1000.0
    assert ph.max_dose_mg("mepivacaine", 45) == 400.0  # the label states a total only


def test_percent_and_dilution_arithmetic():
    assert ph.mg_per_ml(1) == 10.0
    assert ph.mg_per_ml(0.25) == 2.5
    assert ph.epinephrine_mcg_per_ml(200_000) == 5.0
    assert ph.epinephrine_mcg_per_ml(100_000) == 10.0
    assert ph.max_volume_ml("lidocaine", 1, 70) == pytest.approx(30.0)
    assert ph.max_volume_ml("lidocaine", 2, 70, with_epinephrine=True) == pytest.approx(24.5)


@pytest.mark.parametrize("call, message", [
    (lambda: ph.max_dose_mg("ketamine", 70), "unknown local anaesthetic 'ketamine'; accepted: bupivacaine"),
    (lambda: ph.max_dose_mg("bupivacaine", 70), "no verified label maximum dose for bupivacaine"),
    (lambda: ph.max_dose_mg("mepivacaine", 70, with_epinephrine=True), "no maximum dose for mepivacaine with epinephrine"),
    (lambda: ph.max_dose_mg("lidocaine", 0), "weight_kg must be in \\[30, 350\\]"),
    (lambda: ph.max_dose_mg("lidocaine", -70), "weight_kg"),
    (lambda: ph.max_dose_mg("lidocaine", 400), "weight_kg"),
    (lambda: ph.max_dose_mg("lidocaine", float("inf")), "weight_kg"),
    (lambda: ph.max_dose_mg("lidocaine", "70"), "weight_kg must be a number"),
    (lambda: ph.max_dose_mg("lidocaine", 70, with_epinephrine="yes"), "with_epinephrine must be True or False"),
    (lambda: ph.max_dose_mg(None, 70), "local anaesthetic must be a name"),
    (lambda: ph.mg_per_ml(0), "percent must be in \\(0, 10\\]"),
    (lambda: ph.mg_per_ml(20), "percent"),
    (lambda: ph.epinephrine_mcg_per_ml(200), "ratio"),
    (lambda: ph.epinephrine_mcg_per_ml(-200000), "ratio"),
    (lambda: ph.daily_mme("heroin", 10), "unknown opioid 'heroin'"),
    (lambda: ph.daily_mme("morphine", -5), "daily_dose"),
    (lambda: ph.equivalent_steroid_dose_mg(40, "methylprednisolone", "betamethasone"), "unknown corticosteroid"),
])
def test_bad_input_gets_a_clear_error_never_a_number(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@given(drugs, weights, weights, epinephrine)
def test_max_dose_is_monotone_in_weight_and_never_above_the_cap(drug, w1, w2, with_epi):
    limit = limit_or_skip(drug, with_epi)
    if limit is None:
        return
    low, high = sorted((w1, w2))
    dose_low, dose_high = ph.max_dose_mg(drug, low, with_epi), ph.max_dose_mg(drug, high, with_epi)
    assert dose_low <= dose_high <= limit.cap_mg
    if limit.mg_per_kg is not None:
        assert dose_low <= limit.mg_per_kg * low + 1e-9


@given(drugs, percents, weights, epinephrine)
def test_volume_times_concentration_never_exceeds_the_maximum_dose(drug, percent, weight, with_epi):
    if limit_or_skip(drug, with_epi) is None:
        return
    volume = ph.max_volume_ml(drug, percent, weight, with_epi)
    assert volume * ph.mg_per_ml(percent) <= ph.max_dose_mg(drug, weight, with_epi) * (1 + 1e-12)
    if volume * 0.999 <= 200.0:  # the planner's plausibility bound on a single injection
        ph.plan_injection(drug, percent, volume * 0.999, weight, with_epi)  # just under the limit is accepted
    over = volume * 1.01
    with pytest.raises(ph.UnsafePlanError if over <= 200.0 else ValueError):
        ph.plan_injection(drug, percent, over, weight, with_epi)


def test_planner_refuses_unsafe_plans_and_says_what_would_be_safe():
    with pytest.raises(ph.UnsafePlanError, match="400 mg, above the maximum of 270 mg for 60 kg; at most 13.5 mL"):
        ph.plan_injection("lidocaine", 2, 20, 60)
    plan = ph.plan_injection("lidocaine", 1, 20, 70)
    assert plan.dose_mg == 200.0 and plan.fraction_of_max == pytest.approx(2 / 3)


def test_mme_uses_the_cdc_2022_factors():
    assert ph.daily_mme("oxycodone", 40) == pytest.approx(60.0)
    assert ph.daily_mme("hydromorphone", 8) == pytest.approx(40.0)
    assert ph.daily_mme("Fentanyl patch", 25) == pytest.approx(60.0)  # mcg/h
    assert ph.daily_mme("tramadol", 200) == pytest.approx(40.0)
    assert set(ph.OPIOIDS) == set(data.MME_CONVERSION_FACTORS)


def test_steroid_equivalence():
    assert ph.equivalent_steroid_dose_mg(40, "methylprednisolone", "dexamethasone") == pytest.approx(7.5)
    assert ph.equivalent_steroid_dose_mg(20, "hydrocortisone", "prednisone") == pytest.approx(5.0)
    assert ph.equivalent_steroid_dose_mg(80, "triamcinolone", "methylprednisolone") == pytest.approx(80.0)


def test_epidural_kinetics():
    times = np.arange(0.0, 600.0, 1.0)
    lidocaine = ph.epidural_plasma_concentration_mcg_per_ml("lidocaine", 400, times)
    assert lidocaine[0] == 0.0 and np.all(lidocaine >= 0)
    assert 10 < times[lidocaine.argmax()] < 120
    double = ph.epidural_plasma_concentration_mcg_per_ml("lidocaine", 800, times)
    assert np.allclose(double, 2 * lidocaine)  # linear kinetics
    # Area under the curve equals the absorbed dose over clearance (mass balance), within the tail.
    kinetics = data.LOCAL_ANAESTHETICS["lidocaine"].kinetics
    long_times = np.arange(0.0, 3000.0, 0.5)
    curve = ph.epidural_plasma_concentration_mcg_per_ml("lidocaine", 400, long_times)
    absorbed = 400 * sum(f for f, _ in kinetics.epidural_absorption)
    assert np.trapezoid(curve, long_times) == pytest.approx(absorbed / kinetics.clearance_l_per_min, rel=0.02)
    with pytest.raises(ValueError, match="no cited kinetics for chloroprocaine"):
        ph.epidural_plasma_concentration_mcg_per_ml("chloroprocaine", 100, times)


# --- the intravenous compartment model against analytic limits ----------------------------------


ONE_COMPARTMENT = IntravenousKinetics(0.5, 0.01, (), Source("test"))
TWO_COMPARTMENT = IntravenousKinetics(0.3, 0.012, ((0.03, 1.2),), Source("test"))


def test_one_compartment_bolus_decays_exponentially():
    t = np.array([0.0, 30.0, 120.0])
    concentration = ph.compartment_concentration_mcg_per_ml(ONE_COMPARTMENT, 70.0, 100.0, 0.0, 0.0, t)
    expected = 100.0 / 35.0 * np.exp(-0.02 * t)  # D / V, k = CL / V
    np.testing.assert_allclose(concentration, expected, rtol=1e-10)


def test_long_infusion_reaches_rate_over_clearance():
    rate_mg_per_min = 2.0
    late = ph.compartment_concentration_mcg_per_ml(TWO_COMPARTMENT, 70.0, 0.0, rate_mg_per_min, 1e5,
                                                             np.array([5e4]))
    assert late[0] == pytest.approx(rate_mg_per_min / (0.012 * 70.0), rel=1e-9)


def test_two_compartment_bolus_matches_the_biexponential():
    k10, k12, k21 = 0.012 / 0.3, 0.03 / 0.3, 0.03 / 1.2
    total = k10 + k12 + k21
    alpha = (total + np.sqrt(total ** 2 - 4 * k10 * k21)) / 2
    beta = (total - np.sqrt(total ** 2 - 4 * k10 * k21)) / 2
    c0 = 50.0 / (0.3 * 70.0)
    t = np.linspace(0, 600, 7)
    expected = c0 * ((alpha - k21) / (alpha - beta) * np.exp(-alpha * t) + (k21 - beta) / (alpha - beta) * np.exp(-beta * t))
    concentration = ph.compartment_concentration_mcg_per_ml(TWO_COMPARTMENT, 70.0, 50.0, 0.0, 0.0, t)
    np.testing.assert_allclose(concentration, expected, rtol=1e-9)


def test_stopping_an_infusion_is_continuous_and_then_falls():
    t = np.array([59.999, 60.0, 60.001, 90.0])
    c = ph.compartment_concentration_mcg_per_ml(TWO_COMPARTMENT, 70.0, 0.0, 1.0, 60.0, t)
    assert c[1] == pytest.approx(c[0], rel=1e-4) and c[2] == pytest.approx(c[1], rel=1e-4)
    assert c[3] < c[2]


@pytest.mark.parametrize("drug", ["lidocaine", "ketamine"])
def test_derived_compartments_reproduce_the_reported_disposition(drug):
    reported = data.INTRAVENOUS_DISPOSITION[drug]
    kinetics = ph.intravenous_kinetics(drug)
    weight = reported.reference_weight_kg.value
    (q, v2), = kinetics.peripheral
    assert (kinetics.central_volume_l_per_kg + v2) * weight == pytest.approx(reported.steady_state_volume_l, rel=1e-6)
    assert kinetics.clearance_l_per_kg_per_min * weight == pytest.approx(reported.clearance_l_per_min)
    rates = ph._rate_matrix_per_min(kinetics)
    half_lives = sorted(math.log(2) / -np.linalg.eigvals(rates).real)
    assert half_lives == pytest.approx([reported.distribution_half_life_min, reported.elimination_half_life_min], rel=1e-6)


def test_lidocaine_derived_central_volume_agrees_with_the_reported_one():
    # Burm et al. report V1 = 43 L; deriving it from CL, Vss and the two half-lives gives 41.4 L (within 4 %)
    reported = data.INTRAVENOUS_DISPOSITION["lidocaine"]
    derived = ph.intravenous_kinetics("lidocaine").central_volume_l_per_kg * reported.reference_weight_kg.value
    assert derived == pytest.approx(reported.reported_central_volume_l, rel=0.04)


def test_maintenance_rate_is_clearance_times_target():
    clearance_l_per_min = data.INTRAVENOUS_DISPOSITION["lidocaine"].clearance_l_per_min  # 0.95 L/min at 70 kg
    assert ph.maintenance_rate_mg_per_h("lidocaine", 70, 2.0) == pytest.approx(clearance_l_per_min * 60 * 2.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(drug="bupivacaine"), "unknown infusion drug 'bupivacaine'; accepted: ketamine, lidocaine"),
    (dict(weight_kg=7.0), r"weight_kg must be in \[30, 350\] kg \(adult product-label limits"),
    (dict(rate_mg_per_kg_per_h=-1.0), "rate_mg_per_kg_per_h must be in"),
    (dict(bolus_mg_per_kg=50.0), r"bolus_mg_per_kg must be in \[0, 10\] mg/kg"),
])
def test_infusion_model_refuses_bad_input(kwargs, message):
    arguments = dict(drug="lidocaine", weight_kg=70.0, bolus_mg_per_kg=0.0, rate_mg_per_kg_per_h=1.0,
                     duration_min=60.0, time_min=[0.0, 30.0])
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        ph.infusion_plasma_concentration(**arguments)
