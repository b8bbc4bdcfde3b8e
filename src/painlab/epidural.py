"""Epidural steroid injections: an interlaminar needle in the lumbar midline, layer by layer.

**Layers.** From the skin: skin, subcutaneous fat, supraspinous ligament, interspinous ligament,
ligamentum flavum, the posterior epidural space, dura and arachnoid, then CSF. The depth to the
centre of the epidural space, the thickness of the ligamentum flavum and the depth of the posterior
space come from cited studies (:mod:`painlab.reference.epidural`); how the rest of the depth is split
between skin, fat and the two ligaments is illustrative.

**The syringe.** With the tip in a tissue, injecting needs the pressure that tissue opposes. Measured
values exist for the supraspinous ligament, the ligamentum flavum and the epidural space; the others
are model assumptions (dense tissue like ligament, fat and CSF low like the space), which is the
point: the syringe feels *low pressure*, not *epidural*.

**Air or saline.** Before any fluid moves, the plunger must compress what is in the syringe up to the
tissue's pressure. Air obeys Boyle's law, so the plunger travels ``V₀ P / (P_atm + P)`` (a
"bounce" in ligament); saline hardly compresses at all, so the plunger stops dead in ligament and
gives way at once in the space.

**Angles.** A paramedian needle angled ``θ`` from the sagittal plane travels ``d / cos θ`` to reach
a straight depth ``d``: the marks on the needle overstate the depth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from painlab.reference import epidural as ref
from painlab.validation import require_choice, require_number

__all__ = ["LayerSpan", "midline_layers", "layer_at_depth", "syringe_pressure_mmhg", "pressure_trace_mmhg",
           "loss_of_resistance_depth_mm", "first_low_pressure_depth_mm", "path_length_mm", "straight_depth_mm",
           "plunger_travel_ml", "LAYER_NAMES", "LOW_PRESSURE_MMHG"]

LAYER_NAMES = ("skin", "subcutaneous fat", "supraspinous ligament", "interspinous ligament", "ligamentum flavum",
               "epidural space", "dura and arachnoid", "CSF")
LOW_PRESSURE_MMHG = 15.0  # between the measured epidural (8, CI 6-11) and ligament (79) pressures: "it gave way"
WATER_COMPRESSIBILITY_PER_PA = 4.6e-10  # isothermal compressibility of water near room temperature (physical constant)
_MINIMUM_FILL_MM = 4.0  # fat plus interspinous ligament must be at least this deep for the geometry to make sense


@dataclass(frozen=True)
class LayerSpan:
    """One layer on the needle's straight path: where it starts and ends (mm from the skin) and its pressure."""

    name: str
    start_mm: float
    end_mm: float
    pressure_mmhg: float
    measured: bool  # the pressure was measured (Ghelber 2008), not assumed

    @property
    def thickness_mm(self) -> float:
        return self.end_mm - self.start_mm


def midline_layers(skin_to_epidural_mm: float = ref.SKIN_TO_EPIDURAL_L34_MM.value, *,
                   ligamentum_flavum_mm: float = ref.LIGAMENTUM_FLAVUM_THICKNESS_MM["L3-L4"].value,
                   epidural_space_mm: float = ref.POSTERIOR_EPIDURAL_SPACE_MM.value,
                   degenerate_interspinous: bool = False, model_end_mm: float = 150.0) -> tuple[LayerSpan, ...]:
    """The layers from skin to CSF for a patient whose skin-to-epidural depth (to the *centre* of the posterior
    space, as measured on MRI) is ``skin_to_epidural_mm``. ``degenerate_interspinous`` gives the interspinous
    ligament a low pressure, as a degenerate or torn ligament can have: the set-up for a false loss of resistance.
    The last layer, CSF (and what lies beyond it, which the model does not represent), runs to ``model_end_mm``."""
    depth = require_number("skin_to_epidural_mm", skin_to_epidural_mm, 20.0, 120.0, unit="mm")
    flavum = require_number("ligamentum_flavum_mm", ligamentum_flavum_mm, 0.5, 10.0, unit="mm")
    space = require_number("epidural_space_mm", epidural_space_mm, 1.0, 25.0, unit="mm")
    if not isinstance(degenerate_interspinous, bool):
        raise ValueError(f"degenerate_interspinous must be True or False, got {degenerate_interspinous!r}")
    space_start = depth - space / 2.0
    fill = space_start - flavum - ref.SKIN_MM.value - ref.SUPRASPINOUS_LIGAMENT_MM.value
    if fill < _MINIMUM_FILL_MM:
        raise ValueError(f"a {depth:g} mm skin-to-epidural depth leaves {fill:.1f} mm for fat and interspinous "
                         f"ligament with a {flavum:g} mm ligamentum flavum and a {space:g} mm epidural space; "
                         "check the depth and thicknesses")
    fat = fill * ref.FAT_SHARE_OF_REMAINDER.value
    dura_end = space_start + space + ref.DURA_ARACHNOID_MM.value
    end = require_number("model_end_mm", model_end_mm, dura_end + 1.0, 300.0, unit="mm (past the dura)")
    thicknesses = (ref.SKIN_MM.value, fat, ref.SUPRASPINOUS_LIGAMENT_MM.value, fill - fat, flavum, space,
                   ref.DURA_ARACHNOID_MM.value, end - dura_end)
    layers, start = [], 0.0
    for name, thickness in zip(LAYER_NAMES, thicknesses):
        pressure = ref.INJECTION_PRESSURE_MMHG[name]
        mean, measured = pressure.mean_mmhg, pressure.source is not None
        if name == "interspinous ligament" and degenerate_interspinous:
            mean, measured = ref.INJECTION_PRESSURE_MMHG["epidural space"].mean_mmhg, False
        layers.append(LayerSpan(name, start, start + thickness, mean, measured))
        start += thickness
    return tuple(layers)


