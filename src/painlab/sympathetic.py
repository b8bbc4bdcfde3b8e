"""Sympathetic blocks: why a blocked hand warms, how to read the warming, and how far a volume spreads.

**The fingertip as a lumped heat balance.** Per unit volume of fingertip tissue (volumetric heat
capacity ``ρc``), blood arriving at core temperature brings heat at ``β (T_core − T)`` with
``β = ρ_b c_b q`` (``q`` the blood flow per tissue volume, per second), and the skin loses heat to the
room at ``γ (T − T_room)`` with ``γ = h A / V = 2 h / r`` for a cylinder of radius ``r`` (convection
plus radiation through the combined coefficient ``h``)::

    ρc dT/dt = β (T_core − T) − γ (T − T_room)

so the steady temperature is a flow-weighted average of core and room,
``T∞ = (β T_core + γ T_room) / (β + γ)``, approached with time constant ``τ = ρc / (β + γ)``. A
sympathetic block raises ``q``: the finger warms towards core, and faster, because ``τ`` shrinks. A
finger that is already dilated has little room left to warm. The model has no internal gradient, no
sweating and no countercurrent exchange, and it switches flow at the block's onset: it gives the
direction and rough size of effects, not a patient's temperature.

**Block criteria** (:func:`assess_hand_temperatures`): the relative rise (blocked hand minus the
other hand) against a threshold, and Malmqvist's absolute 34 °C.

**Spread** (:func:`injectate_spread_levels`): the injectate fills a fascial plane of fixed
cross-section, so the length it covers is volume over area. Its geometry is illustrative
(:mod:`painlab.reference.sympathetic`), not calibrated: use it to reason, not to predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from painlab.reference import rf as rf_reference
from painlab.reference import sympathetic as ref
from painlab.validation import require_number

__all__ = ["FingertipModel", "DEFAULT_FINGERTIP", "steady_skin_temperature_c", "time_constant_min",
           "flow_for_skin_temperature", "skin_temperature_after_block_c", "HandTemperatureAssessment",
           "assess_hand_temperatures", "SpreadExtent", "injectate_spread_levels", "CERVICOTHORACIC_LEVELS"]

MAX_FLOW_ML_PER_100ML_MIN = 200.0  # far above any skin flow: a plausibility bound, not a physiological value


@dataclass(frozen=True)
class FingertipModel:
    """The constants of the heat balance (SI units)."""

    blood_volumetric_heat_capacity_j_per_m3_k: float
    tissue_volumetric_heat_capacity_j_per_m3_k: float
    surface_coefficient_w_per_m2_k: float
    radius_mm: float

    @property
    def surface_loss_w_per_m3_k(self) -> float:
        """γ = h A / V = 2 h / r for a long cylinder."""
        return 2.0 * self.surface_coefficient_w_per_m2_k / (self.radius_mm * 1e-3)

    def blood_gain_w_per_m3_k(self, flow_ml_per_100ml_min: float) -> float:
        """β = ρ_b c_b q, with q converted from mL per 100 mL per minute to per second."""
        return self.blood_volumetric_heat_capacity_j_per_m3_k * flow_ml_per_100ml_min / 100.0 / 60.0


DEFAULT_FINGERTIP = FingertipModel(
    blood_volumetric_heat_capacity_j_per_m3_k=ref.BLOOD_DENSITY_KG_PER_M3.value * ref.BLOOD_SPECIFIC_HEAT_J_PER_KG_K.value,
    tissue_volumetric_heat_capacity_j_per_m3_k=rf_reference.TISSUE.volumetric_heat_capacity_j_per_m3_k,
    surface_coefficient_w_per_m2_k=(ref.RADIATIVE_COEFFICIENT_W_PER_M2_K.value
                                    + ref.NATURAL_CONVECTION_COEFFICIENT_W_PER_M2_K.value),
    radius_mm=ref.FINGER_RADIUS_MM.value,
)
"""Blood from its cited density and specific heat; tissue from the course's muscle properties (a
simplification for a fingertip); still-air radiation plus natural convection; an illustrative radius."""


def _flow(name: str, value: float) -> float:
    return require_number(name, value, 0.0, MAX_FLOW_ML_PER_100ML_MIN, unit="mL/(100 mL·min)")


def _temperatures(room_temperature_c: float, core_temperature_c: float) -> tuple[float, float]:
    core = require_number("core_temperature_c", core_temperature_c, 34.0, 42.0, unit="°C")
    room = require_number("room_temperature_c", room_temperature_c, 0.0, core, high_inclusive=False,
                          unit="°C (below core temperature)")
    return room, core


def steady_skin_temperature_c(flow_ml_per_100ml_min: float, room_temperature_c: float,
                              core_temperature_c: float = ref.CORE_TEMPERATURE_C.value,
                              model: FingertipModel = DEFAULT_FINGERTIP) -> float:
    """T∞ = (β T_core + γ T_room) / (β + γ): where the fingertip settles at this blood flow."""
    flow = _flow("flow_ml_per_100ml_min", flow_ml_per_100ml_min)
    room, core = _temperatures(room_temperature_c, core_temperature_c)
    beta, gamma = model.blood_gain_w_per_m3_k(flow), model.surface_loss_w_per_m3_k
    return (beta * core + gamma * room) / (beta + gamma)


def time_constant_min(flow_ml_per_100ml_min: float, model: FingertipModel = DEFAULT_FINGERTIP) -> float:
    """τ = ρc / (β + γ), in minutes: how quickly the fingertip approaches its steady temperature."""
    flow = _flow("flow_ml_per_100ml_min", flow_ml_per_100ml_min)
    return model.tissue_volumetric_heat_capacity_j_per_m3_k / (
        model.blood_gain_w_per_m3_k(flow) + model.surface_loss_w_per_m3_k) / 60.0


def flow_for_skin_temperature(skin_temperature_c: float, room_temperature_c: float,
                              core_temperature_c: float = ref.CORE_TEMPERATURE_C.value,
                              model: FingertipModel = DEFAULT_FINGERTIP) -> float:
    """The blood flow at which the fingertip would settle at ``skin_temperature_c`` (the steady state inverted):
    β = γ (T − T_room) / (T_core − T)."""
    room, core = _temperatures(room_temperature_c, core_temperature_c)
    skin = require_number("skin_temperature_c", skin_temperature_c, room, core, low_inclusive=True,
                          high_inclusive=False, unit="°C (from room temperature up to, not including, core)")
    beta = model.surface_loss_w_per_m3_k * (skin - room) / (core - skin)
    return beta / model.blood_volumetric_heat_capacity_j_per_m3_k * 100.0 * 60.0


def skin_temperature_after_block_c(time_min: ArrayLike, baseline_flow_ml_per_100ml_min: float,
                                   blocked_flow_ml_per_100ml_min: float, room_temperature_c: float, *,
                                   block_time_min: float = 0.0, core_temperature_c: float = ref.CORE_TEMPERATURE_C.value,
                                   model: FingertipModel = DEFAULT_FINGERTIP) -> NDArray[np.float64]:
    """Fingertip temperature over time: steady at the baseline flow until ``block_time_min``, then relaxing
    exponentially towards the steady temperature of the blocked flow (the exact solution of the heat balance)."""
    times = np.asarray(time_min, dtype=float)
    if times.size and (not np.all(np.isfinite(times)) or times.min() < 0.0):
        raise ValueError("time_min must be finite and not negative (minutes from the start of the record)")
    block = require_number("block_time_min", block_time_min, 0.0, 1440.0, unit="min")
    before = steady_skin_temperature_c(baseline_flow_ml_per_100ml_min, room_temperature_c, core_temperature_c, model)
    after = steady_skin_temperature_c(blocked_flow_ml_per_100ml_min, room_temperature_c, core_temperature_c, model)
    tau = time_constant_min(blocked_flow_ml_per_100ml_min, model)
    elapsed = np.clip(times - block, 0.0, None)
    return after + (before - after) * np.exp(-elapsed / tau)


@dataclass(frozen=True)
class HandTemperatureAssessment:
    """The temperature signs of a stellate (or lumbar) sympathetic block, from both hands (or feet)."""

    blocked_rise_c: float
    other_rise_c: float
    relative_rise_c: float
    relative_threshold_c: float
    meets_relative_criterion: bool
    reaches_absolute_target: bool  # Malmqvist: blocked side at or above 34 °C
    baseline_cool_enough: bool  # Malmqvist enrolled hands at or below 32 °C before the block

    def summary(self) -> str:
        verdict = "met" if self.meets_relative_criterion else "not met"
        absolute = "reached" if self.reaches_absolute_target else "not reached"
        baseline = ("" if self.baseline_cool_enough else
                    f" The blocked hand started above {ref.MALMQVIST_PREBLOCK_MAX_C.value:g} °C, so a small rise "
                    "says little.")
        return (f"Relative rise {self.relative_rise_c:+.1f} °C (blocked {self.blocked_rise_c:+.1f}, other "
                f"{self.other_rise_c:+.1f}): the {self.relative_threshold_c:g} °C criterion is {verdict}; "
                f"{ref.MALMQVIST_BLOCKED_MIN_C.value:g} °C {absolute}.{baseline}")


def _skin(name: str, value: float) -> float:
    return require_number(name, value, 15.0, 40.0, unit="°C (a skin temperature)")


def assess_hand_temperatures(blocked_before_c: float, blocked_after_c: float, other_before_c: float,
                             other_after_c: float,
                             relative_threshold_c: float = ref.RELATIVE_RISE_C.value) -> HandTemperatureAssessment:
    """Compare the warming of the blocked side with the other side (which cancels drifts in the room and the
    patient) and with Malmqvist's absolute target."""
    blocked_before, blocked_after = _skin("blocked_before_c", blocked_before_c), _skin("blocked_after_c", blocked_after_c)
    other_before, other_after = _skin("other_before_c", other_before_c), _skin("other_after_c", other_after_c)
    threshold = require_number("relative_threshold_c", relative_threshold_c, 0.0, 10.0, low_inclusive=False, unit="°C")
    blocked_rise, other_rise = blocked_after - blocked_before, other_after - other_before
    relative = blocked_rise - other_rise
    return HandTemperatureAssessment(
        blocked_rise_c=blocked_rise, other_rise_c=other_rise, relative_rise_c=relative,
        relative_threshold_c=threshold,
        meets_relative_criterion=relative >= threshold - 1e-9,
        reaches_absolute_target=blocked_after >= ref.MALMQVIST_BLOCKED_MIN_C.value,
        baseline_cool_enough=blocked_before <= ref.MALMQVIST_PREBLOCK_MAX_C.value)


