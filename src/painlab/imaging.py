"""Imaging for interventionalists: fluoroscopic projection, operator radiation dose, ultrasound physics.

Fluoroscopy
    :func:`project_points` projects 3-D points (patient coordinates, mm) onto the detector of a C-arm
    at any oblique and cranio-caudal angle, with the divergent-beam geometry that causes
    magnification and parallax. :func:`needle_axis_angles` gives the C-arm angles that look straight
    down a needle (the "tunnel" or coaxial view, where the needle appears as a dot).
Radiation
    :func:`dose_rate_at_distance` (inverse square law) and :func:`operator_dose_usv` (time, distance,
    shielding) against the occupational limits in :mod:`painlab.reference.imaging`.
Ultrasound
    wavelength, axial resolution and penetration depth from frequency and attenuation, and a
    specular-reflection model of needle visibility against insertion angle.

Patient coordinates: x to the patient's left, y anterior, z cranial (mm). The patient lies prone
with the X-ray tube under the table and the image intensifier (detector) above the back, so the
beam of the posteroanterior/"AP" view travels from anterior to posterior (along -y): the structures
nearer the table (the vertebral body) are nearer the tube and magnified slightly more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from painlab.reference.imaging import SOFT_TISSUE_ATTENUATION, SPEED_OF_SOUND_SOFT_TISSUE
from painlab.validation import require_number

Array = NDArray[np.float64]

# --------------------------------------------------------------------------------------------
# Fluoroscopy geometry
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CArm:
    """A C-arm's angles and distances.

    ``oblique_deg`` rotates the C-arm about the patient's long axis (positive: the image
    intensifier swings over the patient's left side; negative: over the right). ``tilt_deg`` tilts it
    in the sagittal plane (positive: intensifier towards the head). Distances are source-to-isocentre
    (SOD) and source-to-detector (SID), mm.
    """

    oblique_deg: float = 0.0
    tilt_deg: float = 0.0
    source_to_isocentre_mm: float = 600.0
    source_to_detector_mm: float = 1000.0

    def __post_init__(self) -> None:
        require_number("oblique_deg", self.oblique_deg, -90.0, 90.0, unit="degrees")
        require_number("tilt_deg", self.tilt_deg, -45.0, 45.0, unit="degrees")
        sod = require_number("source_to_isocentre_mm", self.source_to_isocentre_mm, 200.0, 1500.0, unit="mm")
        require_number("source_to_detector_mm", self.source_to_detector_mm, sod, 2000.0, low_inclusive=False,
                       unit="mm (and more than source_to_isocentre_mm)")

    def axes(self) -> tuple[Array, Array, Array]:
        """Unit vectors: the beam direction and the detector's horizontal and vertical axes."""
        a, t = math.radians(self.oblique_deg), math.radians(self.tilt_deg)
        beam = np.array([math.sin(a) * math.cos(t), -math.cos(a) * math.cos(t), math.sin(t)])
        horizontal = np.array([math.cos(a), math.sin(a), 0.0])
        vertical = np.cross(beam, horizontal)
        return beam, horizontal, vertical / np.linalg.norm(vertical)


def project_points(points_mm: ArrayLike, carm: CArm, isocentre_mm: ArrayLike = (0.0, 0.0, 0.0)) -> Array:
    """Detector coordinates (mm; horizontal, vertical) of 3-D points seen by ``carm``.

    Each point is projected along the ray from the X-ray focal spot, so objects nearer the source are
    magnified more (magnification = SID / distance from the source along the beam).
    """
    points = np.atleast_2d(np.asarray(points_mm, dtype=float))
    if points.shape[-1] != 3 or not np.all(np.isfinite(points)):
        raise ValueError(f"points_mm must be finite (x, y, z) triples in mm, got shape {points.shape}")
    beam, horizontal, vertical = carm.axes()
    source = np.asarray(isocentre_mm, dtype=float) - carm.source_to_isocentre_mm * beam
    along = (points - source) @ beam
    if np.any(along <= 0):
        raise ValueError("a point lies behind the X-ray source: it cannot be imaged")
    magnification = carm.source_to_detector_mm / along
    offsets = (points - source) * magnification[:, None]
    return np.column_stack([offsets @ horizontal, offsets @ vertical])


def magnification(point_mm: ArrayLike, carm: CArm) -> float:
    """How much a point is enlarged on the detector (1.0 would be contact with the detector)."""
    beam, _, _ = carm.axes()
    source = -carm.source_to_isocentre_mm * beam
    along = float((np.asarray(point_mm, dtype=float) - source) @ beam)
    return carm.source_to_detector_mm / along


