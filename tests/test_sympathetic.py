"""The fingertip heat balance against hand arithmetic, its limits and a numerical solution; the block criteria
on the lesson's worked example; the spread geometry; and the refusals."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from painlab import sympathetic
from painlab.reference import sympathetic as ref

MODEL = sympathetic.DEFAULT_FINGERTIP


BLOOD_J_PER_M3_K = ref.BLOOD_DENSITY_KG_PER_M3.value * ref.BLOOD_SPECIFIC_HEAT_J_PER_KG_K.value
H_W_PER_M2_K = ref.RADIATIVE_COEFFICIENT_W_PER_M2_K.value + ref.NATURAL_CONVECTION_COEFFICIENT_W_PER_M2_K.value
GAMMA_W_PER_M3_K = 2 * H_W_PER_M2_K / (ref.FINGER_RADIUS_MM.value * 1e-3)  # 2 h / r for a cylinder
CORE_C = ref.CORE_TEMPERATURE_C.value


def beta(flow_ml_per_100ml_min):
    return BLOOD_J_PER_M3_K * flow_ml_per_100ml_min / 6000.0  # 1 mL/(100 mL min) = 1/6000 per second


def test_model_constants_come_from_the_reference_data():
    assert MODEL.blood_volumetric_heat_capacity_j_per_m3_k == pytest.approx(BLOOD_J_PER_M3_K)
    assert MODEL.surface_coefficient_w_per_m2_k == pytest.approx(H_W_PER_M2_K)
    assert MODEL.radius_mm == ref.FINGER_RADIUS_MM.value
    assert MODEL.surface_loss_w_per_m3_k == pytest.approx(GAMMA_W_PER_M3_K)
    assert MODEL.blood_gain_w_per_m3_k(3.0) == pytest.approx(beta(3.0))


def test_steady_temperature_by_hand():
    for flow, room in ((1.0, 22.0), (27.0, 22.0), (5.0, 16.0)):
        expected = (beta(flow) * CORE_C + GAMMA_W_PER_M3_K * room) / (beta(flow) + GAMMA_W_PER_M3_K)
        assert sympathetic.steady_skin_temperature_c(flow, room) == pytest.approx(expected)


def test_steady_temperature_limits():
    assert sympathetic.steady_skin_temperature_c(0.0, 22.0) == pytest.approx(22.0)  # no flow: the room
    assert sympathetic.steady_skin_temperature_c(200.0, 22.0) == pytest.approx(CORE_C, abs=0.6)  # towards core
    temperatures = [sympathetic.steady_skin_temperature_c(q, 20.0) for q in (0.5, 1, 2, 5, 10, 20)]
    assert np.all(np.diff(temperatures) > 0)


def test_time_constant_shrinks_as_flow_rises():
    capacity = MODEL.tissue_volumetric_heat_capacity_j_per_m3_k
    for flow in (1.0, 27.0):
        assert sympathetic.time_constant_min(flow) == pytest.approx(capacity / (beta(flow) + GAMMA_W_PER_M3_K) / 60)
    assert sympathetic.time_constant_min(27.0) < sympathetic.time_constant_min(1.0) / 5


def test_flow_for_temperature_inverts_the_steady_state():
    flow = sympathetic.flow_for_skin_temperature(27.0, 21.0)
    assert beta(flow) == pytest.approx(GAMMA_W_PER_M3_K * (27.0 - 21.0) / (CORE_C - 27.0))
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
        return [(beta * (CORE_C - temperature[0]) - gamma * (temperature[0] - room)) / capacity]

    start = sympathetic.steady_skin_temperature_c(baseline, room)
    numeric = solve_ivp(rate, (0.0, 2400.0), [start], t_eval=times * 60.0, rtol=1e-9, atol=1e-9, max_step=5.0)
    assert np.max(np.abs(numeric.y[0] - exact)) < 0.01
    assert exact[10] == pytest.approx(exact[0]) == pytest.approx(start)  # flat until the block at 5 min
    assert exact[-1] == pytest.approx(sympathetic.steady_skin_temperature_c(blocked, room), abs=0.01)


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
    spread = sympathetic.injectate_spread_levels(6.0, cross_section_mm2=120.0, level_height_mm=18.0,
                                                 caudal_fraction=0.6)  # 6000 mm3 over 120 mm2 = 50 mm
    assert spread.length_mm == pytest.approx(50.0)
    assert spread.caudal_levels == pytest.approx(50.0 * 0.6 / 18.0)
    assert (spread.upper_level, spread.lower_level) == ("C5", "T1")
    small = sympathetic.injectate_spread_levels(2.0, cross_section_mm2=120.0, level_height_mm=18.0, caudal_fraction=0.6)
    assert (small.upper_level, small.lower_level) == ("C6", "C7")
    default = sympathetic.injectate_spread_levels(6.0)
    assert default.length_mm == pytest.approx(6000.0 / ref.SPREAD_CROSS_SECTION_MM2.value)
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
