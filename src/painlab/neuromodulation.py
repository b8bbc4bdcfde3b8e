"""Spinal cord stimulation: the extracellular field of electrode contacts and which fibres it excites.

A contact that passes current ``I`` into a uniform conductor of conductivity ``σ`` is, seen from a
few millimetres away, a point source: ``V = I / (4 π σ r)`` (Coulomb's law for current). Contacts
add linearly. A myelinated fibre feels the field through the differences of ``V`` between its nodes
of Ranvier: Rattay's *activating function*, the second difference ``V[n-1] - 2 V[n] + V[n+1]`` along
a straight fibre, and the first difference ``V[n-1] - V[n]`` at a fibre's end (where a dorsal root
fibre enters the cord and turns). Where it is positive the membrane depolarises; the fibre fires
where it is largest once it passes a threshold. Nodes are spaced about 100 fibre diameters apart,
so large fibres sample the field more coarsely and fire first.

The model compares a dorsal column fibre under the lead with a dorsal root fibre entering the cord
beside it. It is homogeneous: it ignores the conductivity contrast between CSF, cord, dura and
epidural fat that full models include. What it keeps is the geometry, and that is enough to show the
clinical rule: the thicker the dorsal CSF layer between lead and cord, the sooner the dorsal roots
(segmental paraesthesia, discomfort) fire before the dorsal columns, and the narrower the range of
useful amplitudes. Current units: mA; distances: mm; potentials: mV.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from painlab.reference import neuromodulation as ref
from painlab.validation import lookup, require_choice, require_number

CONFIGURATIONS = ("monopolar", "bipolar", "guarded")


def point_source_potential_mv(current_ma: float | np.ndarray, distance_mm: float | np.ndarray,
                              conductivity_s_per_m: float) -> np.ndarray:
    """Potential (mV) at ``distance_mm`` from a point source of ``current_ma`` in a uniform conductor.

    V = I / (4 π σ r). With I in mA, r in mm and σ in S/m the factors of 10⁻³ cancel, so
    V[V] = I[mA] / (4 π σ r[mm]); the result is returned in mV.
    """
    sigma = require_number("conductivity_s_per_m", conductivity_s_per_m, 0.0, 100.0, low_inclusive=False, unit="S/m")
    distance = np.asarray(distance_mm, dtype=float)
    if np.any(~np.isfinite(distance)) or np.any(distance <= 0):
        raise ValueError("distance_mm must be positive and finite (a point source is singular at r = 0)")
    return 1000.0 * np.asarray(current_ma, dtype=float) / (4.0 * np.pi * sigma * distance)


@dataclass(frozen=True)
class Contact:
    """A contact at ``position_mm`` (x lateral, y depth towards the cord, z along the cord) passing
    ``current_ma`` into the tissue (cathodes negative, anodes positive)."""

    position_mm: tuple[float, float, float]
    current_ma: float


def lead_contacts(cathode_current_ma: float, contact_spacing_mm: float, configuration: str = "guarded"
                  ) -> list[Contact]:
    """Contacts of a lead on the midline of the dorsal dura (y = 0) around a cathode at z = 0.

    ``monopolar``: the cathode alone (the return is the distant case). ``bipolar``: cathode and one
    anode one spacing rostral. ``guarded``: an anode either side sharing the return (+ - +).
    ``contact_spacing_mm`` is centre to centre.
    """
    current = require_number("cathode_current_ma", cathode_current_ma, 0.0, 30.0, unit="mA")
    spacing = require_number("contact_spacing_mm", contact_spacing_mm, 2.0, 20.0, unit="mm")
    configuration = require_choice("configuration", configuration, CONFIGURATIONS)
    cathode = Contact((0.0, 0.0, 0.0), -current)
    if configuration == "monopolar":
        return [cathode]
    if configuration == "bipolar":
        return [cathode, Contact((0.0, 0.0, spacing), current)]
    return [cathode, Contact((0.0, 0.0, -spacing), current / 2), Contact((0.0, 0.0, spacing), current / 2)]


def extracellular_potential_mv(contacts: Sequence[Contact], points_mm: np.ndarray,
                               conductivity_s_per_m: float) -> np.ndarray:
    """Potential (mV) at each point (rows of x, y, z in mm): the sum of every contact's point source."""
    points = np.atleast_2d(np.asarray(points_mm, dtype=float))
    if points.shape[-1] != 3:
        raise ValueError("points_mm must have three coordinates (x, y, z) per point")
    total = np.zeros(points.shape[0])
    for contact in contacts:
        distance = np.linalg.norm(points - np.asarray(contact.position_mm), axis=1)
        total = total + point_source_potential_mv(contact.current_ma, distance, conductivity_s_per_m)
    return total


