"""The radiofrequency lesion model against analytic solutions, numerical convergence and bench trends."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import i0, k0

from painlab import rf
from painlab.reference import rf as ref


def cylinder_slice(radius_mm: float, outer_mm: float = 20.0) -> rf.AxisymmetricGrid:
    """An infinitely long electrode: a slice with insulated ends, so the field depends on r only."""
    r_faces = np.concatenate([np.linspace(0.0, radius_mm, 4)[:-1], rf._graded_faces(radius_mm, outer_mm, 0.02, 1.05)])
    z_faces = np.array([0.0, 1.0, 2.0])
    r_mid = 0.5 * (r_faces[1:] + r_faces[:-1])
    electrode = np.broadcast_to(r_mid < radius_mm, (2, r_mid.size)).copy()
    return rf.AxisymmetricGrid(r_faces * 1e-3, z_faces * 1e-3, electrode, np.zeros_like(electrode), insulated_ends=True)


def test_steady_state_matches_the_analytic_bessel_solution_around_a_long_electrode():
    a_mm, outer_mm, rise_k = 0.635, 20.0, 43.0
    grid = cylinder_slice(a_mm, outer_mm)
    stepper = rf._Stepper(grid, ref.TISSUE)
    steady = stepper.step(np.zeros(grid.electrode.size), 1e12, rise_k).reshape(grid.shape)[0]
    decay_length_mm = np.sqrt(ref.TISSUE.thermal_conductivity_w_per_m_k.value / ref.TISSUE.perfusion_w_per_m3_k.value) * 1e3
    r = grid.r_m * 1e3
    x, xa, xr = r / decay_length_mm, a_mm / decay_length_mm, outer_mm / decay_length_mm
    exact = rise_k * (k0(x) * i0(xr) - i0(x) * k0(xr)) / (k0(xa) * i0(xr) - i0(xa) * k0(xr))
    tissue = r > a_mm
    assert np.max(np.abs(steady[tissue] - exact[tissue])) < 0.01 * rise_k
    assert 10.0 < decay_length_mm < 20.0  # muscle: sqrt(k / (w ρb cb)) is about a centimetre


def test_joule_heating_of_a_long_electrode_equals_the_coaxial_conductance():
    a_mm, outer_mm = 0.635, 20.0
    grid = cylinder_slice(a_mm, outer_mm)
    sigma = ref.TISSUE_ELECTRICAL_CONDUCTIVITY_S_PER_M.value
    heat = rf.joule_heating_w_per_v2(grid, sigma)
    length_m = 2e-3
    coaxial_conductance_s = 2 * np.pi * sigma * length_m / np.log(outer_mm / a_mm)
    assert heat.sum() == pytest.approx(coaxial_conductance_s, rel=0.02)
    r = grid.r_m * 1e3
    near = heat[:, (r > a_mm) & (r < 2 * a_mm)].sum() / heat.sum()
    assert near == pytest.approx(np.log(2) / np.log(outer_mm / a_mm), rel=0.05)  # current density falls as 1/r


def test_time_stepping_is_converged():
    coarse = rf.simulate_lesion(duration_s=90.0)
    grid = rf.electrode_grid(ref.GAUGE_OUTER_DIAMETER_MM[18].value / 2, 10.0)
    stepper = rf._Stepper(grid, ref.TISSUE)
    rise = np.zeros(grid.electrode.size)
    for _ in range(900):
        rise = stepper.step(rise, 0.1, 80.0 - 37.0)
    width, length = rf._lesion_extents_mm(grid, rise.reshape(grid.shape)[None], 50.0 - 37.0)
    assert coarse.width_mm == pytest.approx(width[0], rel=0.03)
    assert coarse.length_mm == pytest.approx(length[0], rel=0.03)


def test_conventional_lesion_at_80_c_for_90_s_with_an_18_gauge_10_mm_tip():
    lesion = rf.simulate_lesion()
    assert 5.0 < lesion.width_mm < 7.0
    assert 11.0 < lesion.length_mm < 13.5
    assert lesion.peak_tissue_temperature_c <= 80.0 + 1e-9
    assert lesion.time_s[-1] == 90.0 and lesion.width_history_mm[-1] == lesion.width_mm


@pytest.mark.parametrize("control, values", [
    ("set_temperature_c", (60.0, 70.0, 80.0, 90.0)),
    ("duration_s", (15.0, 30.0, 60.0, 90.0, 150.0)),
    ("gauge", (22, 20, 18, 16)),
    ("active_tip_mm", (5.0, 10.0, 15.0)),
])
def test_lesion_grows_with_temperature_time_gauge_and_tip_length(control, values):
    widths = [rf.simulate_lesion(**{control: value}).width_mm for value in values]
    volumes = [rf.simulate_lesion(**{control: value}).volume_mm3 for value in values]
    assert np.all(np.diff(widths) > 0) and np.all(np.diff(volumes) > 0), (widths, volumes)


def test_lesion_growth_levels_off_after_a_minute():
    lesion = rf.simulate_lesion(duration_s=150.0)
    width = lambda t: np.interp(t, lesion.time_s, lesion.width_history_mm)  # noqa: E731
    assert width(30) - width(0) > 3 * (width(150) - width(120))


def test_cooled_electrode_makes_a_larger_lesion_with_the_hottest_point_in_the_tissue():
    cooled = rf.simulate_lesion(mode="cooled", set_temperature_c=60.0)
    conventional = rf.simulate_lesion(mode="conventional", set_temperature_c=80.0)
    assert cooled.volume_mm3 > 1.5 * conventional.volume_mm3
    assert cooled.peak_tissue_temperature_c == pytest.approx(ref.COOLED_PEAK_TISSUE_TEMPERATURE_C.value, abs=0.5)
    z_index, r_index = np.unravel_index(np.nanargmax(cooled.temperature_c), cooled.temperature_c.shape)
    r, z, radius = cooled.r_mm[r_index], cooled.z_mm[z_index], ref.GAUGE_OUTER_DIAMETER_MM[18].value / 2
    off_surface = np.hypot(max(r - radius, 0.0), max(z - cooled.active_tip_mm, 0.0, -z))
    assert off_surface > 0.5  # the hottest tissue lies away from the cooled metal
    assert cooled.mean_power_w > 0


def test_pulsed_rf_makes_no_thermal_lesion():
    lesion = rf.simulate_lesion(mode="pulsed", set_temperature_c=42.0, duration_s=120.0)
    assert lesion.width_mm == 0.0 and lesion.volume_mm3 == 0.0
    assert lesion.peak_tissue_temperature_c < 42.0


def test_parallel_placement_captures_more_nerve_than_perpendicular():
    lesion = rf.simulate_lesion()
    for offset in (0.5, 1.0, 1.5):
        parallel = rf.nerve_capture_mm(lesion, offset, "parallel")
        perpendicular = rf.nerve_capture_mm(lesion, offset, "perpendicular")
        assert parallel > 2 * perpendicular
    assert rf.nerve_capture_mm(lesion, 0.5, "parallel") == pytest.approx(lesion.length_mm, rel=0.1)
    assert rf.nerve_capture_mm(lesion, 5.0, "parallel") == 0.0


def test_temperature_scales_linearly_with_the_set_temperature_in_conventional_mode():
    a = rf.simulate_lesion(set_temperature_c=70.0)
    b = rf.simulate_lesion(set_temperature_c=90.0)
    rise_a, rise_b = a.temperature_c - 37.0, b.temperature_c - 37.0
    assert np.allclose(rise_b, rise_a * (90 - 37) / (70 - 37), equal_nan=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "microwave"}, "mode must be one of conventional, cooled, pulsed"),
    ({"gauge": 19}, "gauge must be one of 16, 18, 20, 22"),
    ({"gauge": 18.0}, "gauge must be one of"),
    ({"set_temperature_c": 120.0}, r"set_temperature_c must be in \[60, 95\] °C"),
    ({"mode": "pulsed", "set_temperature_c": 80.0}, r"set_temperature_c must be in \[38, 42\] °C"),
    ({"duration_s": 0.0}, r"duration_s must be in \(0, 180\] s"),
    ({"duration_s": float("nan")}, "duration_s"),
    ({"active_tip_mm": -5.0}, r"active_tip_mm must be in \[2, 20\] mm"),
])
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rf.simulate_lesion(**kwargs)


def test_nerve_capture_refuses_bad_input():
    lesion = rf.simulate_lesion()
    with pytest.raises(ValueError, match="orientation must be one of parallel, perpendicular"):
        rf.nerve_capture_mm(lesion, 1.0, "oblique")
    with pytest.raises(ValueError, match="nerve_offset_mm"):
        rf.nerve_capture_mm(lesion, -1.0)


def width_gain_percent(gauge: int, before: dict, after: dict) -> float:
    return 100 * (rf.simulate_lesion(gauge=gauge, **after).width_mm / rf.simulate_lesion(gauge=gauge, **before).width_mm - 1)


@pytest.mark.parametrize("trend, before, after", [
    ("time 2 min", {"duration_s": 60.0}, {"duration_s": 120.0}),
    ("time 3 min", {"duration_s": 60.0}, {"duration_s": 180.0}),
])
@pytest.mark.parametrize("gauge", [22, 18, 16])
def test_time_trends_fall_within_the_bench_ranges_of_cosman_2014(trend, before, after, gauge):
    bench = ref.BENCH_TRENDS[trend]
    assert bench.low_percent <= width_gain_percent(gauge, before, after) <= bench.high_percent


@pytest.mark.parametrize("gauge", [22, 18])
def test_temperature_trend_falls_within_the_bench_range_for_22_and_18_gauge(gauge):
    bench = ref.BENCH_TRENDS["temperature"]
    gain = width_gain_percent(gauge, {"set_temperature_c": 60.0}, {"set_temperature_c": 90.0})
    assert bench.low_percent <= round(gain) <= bench.high_percent  # the bench reports whole percents


def test_temperature_trend_for_16_gauge_is_a_little_below_the_bench_range():
    """A known deviation (like the gauge effect): with the largest electrode the model's 60 -> 90 °C gain is
    about 102 %, under the bench's 108-152 %."""
    bench = ref.BENCH_TRENDS["temperature"]
    gain = width_gain_percent(16, {"set_temperature_c": 60.0}, {"set_temperature_c": 90.0})
    assert bench.low_percent - 8 < gain < bench.low_percent


def test_gauge_effect_is_smaller_than_on_the_bench_as_the_lesson_says():
    """The model ignores the metal electrode's own conduction: its gauge effect is about two thirds of Cosman's."""
    bench = ref.BENCH_TRENDS["gauge"]
    wider = rf.simulate_lesion(gauge=16).width_mm / rf.simulate_lesion(gauge=22).width_mm - 1
    assert 0.3 < wider < bench.low_percent / 100


def test_lesion_reaches_1_to_5_mm_beyond_the_tip_as_on_the_bench():
    lesion = rf.simulate_lesion()
    z = np.linspace(lesion.active_tip_mm, lesion.active_tip_mm + 8, 4001)
    beyond = z[rf.temperature_at(lesion, 0.0, z) >= ref.LETHAL_ISOTHERM_C.value].max() - lesion.active_tip_mm
    low, high = ref.LENGTH_BEYOND_TIP_MM
    assert low <= beyond <= high