def needle_axis_angles(entry_mm: ArrayLike, target_mm: ArrayLike) -> tuple[float, float]:
    """C-arm (oblique, tilt) angles in degrees whose central ray runs along the needle from entry to target.

    Lined up this way (and centred on the needle) the needle projects as a dot: the coaxial
    ("tunnel", "down the beam") view used to steer towards a target.
    """
    entry, target = np.asarray(entry_mm, dtype=float), np.asarray(target_mm, dtype=float)
    length = float(np.linalg.norm(target - entry))
    if not length > 0:
        raise ValueError("entry_mm and target_mm must be different points")
    if target[1] <= entry[1]:
        raise ValueError("the needle must travel anteriorly (from the skin of the back towards the target)")
    dx, dy, dz = (entry - target) / length  # the beam runs from the tube (anterior) towards the skin entry
    tilt = math.degrees(math.asin(dz))
    oblique = math.degrees(math.atan2(dx, -dy))
    return oblique, tilt


# --------------------------------------------------------------------------------------------
# Radiation protection
# --------------------------------------------------------------------------------------------


def dose_rate_at_distance(rate: float, distance_m: float, new_distance_m: float) -> float:
    """Inverse square law: the dose rate at ``new_distance_m`` from a source measured as ``rate`` at ``distance_m``.

    Valid for a small source (the patient, for scattered radiation, approximately) in air; the units
    of ``rate`` are kept (e.g. uSv/h).
    """
    value = require_number("rate", rate, 0.0, 1e9)
    near = require_number("distance_m", distance_m, 0.0, 100.0, low_inclusive=False, unit="m")
    far = require_number("new_distance_m", new_distance_m, 0.0, 100.0, low_inclusive=False, unit="m")
    return value * (near / far) ** 2


def operator_dose_usv(scatter_rate_usv_per_h_at_1m: float, screening_time_min: float, distance_m: float,
                      shielding_transmission: float = 1.0) -> float:
    """Dose (uSv) to an operator at ``distance_m`` from the patient during ``screening_time_min`` of fluoroscopy.

    Time (linear), distance (inverse square from the 1 m reference) and shielding (the fraction of
    radiation a lead apron, shield or glass lets through) combine multiplicatively.
    """
    rate = require_number("scatter_rate_usv_per_h_at_1m", scatter_rate_usv_per_h_at_1m, 0.0, 1e7, unit="uSv/h")
    minutes = require_number("screening_time_min", screening_time_min, 0.0, 600.0, unit="min")
    transmission = require_number("shielding_transmission", shielding_transmission, 0.0, 1.0)
    return dose_rate_at_distance(rate, 1.0, distance_m) * minutes / 60.0 * transmission


# --------------------------------------------------------------------------------------------
# Ultrasound
# --------------------------------------------------------------------------------------------


def _frequency(frequency_mhz: float) -> float:
    return require_number("frequency_mhz", frequency_mhz, 0.5, 30.0, unit="MHz")


def wavelength_mm(frequency_mhz: float) -> float:
    """Wavelength in soft tissue: speed of sound / frequency (1540 m/s / 1 MHz = 1.54 mm)."""
    return SPEED_OF_SOUND_SOFT_TISSUE.value / 1000.0 / _frequency(frequency_mhz)


def axial_resolution_mm(frequency_mhz: float, cycles_per_pulse: float = 2.0) -> float:
    """Smallest separation resolvable along the beam: half the spatial pulse length."""
    cycles = require_number("cycles_per_pulse", cycles_per_pulse, 1.0, 10.0)
    return cycles * wavelength_mm(frequency_mhz) / 2.0


def round_trip_attenuation_db(frequency_mhz: float, depth_cm: float) -> float:
    """Loss of an echo from ``depth_cm`` and back: attenuation coefficient x frequency x 2 x depth."""
    depth = require_number("depth_cm", depth_cm, 0.0, 30.0, unit="cm")
    return SOFT_TISSUE_ATTENUATION.value * _frequency(frequency_mhz) * 2.0 * depth


def penetration_depth_cm(frequency_mhz: float, dynamic_range_db: float = 60.0) -> float:
    """Depth at which the round-trip loss uses up the system's dynamic range: deeper needs lower frequency."""
    budget = require_number("dynamic_range_db", dynamic_range_db, 10.0, 150.0, unit="dB")
    return budget / (2.0 * SOFT_TISSUE_ATTENUATION.value * _frequency(frequency_mhz))