CERVICOTHORACIC_LEVELS = ("C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4")


@dataclass(frozen=True)
class SpreadExtent:
    """Where an injectate reaches, in vertebral levels from the injected level (positive is caudal)."""

    length_mm: float
    cranial_levels: float
    caudal_levels: float
    upper_level: str
    lower_level: str


def _level_name(index: float) -> str:
    position = int(np.clip(np.floor(index + 1e-9), 0, len(CERVICOTHORACIC_LEVELS) - 1))
    return CERVICOTHORACIC_LEVELS[position]


def injectate_spread_levels(volume_ml: float, *, injected_level: str = "C6",
                            cross_section_mm2: float = ref.SPREAD_CROSS_SECTION_MM2.value,
                            level_height_mm: float = ref.VERTEBRAL_LEVEL_HEIGHT_MM.value,
                            caudal_fraction: float = ref.CAUDAL_FRACTION.value) -> SpreadExtent:
    """Length of a fascial plane of ``cross_section_mm2`` that ``volume_ml`` fills (1 mL = 1000 mm³), split
    between cranial and caudal, in vertebral levels. Illustrative geometry: see the module docstring."""
    volume = require_number("volume_ml", volume_ml, 0.0, 30.0, low_inclusive=False, unit="mL")
    area = require_number("cross_section_mm2", cross_section_mm2, 10.0, 1000.0, unit="mm²")
    height = require_number("level_height_mm", level_height_mm, 5.0, 40.0, unit="mm")
    caudal = require_number("caudal_fraction", caudal_fraction, 0.0, 1.0)
    if injected_level not in CERVICOTHORACIC_LEVELS:
        raise ValueError(f"injected_level must be one of {', '.join(CERVICOTHORACIC_LEVELS)}; got {injected_level!r}")
    length = volume * 1000.0 / area
    start = CERVICOTHORACIC_LEVELS.index(injected_level) + 0.5  # the middle of the injected vertebra
    cranial_levels, caudal_levels = length * (1 - caudal) / height, length * caudal / height
    return SpreadExtent(length_mm=length, cranial_levels=cranial_levels, caudal_levels=caudal_levels,
                        upper_level=_level_name(start - cranial_levels), lower_level=_level_name(start + caudal_levels))
