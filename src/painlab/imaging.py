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

Patient coordinates: x to the patient's left, y anterior, z cranial (mm); the patient lies prone
and the beam of the anteroposterior (AP) view travels along +y (tube under the table).
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

    ``oblique_deg`` rotates the beam about the patient's long axis (positive: towards the patient's
    left, i.e. the image intensifier swings to the patient's left side). ``tilt_deg`` rotates it in
    the sagittal plane (positive: cranial tilt). Distances are source-to-isocentre (SOD) and
    source-to-detector (SID), mm.
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
        beam = np.array([math.sin(a) * math.cos(t), math.cos(a) * math.cos(t), -math.sin(t)])
        horizontal = np.array([math.cos(a), -math.sin(a), 0.0])
        vertical = np.cross(horizontal, beam)
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
    direction = np.asarray(target_mm, dtype=float) - np.asarray(entry_mm, dtype=float)
    length = float(np.linalg.norm(direction))
    if not length > 0:
        raise ValueError("entry_mm and target_mm must be different points")
    dx, dy, dz = direction / length
    if dy <= 0:
        raise ValueError("the needle must travel anteriorly (from the skin of the back towards the target)")
    tilt = -math.degrees(math.asin(dz))
    oblique = math.degrees(math.atan2(dx, dy))
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


def needle_echo_db(insertion_angle_deg: float, *, acceptance_half_angle_deg: float = 10.0) -> float:
    """Echo from an in-plane needle relative to one lying parallel to the probe (dB; 0 is the best case).

    A smooth needle is a specular reflector: the beam, perpendicular to the probe face, meets a needle
    inserted at ``insertion_angle_deg`` to the skin and is reflected at twice that angle away from the
    beam axis. Only sound reflected within the transducer's acceptance angle comes back; the model
    takes a Gaussian fall-off with ``acceptance_half_angle_deg``. A schematic model of why steep
    needles fade, not an instrument calibration.
    """
    angle = require_number("insertion_angle_deg", insertion_angle_deg, 0.0, 89.0, unit="degrees")
    acceptance = require_number("acceptance_half_angle_deg", acceptance_half_angle_deg, 1.0, 45.0, unit="degrees")
    return -10.0 * math.log10(math.e) * (2.0 * angle / acceptance) ** 2


def insertion_angle_deg(target_depth_cm: float, entry_distance_cm: float) -> float:
    """Needle angle to the skin needed to reach a target ``target_depth_cm`` deep from an entry point
    ``entry_distance_cm`` away from the point on the skin directly above it (in-plane approach)."""
    depth = require_number("target_depth_cm", target_depth_cm, 0.0, 30.0, low_inclusive=False, unit="cm")
    distance = require_number("entry_distance_cm", entry_distance_cm, 0.0, 30.0, low_inclusive=False, unit="cm")
    return math.degrees(math.atan2(depth, distance))