def activating_function_mv(potential_mv: np.ndarray, *, sealed_end: bool = False) -> np.ndarray:
    """Rattay's activating function at each node: ``V[n-1] - 2 V[n] + V[n+1]`` (mV), positive = depolarising.

    The two end nodes of a fibre that continues beyond the sampled stretch get 0. With
    ``sealed_end=True`` the *last* node is a fibre's end (a dorsal root fibre turning into the cord):
    it has only one neighbour, so its drive is ``V[n-1] - V[n]``.
    """
    v = np.asarray(potential_mv, dtype=float)
    if v.ndim != 1 or v.size < 3:
        raise ValueError("potential_mv must be the potentials at three or more consecutive nodes")
    drive = np.zeros_like(v)
    drive[1:-1] = v[:-2] - 2.0 * v[1:-1] + v[2:]
    if sealed_end:
        drive[-1] = v[-2] - v[-1]
    return drive


@dataclass(frozen=True)
class FibreResponse:
    """A fibre's nodes and the activating function the lead produces at them (per mA of cathode current)."""

    name: str
    nodes_mm: np.ndarray         # (n, 3) node positions
    arc_mm: np.ndarray           # distance along the fibre
    potential_mv_per_ma: np.ndarray
    activating_mv_per_ma: np.ndarray

    @property
    def peak_drive_mv_per_ma(self) -> float:
        return float(np.max(self.activating_mv_per_ma))


@dataclass(frozen=True)
class RecruitmentResult:
    """Dorsal column against dorsal root fibre for one lead position."""

    csf_thickness_mm: float
    contact_spacing_mm: float
    configuration: str
    dorsal_column: FibreResponse
    dorsal_root: FibreResponse

    @property
    def threshold_ratio(self) -> float:
        """Dorsal root threshold ÷ dorsal column threshold. Above 1: the dorsal columns fire first, and the
        ratio is the model's therapeutic range (how far the amplitude can rise before the roots fire)."""
        return self.dorsal_column.peak_drive_mv_per_ma / self.dorsal_root.peak_drive_mv_per_ma

    @property
    def first_recruited(self) -> str:
        return "dorsal column" if self.threshold_ratio > 1.0 else "dorsal root"


def _node_spacing_mm(diameter_um: float) -> float:
    return ref.INTERNODE_PER_DIAMETER.value * diameter_um * 1e-3


def fibre_recruitment(csf_thickness_mm: float, contact_spacing_mm: float = 7.0, configuration: str = "guarded"
                      ) -> RecruitmentResult:
    """The field of a midline lead acting on a dorsal column fibre and a dorsal root fibre.

    Geometry (mm; lead on the dorsal dura at y = 0, cathode at z = 0): the dorsal column fibre runs
    along the cord's surface under the lead, at depth ``csf_thickness_mm``; the dorsal root fibre
    runs in the CSF at the level of the cathode, from lateral to medial, and ends where it enters the
    cord at the dorsal root entry zone, ``ROOT_ENTRY_LATERAL_MM`` from the midline.
    """
    depth = require_number("csf_thickness_mm", csf_thickness_mm, 0.5, 10.0, unit="mm")
    spacing = require_number("contact_spacing_mm", contact_spacing_mm, 2.0, 20.0, unit="mm")
    contacts = lead_contacts(1.0, spacing, configuration)
    sigma = ref.CSF_CONDUCTIVITY.value
    column_step = _node_spacing_mm(ref.FIBRE_DIAMETER_UM.value)
    # The dorsal column node grid is offset by half an internode, the worst (most favourable) case
    # being a node right under the cathode; we take that case.
    z = np.arange(-40.0, 40.0 + column_step / 2, column_step)
    z = z - z[np.argmin(np.abs(z))]
    column_nodes = np.column_stack([np.zeros_like(z), np.full_like(z, depth), z])
    root_step = column_step  # the same fibre diameter: differences come from geometry alone
    entry = ref.ROOT_ENTRY_LATERAL_MM.value
    x = entry + np.arange(40.0 / root_step)[::-1] * root_step  # lateral to medial, ending at the entry zone
    root_nodes = np.column_stack([x, np.full_like(x, depth), np.zeros_like(x)])
    responses = []
    for name, nodes, sealed in (("dorsal column", column_nodes, False), ("dorsal root", root_nodes, True)):
        potential = extracellular_potential_mv(contacts, nodes, sigma)
        drive = activating_function_mv(potential, sealed_end=sealed)
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(nodes, axis=0), axis=1))])
        responses.append(FibreResponse(name, nodes, arc, potential, drive))
    return RecruitmentResult(depth, spacing, configuration, *responses)


