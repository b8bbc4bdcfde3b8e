"""The Hodgkin-Huxley models against the 1952 paper and against physiology."""

import math

import numpy as np
import pytest

from painlab import neuro
from painlab.reference import SQUID_AXON_CABLE, SQUID_AXON_MEMBRANE


def test_rests_near_minus_65_mv():
    response = neuro.simulate_membrane(0.0, 0.0, duration_ms=50.0)
    assert response.voltage_mv[-1] == pytest.approx(-65.0, abs=0.1)
    assert np.ptp(response.voltage_mv) < 0.05  # no drift without a stimulus
    assert not response.fired


def test_suprathreshold_pulse_gives_a_full_spike():
    response = neuro.simulate_membrane(20.0, 1.0)
    assert response.fired
    assert 35.0 < response.peak_mv < SQUID_AXON_MEMBRANE.e_na_mv  # overshoot, below E_Na
    assert response.voltage_mv.min() < -70.0  # after-hyperpolarisation towards E_K
    assert 0.8 < response.spike_width_ms < 1.6


def test_threshold_lies_between_sub_and_suprathreshold_stimuli():
    threshold = neuro.threshold_stimulus_ua_per_cm2(1.0)
    assert 5.0 < threshold < 9.0
    assert not neuro.simulate_membrane(0.95 * threshold, 1.0).fired
    assert neuro.simulate_membrane(1.05 * threshold, 1.0).fired


def test_all_or_none_spike_height():
    threshold = neuro.threshold_stimulus_ua_per_cm2(1.0)
    small = neuro.simulate_membrane(1.05 * threshold, 1.0).peak_mv
    large = neuro.simulate_membrane(3.0 * threshold, 1.0).peak_mv
    assert abs(large - small) < 8.0  # the spike height hardly depends on the stimulus


def test_strength_duration_shorter_pulses_need_more_current():
    thresholds = [neuro.threshold_stimulus_ua_per_cm2(d) for d in (0.2, 1.0, 5.0)]
    assert thresholds[0] > thresholds[1] > thresholds[2]


def test_blocking_enough_sodium_channels_abolishes_the_spike():
    assert neuro.simulate_membrane(20.0, 1.0, sodium_block_fraction=0.0).fired
    assert not neuro.simulate_membrane(20.0, 1.0, sodium_block_fraction=0.8).fired
    assert not neuro.simulate_membrane(60.0, 1.0, sodium_block_fraction=1.0).fired
    assert math.isinf(neuro.threshold_stimulus_ua_per_cm2(1.0, sodium_block_fraction=0.97))


def test_block_raises_threshold_monotonically():
    thresholds = [neuro.threshold_stimulus_ua_per_cm2(1.0, sodium_block_fraction=f) for f in (0.0, 0.3, 0.6)]
    assert thresholds[0] < thresholds[1] < thresholds[2]


def test_block_fraction_to_stop_firing_brackets_the_transition():
    fraction = neuro.block_fraction_to_stop_firing(20.0, 1.0)
    assert 0.5 < fraction < 0.85
    assert neuro.simulate_membrane(20.0, 1.0, sodium_block_fraction=fraction - 0.02).fired
    assert not neuro.simulate_membrane(20.0, 1.0, sodium_block_fraction=fraction + 0.01).fired


def test_temperature_factor_is_q10_of_3():
    assert neuro.temperature_factor(6.3) == pytest.approx(1.0)
    assert neuro.temperature_factor(16.3) == pytest.approx(3.0)
    assert neuro.temperature_factor(26.3) == pytest.approx(9.0)


def test_warming_shortens_the_spike_and_heat_blocks_it():
    cold = neuro.simulate_membrane(20.0, 1.0, temperature_c=6.3)
    warm = neuro.simulate_membrane(20.0, 1.0, temperature_c=18.5)
    hot = neuro.simulate_membrane(20.0, 1.0, temperature_c=35.0)
    assert warm.fired and warm.spike_width_ms < 0.5 * cold.spike_width_ms
    assert not hot.fired


def test_rate_constants_are_continuous_through_their_removable_singularities():
    for v in (-40.0, -55.0):
        r_at = neuro.rate_constants_per_ms(v)
        r_near = neuro.rate_constants_per_ms(v + 1e-4)
        assert r_at["alpha_m"] == pytest.approx(r_near["alpha_m"], rel=1e-4)
        assert r_at["alpha_n"] == pytest.approx(r_near["alpha_n"], rel=1e-4)
    assert neuro.rate_constants_per_ms(-40.0)["alpha_m"] == pytest.approx(1.0)  # 0.1 * 10


def test_cable_reproduces_hodgkin_huxley_conduction_velocity():
    response = neuro.simulate_axon(dt_ms=0.01)
    velocity = response.conduction_velocity_m_per_s(1.5, 4.5)
    assert response.conducted
    assert velocity == pytest.approx(SQUID_AXON_CABLE.computed_conduction_velocity_m_per_s, rel=0.03)


def test_conduction_block_depends_on_length_exposed():
    assert neuro.simulate_axon(sodium_block_fraction=1.0, blocked_length_cm=0.25).conducted  # bridged
    assert not neuro.simulate_axon(sodium_block_fraction=1.0, blocked_length_cm=1.0).conducted
    assert neuro.simulate_axon(sodium_block_fraction=0.7, blocked_length_cm=1.0).conducted
    assert not neuro.simulate_axon(sodium_block_fraction=0.7, blocked_length_cm=2.0).conducted
    assert neuro.critical_block_fraction(0.5) > neuro.critical_block_fraction(2.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sodium_block_fraction": 1.5}, "sodium_block_fraction must be in [0, 1]"),
        ({"sodium_block_fraction": -0.1}, "sodium_block_fraction"),
        ({"temperature_c": 80.0}, "temperature_c must be in [0, 40]"),
        ({"temperature_c": float("nan")}, "temperature_c"),
        ({"dt_ms": 0.0}, "dt_ms"),
        ({"temperature_c": "warm"}, "temperature_c must be a number"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        neuro.simulate_membrane(10.0, 1.0, **kwargs)


def test_bad_cable_input_is_rejected():
    with pytest.raises(ValueError, match="blocked_length_cm"):
        neuro.simulate_axon(blocked_length_cm=-1.0)
    with pytest.raises(ValueError, match="must be a number"):
        neuro.simulate_axon(sodium_block_fraction=True)


def test_key_sensory_points_and_locations():
    assert neuro.key_sensory_point("c6") == "dorsal surface of the proximal phalanx of the thumb"
    assert neuro.segments_for_location("heel") == ["S1"]
    assert neuro.segments_for_location("umbilicus") == ["T10"]
    assert neuro.key_sensory_point("S5") == neuro.key_sensory_point("S4-5")
    with pytest.raises(ValueError, match="unknown spinal segment 'L6'"):
        neuro.key_sensory_point("L6")


def test_each_lumbar_facet_joint_has_two_medial_branches():
    assert neuro.lumbar_facet_medial_branches("L4-5") == ("L3", "L4")
    assert neuro.lumbar_facet_medial_branches("l3/4") == ("L2", "L3")
    assert neuro.lumbar_facet_medial_branches("L5-S1") == ("L4", "L5 dorsal ramus")
    with pytest.raises(ValueError, match="unknown lumbar facet joint"):
        neuro.lumbar_facet_medial_branches("C5-6")
