"""The spinal cord stimulation field model against Coulomb's law, discrete analytic activating
functions and the recruitment trends it is meant to show; waveform charge against hand arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from painlab import neuromodulation as nm
from painlab.reference import neuromodulation as ref


def test_point_source_follows_coulombs_law():
    # 1 mA in 1 S/m at 1 mm: V = I / (4 π σ r) = 1e-3 / (4 π 1e-3) V = 79.6 mV.
    assert nm.point_source_potential_mv(1.0, 1.0, 1.0) == pytest.approx(1000.0 / (4 * np.pi))
    assert nm.point_source_potential_mv(-2.0, 4.0, 0.5) == pytest.approx(-2 * 1000.0 / (4 * np.pi * 0.5 * 4.0))
    distances = np.array([1.0, 2.0, 4.0])
    v = nm.point_source_potential_mv(1.0, distances, ref.CSF_CONDUCTIVITY.value)
    assert np.allclose(v[:-1] / v[1:], 2.0)  # 1/r


def test_contacts_superpose_and_a_balanced_pair_cancels_on_its_midplane():
    contacts = nm.lead_contacts(3.0, 8.0, "bipolar")
    assert [c.current_ma for c in contacts] == [-3.0, 3.0]
    midplane = np.array([[5.0, 2.0, 4.0], [0.0, 7.0, 4.0]])
    assert np.allclose(nm.extracellular_potential_mv(contacts, midplane, 1.0), 0.0, atol=1e-12)
    guarded = nm.lead_contacts(2.0, 6.0, "guarded")
    assert sum(c.current_ma for c in guarded) == pytest.approx(0.0)
    assert len(nm.lead_contacts(2.0, 6.0, "monopolar")) == 1


def test_activating_function_under_a_cathode_matches_the_discrete_analytic_value():
    depth, spacing, sigma = 3.0, 1.2, ref.CSF_CONDUCTIVITY.value
    z = np.arange(-10, 11) * spacing
    nodes = np.column_stack([np.zeros_like(z), np.full_like(z, depth), z])
    potential = nm.extracellular_potential_mv(nm.lead_contacts(1.0, 7.0, "monopolar"), nodes, sigma)
    drive = nm.activating_function_mv(potential)
    k = -1000.0 / (4 * np.pi * sigma)
    expected = 2 * k * (1 / np.hypot(depth, spacing) - 1 / depth)
    assert drive[10] == pytest.approx(expected) and drive[10] > 0  # a cathode depolarises the node beneath
    assert drive[0] == 0.0 and drive[-1] == 0.0


def test_sealed_end_drive_is_the_first_difference():
    v = np.array([-10.0, -20.0, -40.0])
    assert nm.activating_function_mv(v, sealed_end=True).tolist() == [0.0, -10.0, 20.0]
    with pytest.raises(ValueError, match="three or more"):
        nm.activating_function_mv(np.array([1.0, 2.0]))


def test_thicker_csf_narrows_the_therapeutic_range_until_the_roots_fire_first():
    ratios = [nm.fibre_recruitment(t).threshold_ratio for t in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)]
    assert np.all(np.diff(ratios) < 0), ratios
    assert ratios[0] > 5 and ratios[-1] < 1
    assert nm.fibre_recruitment(2.0).first_recruited == "dorsal column"
    assert nm.fibre_recruitment(7.0).first_recruited == "dorsal root"


def test_narrow_contact_spacing_favours_the_dorsal_columns():
    ratios = [nm.fibre_recruitment(3.0, spacing, "guarded").threshold_ratio for spacing in (4.0, 7.0, 10.0, 14.0)]
    assert np.all(np.diff(ratios) < 0), ratios
    monopolar = nm.fibre_recruitment(3.0, 7.0, "monopolar").threshold_ratio
    assert monopolar < ratios[-1]  # the far return is the widest 'spacing' of all


def test_thresholds_scale_as_the_model_says():
    # Doubling the current doubles every drive (linearity), so ratios do not depend on amplitude.
    result = nm.fibre_recruitment(3.0)
    double = nm.extracellular_potential_mv(nm.lead_contacts(2.0, 7.0, "guarded"), result.dorsal_column.nodes_mm,
                                           ref.CSF_CONDUCTIVITY.value)
    assert np.allclose(double, 2 * result.dorsal_column.potential_mv_per_ma)


@pytest.mark.parametrize("name", ["tonic", "burst", "10 kHz"])
def test_waveform_charge_and_current_by_hand(name):
    w = nm.waveform(name)
    published = ref.WAVEFORMS[name]
    by_hand_charge = published.amplitude_ma.value * published.pulse_width_us.value * 1e-3  # mA × µs = nC
    assert nm.charge_per_pulse_uc(w.amplitude_ma, w.pulse_width_us) == pytest.approx(by_hand_charge)
    assert nm.mean_current_ma(w) == pytest.approx(by_hand_charge * 1e-3 * published.pulses_per_s.value)
    assert nm.days_per_charge(w, 100.0) == pytest.approx(100.0 / nm.mean_current_ma(w) / 24)


def test_ten_kilohertz_draws_more_current_than_tonic_at_published_settings():
    assert nm.mean_current_ma(nm.waveform("10 kHz")) > 3 * nm.mean_current_ma(nm.waveform("tonic"))


def test_hand_calculation_of_charge_and_battery():
    w = nm.Waveform("test", amplitude_ma=4.0, pulse_width_us=250.0, pulses_per_s=40.0)
    assert nm.charge_per_pulse_uc(4.0, 250.0) == pytest.approx(1.0)           # 4 mA × 250 µs = 1 µC
    assert nm.mean_current_ma(w) == pytest.approx(0.04)                      # 1 µC × 40/s = 40 µA
    assert nm.days_per_charge(w, 240.0) == pytest.approx(250.0)              # 240 mAh / 0.04 mA = 6000 h
    assert nm.stimulation_power_mw(w, 1000.0) == pytest.approx(16e-3 * 1000 * 0.01)  # I²R × duty 1 %


@pytest.mark.parametrize("call, message", [
    (lambda: nm.point_source_potential_mv(1.0, 0.0, 1.0), "distance_mm must be positive"),
    (lambda: nm.point_source_potential_mv(1.0, 1.0, -1.0), "conductivity_s_per_m must be in"),
    (lambda: nm.lead_contacts(50.0, 7.0), r"cathode_current_ma must be in \[0, 30\] mA"),
    (lambda: nm.lead_contacts(1.0, 7.0, "tripolar"), "configuration must be one of monopolar, bipolar, guarded"),
    (lambda: nm.fibre_recruitment(0.1), r"csf_thickness_mm must be in \[0.5, 10\] mm"),
    (lambda: nm.charge_per_pulse_uc(1.0, 0.0), "pulse_width_us"),
    (lambda: nm.waveform("sine"), "unknown waveform 'sine'; accepted: 10 kHz, burst, tonic"),
    (lambda: nm.days_per_charge(nm.waveform("tonic", 0.0), 300.0), "zero amplitude"),
    (lambda: nm.stimulation_power_mw(nm.Waveform("x", 1.0, 1000.0, 2000.0), 500.0), "100 % duty"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_trial_relief_and_the_conventional_criterion():
    assert nm.trial_relief_percent(8, 5) == pytest.approx(37.5)
    assert nm.meets_trial_criterion(nm.trial_relief_percent(8, 4)) is True      # exactly 50 %
    assert nm.meets_trial_criterion(nm.trial_relief_percent(8, 4.1)) is False
    with pytest.raises(ValueError, match="baseline_nrs"):
        nm.trial_relief_percent(0, 0)