# --------------------------------------------------------------------------------------------
# Waveforms: charge and the battery
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waveform:
    """A stimulation pattern: pulses of ``pulse_width_us`` at ``amplitude_ma``, ``pulses_per_s`` on average."""

    name: str
    amplitude_ma: float
    pulse_width_us: float
    pulses_per_s: float
    note: str = ""


def charge_per_pulse_uc(amplitude_ma: float, pulse_width_us: float) -> float:
    """Charge in one (cathodic) phase: Q = I × t; mA × µs = nC, so divide by 1000 for µC."""
    amplitude = require_number("amplitude_ma", amplitude_ma, 0.0, 30.0, unit="mA")
    width = require_number("pulse_width_us", pulse_width_us, 0.0, 2000.0, low_inclusive=False, unit="µs")
    return amplitude * width / 1000.0


def mean_current_ma(waveform: Waveform) -> float:
    """Average stimulation current drawn (mA): charge per pulse × pulses per second (the cathodic phase;
    charge-balancing recovery phases and the electronics' own drain are ignored)."""
    rate = require_number("pulses_per_s", waveform.pulses_per_s, 0.0, 20000.0, unit="pulses/s")
    return charge_per_pulse_uc(waveform.amplitude_ma, waveform.pulse_width_us) * 1e-3 * rate


def stimulation_power_mw(waveform: Waveform, impedance_ohm: float) -> float:
    """Average power delivered to the tissue (mW): I² R × duty cycle."""
    impedance = require_number("impedance_ohm", impedance_ohm, 100.0, 5000.0, unit="Ω")
    duty = waveform.pulse_width_us * 1e-6 * waveform.pulses_per_s
    if duty > 1.0:
        raise ValueError(f"{waveform.name}: pulse width × rate exceeds 100 % duty cycle")
    return (waveform.amplitude_ma * 1e-3) ** 2 * impedance * duty * 1e3


def days_per_charge(waveform: Waveform, battery_capacity_mah: float) -> float:
    """Days a battery of ``battery_capacity_mah`` could feed the stimulation current alone (an upper
    bound: converter losses, telemetry and recovery phases shorten it in a real device)."""
    capacity = require_number("battery_capacity_mah", battery_capacity_mah, 1.0, 10000.0, unit="mAh")
    current = mean_current_ma(waveform)
    if current == 0:
        raise ValueError(f"{waveform.name}: zero amplitude draws no current; battery life is not defined")
    return capacity / current / 24.0


def waveform(name: str, amplitude_ma: float | None = None) -> Waveform:
    """A published waveform by name (tonic, burst, 10 kHz), optionally at another amplitude."""
    published = lookup("waveform", name, ref.WAVEFORMS)
    if amplitude_ma is None:
        amplitude = published.amplitude_ma.value
    else:
        amplitude = require_number("amplitude_ma", amplitude_ma, 0.0, 30.0, unit="mA")
    return Waveform(published.name, amplitude, published.pulse_width_us.value, published.pulses_per_s.value,
                    published.note)



def trial_relief_percent(baseline_nrs: float, trial_nrs: float) -> float:
    """Pain relief during a screening trial, in % of the baseline rating (0-10 numerical rating scale)."""
    baseline = require_number("baseline_nrs", baseline_nrs, 0.0, 10.0, low_inclusive=False)
    trial = require_number("trial_nrs", trial_nrs, 0.0, 10.0)
    return 100.0 * (baseline - trial) / baseline


def meets_trial_criterion(relief_percent: float) -> bool:
    """Whether relief reaches the conventional threshold (pain relief only: function and medication are
    judged as well, and the threshold itself is a convention)."""
    relief = require_number("relief_percent", relief_percent, -1000.0, 100.0)
    return relief >= ref.TRIAL_SUCCESS_RELIEF_PERCENT.value