def _depth(name: str, value: float, layers: tuple[LayerSpan, ...]) -> float:
    return require_number(name, value, 0.0, layers[-1].end_mm, unit=f"mm (0 to {layers[-1].end_mm:.0f}, the model's "
                          "deepest layer)")


def layer_at_depth(depth_mm: float, layers: tuple[LayerSpan, ...] | None = None) -> LayerSpan:
    """The layer the tip is in at a straight depth (a tip exactly on a boundary is in the deeper layer)."""
    layers = midline_layers() if layers is None else layers
    depth = _depth("depth_mm", depth_mm, layers)
    for layer in layers:
        if depth < layer.end_mm:
            return layer
    return layers[-1]


def syringe_pressure_mmhg(depth_mm: float, layers: tuple[LayerSpan, ...] | None = None) -> float:
    """Pressure needed to inject with the tip at ``depth_mm`` (straight depth)."""
    return layer_at_depth(depth_mm, layers).pressure_mmhg


def pressure_trace_mmhg(depths_mm: ArrayLike, layers: tuple[LayerSpan, ...] | None = None) -> NDArray[np.float64]:
    """Pressures at many straight depths at once (for plots and sliders)."""
    layers = midline_layers() if layers is None else layers
    depths = np.asarray(depths_mm, dtype=float)
    if depths.size and (not np.all(np.isfinite(depths)) or depths.min() < 0.0 or depths.max() > layers[-1].end_mm):
        raise ValueError(f"depths_mm must lie in [0, {layers[-1].end_mm:.0f}] mm")
    ends = np.array([layer.end_mm for layer in layers])
    pressures = np.array([layer.pressure_mmhg for layer in layers])
    index = np.minimum(np.searchsorted(ends, depths, side="right"), len(layers) - 1)
    return pressures[index]


def loss_of_resistance_depth_mm(layers: tuple[LayerSpan, ...] | None = None) -> float:
    """Straight depth at which the tip leaves the ligamentum flavum and enters the epidural space."""
    layers = midline_layers() if layers is None else layers
    return next(layer.start_mm for layer in layers if layer.name == "epidural space")


def first_low_pressure_depth_mm(layers: tuple[LayerSpan, ...] | None = None, *,
                                below_mmhg: float = LOW_PRESSURE_MMHG) -> float:
    """Where the syringe first gives way *after* the needle has been seated in ligament: the depth a learner
    relying on the syringe alone would call the epidural space (earlier than the real one if there is a gap)."""
    layers = midline_layers() if layers is None else layers
    threshold = require_number("below_mmhg", below_mmhg, 0.0, 200.0, low_inclusive=False, unit="mmHg")
    seated = False
    for layer in layers:
        if layer.pressure_mmhg >= threshold and layer.name != "skin":
            seated = True
        elif seated:
            return layer.start_mm
    raise ValueError("the pressure never falls below the threshold after the ligaments")


def _angle(angle_deg: float) -> float:
    return math.radians(require_number("angle_deg", angle_deg, 0.0, 45.0, unit="degrees from the sagittal plane"))


def path_length_mm(straight_depth_mm: float, angle_deg: float) -> float:
    """Needle length to reach a straight depth at an angle from the sagittal plane: d / cos θ."""
    depth = require_number("straight_depth_mm", straight_depth_mm, 0.0, 200.0, unit="mm")
    return depth / math.cos(_angle(angle_deg))


def straight_depth_mm(path_length_mm: float, angle_deg: float) -> float:
    """How deep a needle inserted ``path_length_mm`` at ``angle_deg`` actually is: L cos θ."""
    length = require_number("path_length_mm", path_length_mm, 0.0, 200.0, unit="mm")
    return length * math.cos(_angle(angle_deg))


def plunger_travel_ml(pressure_mmhg: float, medium: str, syringe_content_ml: float) -> float:
    """How far (in mL) the plunger moves before fluid enters a tissue at ``pressure_mmhg``: the syringe's
    contents must first be compressed to that pressure. Air: Boyle's law, V₀ P / (P_atm + P). Saline: its
    compressibility, a few millionths of a millilitre."""
    pressure_kpa = require_number("pressure_mmhg", pressure_mmhg, 0.0, 1000.0, unit="mmHg") * ref.KPA_PER_MMHG
    content = require_number("syringe_content_ml", syringe_content_ml, 0.0, 20.0, low_inclusive=False, unit="mL")
    kind = require_choice("medium", medium, ("air", "saline"))
    if kind == "air":
        return content * pressure_kpa / (ref.STANDARD_ATMOSPHERE_KPA + pressure_kpa)
    return content * WATER_COMPRESSIBILITY_PER_PA * pressure_kpa * 1e3