def needle_echo_db(insertion_angle_deg: float, *, acceptance_half_angle_deg: float = 15.0,
                   diffuse_fraction: float = 0.01) -> float:
    """Echo from an in-plane needle relative to one lying parallel to the probe (dB; 0 is the best case).

    A smooth needle is mostly a specular reflector: the beam, perpendicular to the probe face, meets
    a needle inserted at ``insertion_angle_deg`` to the skin and is reflected at twice that angle away
    from the beam axis, so only a flat needle sends its echo straight back. The model takes a
    Gaussian fall-off of that specular echo with ``acceptance_half_angle_deg`` and adds a small
    angle-independent diffuse echo (``diffuse_fraction`` of the specular maximum) from the needle's
    surface and tip. Both parameters are assumptions of a schematic model, not measurements: it shows
    why steep needles fade, not by how much on a given machine.
    """
    angle = require_number("insertion_angle_deg", insertion_angle_deg, 0.0, 89.0, unit="degrees")
    acceptance = require_number("acceptance_half_angle_deg", acceptance_half_angle_deg, 1.0, 45.0, unit="degrees")
    diffuse = require_number("diffuse_fraction", diffuse_fraction, 0.0, 1.0)
    specular = math.exp(-((2.0 * angle / acceptance) ** 2))
    return 10.0 * math.log10((specular + diffuse) / (1.0 + diffuse))


def insertion_angle_deg(target_depth_cm: float, entry_distance_cm: float) -> float:
    """Needle angle to the skin needed to reach a target ``target_depth_cm`` deep from an entry point
    ``entry_distance_cm`` away from the point on the skin directly above it (in-plane approach)."""
    depth = require_number("target_depth_cm", target_depth_cm, 0.0, 30.0, low_inclusive=False, unit="cm")
    distance = require_number("entry_distance_cm", entry_distance_cm, 0.0, 30.0, low_inclusive=False, unit="cm")
    return math.degrees(math.atan2(depth, distance))


# --------------------------------------------------------------------------------------------
# A schematic lumbar vertebra for projection exercises
# --------------------------------------------------------------------------------------------


def _ellipse(centre: tuple[float, float, float], radii: tuple[float, float], plane: str, points: int = 40) -> Array:
    angles = np.linspace(0.0, 2.0 * np.pi, points)
    a, b = radii[0] * np.cos(angles), radii[1] * np.sin(angles)
    cx, cy, cz = centre
    if plane == "axial":  # x-y plane at height cz
        return np.column_stack([cx + a, cy + b, np.full(points, cz)])
    if plane == "coronal":  # x-z plane at depth cy
        return np.column_stack([cx + a, np.full(points, cy), cz + b])
    raise ValueError(f"plane must be 'axial' or 'coronal', got {plane!r}")


def schematic_lumbar_vertebra() -> dict[str, Array]:
    """Named outlines (mm, patient coordinates) of a schematic lumbar vertebra, centred on the spinal canal.

    Simple shapes at roughly lumbar proportions, to show how a C-arm's angle changes what overlaps
    what; they are an illustration, not anatomical measurements. The left-hand structures (patient's
    left, +x) and right-hand structures (-x) are named separately.
    """
    parts: dict[str, Array] = {
        "body, upper endplate": _ellipse((0.0, 25.0, 13.0), (22.0, 16.0), "axial"),
        "body, lower endplate": _ellipse((0.0, 25.0, -13.0), (22.0, 16.0), "axial"),
        "spinous process": np.array([[0.0, -8.0, 2.0], [0.0, -38.0, -6.0]]),
    }
    for side, sign in (("left", 1.0), ("right", -1.0)):
        parts[f"{side} pedicle"] = _ellipse((sign * 13.0, 5.0, 2.0), (5.0, 7.0), "coronal")
        parts[f"{side} transverse process"] = np.array([[sign * 15.0, 0.0, 0.0], [sign * 40.0, -3.0, 2.0]])
        parts[f"{side} superior articular process"] = np.array([[sign * 14.0, -6.0, 6.0], [sign * 17.0, -12.0, 20.0]])
        parts[f"{side} inferior articular process"] = np.array([[sign * 9.0, -12.0, -8.0], [sign * 11.0, -16.0, -22.0]])
        parts[f"{side} lamina"] = np.array([[sign * 12.0, -4.0, 2.0], [0.0, -10.0, 2.0]])
    return parts


MEDIAL_BRANCH_TARGET_RIGHT_MM = (-15.5, -4.0, 3.0)
"""Schematic target: the junction of the right superior articular and transverse processes."""
MEDIAL_BRANCH_ENTRY_RIGHT_MM = (-45.0, -75.0, 12.0)
"""Schematic skin entry for an oblique approach to that target."""
