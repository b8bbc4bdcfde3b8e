"""The fingertip heat balance against hand arithmetic, its limits and a numerical solution; the block criteria
on the lesson's worked example; the spread geometry; and the refusals."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from painlab import sympathetic
from painlab.reference import sympathetic as ref

MODEL = sympathetic.DEFAULT_FINGERTIP


def test_model_constants_come_from_the_reference_data():
    assert MODEL.blood_volumetric_heat_capacity_j_per_m3_k == pytest.approx(1000.0 * 4180.0)
    assert MODEL.surface_coefficient_w_per_m2_k == pytest.approx(4.5 + 3.4)
    assert MODEL.radius_mm == ref.FINGER_RADIUS_MM.value == 9.0
    # gamma = 2 h / r = 2 x 7.9 / 0.009
    assert MODEL.surface_loss_w_per_m3_k == pytest.approx(1755.56, abs=0.01)


def test_steady_temperature_by_hand():
    # 1 mL/(100 mL min) = 1/6000 per s: beta = 4.18e6 / 6000 = 696.67 W/(m3 K)
    beta, gamma = 4.18e6 / 6000.0, 2 * 7.9 / 0.009
    expected = (beta * 37.0 + gamma * 22.0) / (beta + gamma)
    assert sympathetic.steady_skin_temperature_c(1.0, 22.0) == pytest.approx(expected)
    assert expected == pytest.approx(26.26, abs=0.01)
    assert sympathetic.steady_skin_temperature_c(27.0, 22.0) == pytest.approx(35.72, abs=0.01)


def test_steady_temperature_limits():
    assert sympathetic.steady_skin_temperature_c(0.0, 22.0) == pytest.approx(22.0)  # no flow: the room
    assert sympathetic.steady_skin_temperature_c(200.0, 22.0) == pytest.approx(37.0, abs=0.6)  # towards core
    temperatures = [sympathetic.steady_skin_temperature_c(q, 20.0) for q in (0.5, 1, 2, 5, 10, 20)]
    assert np.all(np.diff(temperatures) > 0)


def test_time_constant_shrinks_as_flow_rises():
    tau_cold = sympathetic.time_constant_min(1.0)
    assert tau_cold == pytest.approx(1090 * 3421 / (4.18e6 / 6000 + 2 * 7.9 / 0.009) / 60, rel=1e-9)
    assert tau_cold == pytest.approx(25.3, abs=0.1)
    assert sympathetic.time_constant_min(27.0) == pytest.approx(3.0, abs=0.1)


def test_flow_for_temperature_inverts_the_steady_state():
    flow = sympathetic.flow_for_skin_temperature(27.0, 21.0)
    assert flow == pytest.approx(1.512, abs=0.001)
    assert sympathetic.steady_skin_temperature_c(flow, 21.0) == pytest.approx(27.0)


def test_time_course_matches_a_numerical_solution_of_the_heat_balance():
    baseline, blocked, room = 1.0, 27.0, 22.0
    times = np.linspace(0.0, 40.0, 81)
    exact = sympathetic.skin_temperature_after_block_c(times, baseline, blocked, room, block_time_min=5.0)
    capacity = MODEL.tissue_volumetric_heat_capacity_j_per_m3_k
    gamma = MODEL.surface_loss_w_per_m3_k

    def rate(t_s, temperature):
        flow = blocked if t_s >= 300.0 else baseline
        beta = MODEL.blood_gain_w_per_m3_k(flow)
        return [(beta * (37.0 - temperature[0]) - gamma * (temperature[0] - room)) / capacity]

    start = sympathetic.steady_skin_temperature_c(baseline, room)
    numeric = solve_ivp(rate, (0.0, 2400.0), [start], t_eval=times * 60.0, rtol=1e-9, atol=1e-9, max_step=5.0)
    assert np.max(np.abs(numeric.y[0] - exact)) < 0.01
    assert exact[0] == pytest.approx(26.26, abs=0.01) and exact[10] == pytest.approx(exact[0])  # flat before 5 min
    assert exact[-1] == pytest.approx(35.72, abs=0.01)


def test_worked_example_assessment():
    result = sympathetic.assess_hand_temperatures(27.0, 31.5, 29.5, 29.8)
    assert result.relative_rise_c == pytest.approx(4.2)
    assert result.meets_relative_criterion and not result.reaches_absolute_target and result.baseline_cool_enough
    assert "34 °C not reached" in result.summary()
    warm = sympathetic.assess_hand_temperatures(34.5, 34.9, 34.0, 34.0)
    assert not warm.meets_relative_criterion and warm.reaches_absolute_target and not warm.baseline_cool_enough
    assert "says little" in warm.summary()
    # exactly on the threshold counts
    assert sympathetic.assess_hand_temperatures(28.0, 29.5, 28.0, 28.0).meets_relative_criterion


def test_spread_is_volume_over_area():
    spread = sympathetic.injectate_spread_levels(6.0)  # 6000 mm3 over 120 mm2 = 50 mm
    assert spread.length_mm == pytest.approx(50.0)
    assert spread.caudal_levels == pytest.approx(50.0 * 0.6 / 18.0)
    assert (spread.upper_level, spread.lower_level) == ("C5", "T1")
    small = sympathetic.injectate_spread_levels(2.0)
    assert (small.upper_level, small.lower_level) == ("C6", "C7")
    wide = sympathetic.injectate_spread_levels(4.0, cross_section_mm2=40.0, caudal_fraction=1.0)
    assert wide.cranial_levels == 0.0 and wide.lower_level == "T4"


@pytest.mark.parametrize("call, message", [
    (lambda: sympathetic.steady_skin_temperature_c(-1.0, 22.0), "flow_ml_per_100ml_min"),
    (lambda: sympathetic.steady_skin_temperature_c(5.0, 37.0), "below core"),
    (lambda: sympathetic.steady_skin_temperature_c(5.0, 22.0, core_temperature_c=45.0), "core_temperature_c"),
    (lambda: sympathetic.flow_for_skin_temperature(37.5, 22.0), "skin_temperature_c"),
    (lambda: sympathetic.skin_temperature_after_block_c([-1.0, 2.0], 1.0, 27.0, 22.0), "time_min"),
    (lambda: sympathetic.assess_hand_temperatures(27.0, 310.0, 29.0, 29.0), "blocked_after_c"),
    (lambda: sympathetic.injectate_spread_levels(0.0), "volume_ml"),
    (lambda: sympathetic.injectate_spread_levels(5.0, injected_level="L4"), "injected_level"),
])
def test_refusals(call, message):
    with pytest.raises(ValueError, match=message):
        call()
