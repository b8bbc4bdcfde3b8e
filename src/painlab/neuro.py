"""Excitable membranes and axons: the Hodgkin-Huxley (1952) model with temperature and sodium-channel block.

Two models share one set of gating kinetics:

* :func:`simulate_membrane` - a space-clamped patch of membrane (a single compartment) driven by a
  rectangular current pulse: threshold, spike shape, temperature and local-anaesthetic block.
* :func:`simulate_axon` - a cable of Hodgkin-Huxley compartments with a segment bathed in local
  anaesthetic: whether the impulse gets through depends on the fraction of sodium channels blocked
  *and* on the length of nerve exposed.

Units are in the names: mV, ms, uA/cm2, mS/cm2, uF/cm2, cm, degC. Voltages use the modern
convention (inside minus outside, rest near -65 mV). A local anaesthetic is modelled as a fraction of
sodium channels that cannot conduct (the maximal sodium conductance is scaled by ``1 - fraction``);
real block is state- and use-dependent (Hille 1977), so this is the tonic-block limit.

Integration: exponential (Rush-Larsen) Euler for the gates, and for the membrane potential an
update that treats the conductances as constant over a step (exact for the linear part, stable at
any step). The cable is solved implicitly (backward Euler, tridiagonal system) so the step is not
limited by the fast axial coupling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lapack

from painlab.reference import (
    SQUID_AXON_CABLE,
    SQUID_AXON_MEMBRANE,
    HodgkinHuxleyCable,
    HodgkinHuxleyMembrane,
)
from painlab.validation import require_number

SPIKE_DETECTION_MV = 0.0
"""A response counts as an action potential when the membrane potential overshoots 0 mV."""

TEMPERATURE_RANGE_C = (0.0, 40.0)
"""Temperatures the model accepts. Above about 30 degC the squid-axon model shows heat block."""

Array = NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _validate_common(temperature_c: float, sodium_block_fraction: float, dt_ms: float) -> tuple[float, float, float]:
    temperature = require_number("temperature_c", temperature_c, *TEMPERATURE_RANGE_C, unit="degC")
    block = require_number("sodium_block_fraction", sodium_block_fraction, 0.0, 1.0)
    dt = require_number("dt_ms", dt_ms, 0.0, 0.1, low_inclusive=False, unit="ms")
    return temperature, block, dt


# --------------------------------------------------------------------------------------------
# Gating kinetics (Hodgkin & Huxley 1952, equations 12-14, 20-21, 23-24, modern convention)
# --------------------------------------------------------------------------------------------


def temperature_factor(temperature_c: float, membrane: HodgkinHuxleyMembrane = SQUID_AXON_MEMBRANE) -> float:
    """The factor phi = Q10 ** ((T - T_ref) / 10) that multiplies every rate constant."""
    temperature = require_number("temperature_c", temperature_c, *TEMPERATURE_RANGE_C, unit="degC")
    return membrane.q10 ** ((temperature - membrane.reference_temperature_c) / 10.0)


def _x_over_expm1(x: Array | float, scale: float) -> Array | float:
    """x / (1 - exp(-x / scale)), continued smoothly through x = 0 (its limit is ``scale``)."""
    x_arr = np.asarray(x, dtype=float)
    small = np.abs(x_arr) < 1e-6
    safe = np.where(small, 1.0, x_arr)
    value = np.where(small, scale + x_arr / 2.0, safe / -np.expm1(-safe / scale))
    return float(value) if np.ndim(value) == 0 else value


def rate_constants_per_ms(voltage_mv: Array | float) -> dict[str, Array | float]:
    """Opening (alpha) and closing (beta) rates of the m, h and n gates at 6.3 degC, in 1/ms."""
    v = np.asarray(voltage_mv, dtype=float)
    rates = {
        "alpha_m": 0.1 * _x_over_expm1(v + 40.0, 10.0),
        "beta_m": 4.0 * np.exp(-(v + 65.0) / 18.0),
        "alpha_h": 0.07 * np.exp(-(v + 65.0) / 20.0),
        "beta_h": 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0)),
        "alpha_n": 0.01 * _x_over_expm1(v + 55.0, 10.0),
        "beta_n": 0.125 * np.exp(-(v + 65.0) / 80.0),
    }
    if np.ndim(v) == 0:
        return {name: float(value) for name, value in rates.items()}
    return rates


def steady_state_gates(voltage_mv: float) -> tuple[float, float, float]:
    """Steady-state (m, h, n) at a clamped voltage; the starting state at rest."""
    r = rate_constants_per_ms(voltage_mv)
    return (
        r["alpha_m"] / (r["alpha_m"] + r["beta_m"]),
        r["alpha_h"] / (r["alpha_h"] + r["beta_h"]),
        r["alpha_n"] / (r["alpha_n"] + r["beta_n"]),
    )


# Rate tables on a fine voltage grid: the simulators look rates up instead of evaluating
# exponentials at every step (linear interpolation; the grid error is far below the model's).
_TABLE_MIN_MV, _TABLE_MAX_MV, _TABLE_STEP_MV = -150.0, 100.0, 0.05


@lru_cache(maxsize=1)
def _rate_tables() -> tuple[Array, Array, Array, Array, Array, Array]:
    grid = np.arange(_TABLE_MIN_MV, _TABLE_MAX_MV + _TABLE_STEP_MV / 2, _TABLE_STEP_MV)
    r = rate_constants_per_ms(grid)
    return (r["alpha_m"], r["alpha_m"] + r["beta_m"], r["alpha_h"], r["alpha_h"] + r["beta_h"],
            r["alpha_n"], r["alpha_n"] + r["beta_n"])


# --------------------------------------------------------------------------------------------
# Single compartment (space clamp)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembraneResponse:
    """Time course of a membrane patch after a rectangular current pulse."""

    time_ms: Array
    voltage_mv: Array
    stimulus_ua_per_cm2: Array
    m: Array
    h: Array
    n: Array
    sodium_conductance_ms_per_cm2: Array
    potassium_conductance_ms_per_cm2: Array

    @property
    def peak_mv(self) -> float:
        return float(self.voltage_mv.max())

    @property
    def fired(self) -> bool:
        """True when the membrane itself produced an action potential.

        That is an overshoot above 0 mV while the sodium conductance exceeds the potassium
        conductance: the regenerative sodium current, not the electrode, is driving the potential.
        A large pulse into an inexcitable (blocked) membrane can push it past 0 mV passively; that
        is not an action potential.
        """
        driven_by_sodium = self.sodium_conductance_ms_per_cm2 > self.potassium_conductance_ms_per_cm2
        return bool(np.any((self.voltage_mv > SPIKE_DETECTION_MV) & driven_by_sodium))

    @property
    def spike_width_ms(self) -> float:
        """Duration of the first overshoot above 0 mV (a measure of spike width); nan if no spike."""
        above = np.flatnonzero(self.voltage_mv > SPIKE_DETECTION_MV)
        if above.size == 0:
            return math.nan
        start = above[0]
        gaps = np.flatnonzero(np.diff(above) > 1)
        end = above[gaps[0]] if gaps.size else above[-1]
        return float(self.time_ms[end] - self.time_ms[start])


def simulate_membrane(
    stimulus_ua_per_cm2: float,
    stimulus_duration_ms: float,
    *,
    temperature_c: float = 6.3,
    sodium_block_fraction: float = 0.0,
    duration_ms: float = 30.0,
    onset_ms: float = 2.0,
    dt_ms: float = 0.01,
    membrane: HodgkinHuxleyMembrane = SQUID_AXON_MEMBRANE,
) -> MembraneResponse:
    """Simulate a Hodgkin-Huxley membrane patch given a rectangular current pulse.

    ``stimulus_ua_per_cm2`` is the depolarising current density (uA/cm2) applied from ``onset_ms``
    for ``stimulus_duration_ms``. ``sodium_block_fraction`` (0-1) is the fraction of sodium channels
    blocked by a local anaesthetic. Rates scale with temperature by Q10 = 3.
    """
    amplitude = require_number("stimulus_ua_per_cm2", stimulus_ua_per_cm2, -1000.0, 1000.0, unit="uA/cm2")
    width = require_number("stimulus_duration_ms", stimulus_duration_ms, 0.0, 1000.0, unit="ms")
    total = require_number("duration_ms", duration_ms, 0.0, 1000.0, low_inclusive=False, unit="ms")
    onset = require_number("onset_ms", onset_ms, 0.0, total, unit="ms")
    temperature, block, dt = _validate_common(temperature_c, sodium_block_fraction, dt_ms)
    phi = temperature_factor(temperature, membrane)

    steps = int(round(total / dt))
    am_t, km_t, ah_t, kh_t, an_t, kn_t = (t.tolist() for t in _rate_tables())
    last_index = len(am_t) - 2
    g_na = membrane.g_na_ms_per_cm2 * (1.0 - block)
    g_k, g_l = membrane.g_k_ms_per_cm2, membrane.g_leak_ms_per_cm2
    e_na, e_k, e_l = membrane.e_na_mv, membrane.e_k_mv, membrane.e_leak_mv
    dt_over_c = dt / membrane.capacitance_uf_per_cm2
    exp = math.exp

    v = membrane.resting_potential_mv
    m, h, n = steady_state_gates(v)
    start_step, stop_step = int(round(onset / dt)), int(round((onset + width) / dt))
    out_v, out_m, out_h, out_n = [v], [m], [h], [n]
    for step in range(steps):
        # Rates at the current voltage, interpolated from the tables.
        position = (v - _TABLE_MIN_MV) / _TABLE_STEP_MV
        i = min(max(int(position), 0), last_index)
        frac = min(max(position - i, 0.0), 1.0)
        j = i + 1
        am = am_t[i] + frac * (am_t[j] - am_t[i])
        km = km_t[i] + frac * (km_t[j] - km_t[i])
        ah = ah_t[i] + frac * (ah_t[j] - ah_t[i])
        kh = kh_t[i] + frac * (kh_t[j] - kh_t[i])
        an = an_t[i] + frac * (an_t[j] - an_t[i])
        kn = kn_t[i] + frac * (kn_t[j] - kn_t[i])
        # Gates relax exponentially towards their steady state (Rush-Larsen).
        m = am / km + (m - am / km) * exp(-phi * km * dt)
        h = ah / kh + (h - ah / kh) * exp(-phi * kh * dt)
        n = an / kn + (n - an / kn) * exp(-phi * kn * dt)
        # Membrane potential relaxes towards the conductance-weighted reversal potential.
        current = amplitude if start_step <= step < stop_step else 0.0
        gna = g_na * m * m * m * h
        gk = g_k * n * n * n * n
        g_total = gna + gk + g_l
        v_inf = (gna * e_na + gk * e_k + g_l * e_l + current) / g_total
        v = v_inf + (v - v_inf) * exp(-g_total * dt_over_c)
        out_v.append(v)
        out_m.append(m)
        out_h.append(h)
        out_n.append(n)

    time = np.arange(steps + 1) * dt
    stimulus = np.where((time >= onset) & (time < onset + width), amplitude, 0.0)
    m_arr, h_arr, n_arr = np.array(out_m), np.array(out_h), np.array(out_n)
    return MembraneResponse(time, np.array(out_v), stimulus, m_arr, h_arr, n_arr,
                            g_na * m_arr ** 3 * h_arr, g_k * n_arr ** 4)


def _smallest_where(predicate: Callable[[float], bool], low: float, high: float, tolerance: float) -> float:
    """Bisection for a monotone predicate, False at ``low`` and True at ``high``: the upper end of the last bracket."""
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        if predicate(middle):
            high = middle
        else:
            low = middle
    return high


def _pulse_fires(amplitude: float, width_ms: float, temperature_c: float, block: float) -> bool:
    """Whether one pulse fires the membrane (the settings every threshold search uses)."""
    return simulate_membrane(amplitude, width_ms, temperature_c=temperature_c, sodium_block_fraction=block,
                             duration_ms=width_ms + 27.0, dt_ms=0.02).fired


def threshold_stimulus_ua_per_cm2(
    stimulus_duration_ms: float,
    *,
    temperature_c: float = 6.3,
    sodium_block_fraction: float = 0.0,
    max_stimulus_ua_per_cm2: float = 200.0,
    tolerance_ua_per_cm2: float = 0.01,
) -> float:
    """Smallest pulse amplitude (uA/cm2) that fires an action potential, found by bisection.

    Returns ``math.inf`` when even ``max_stimulus_ua_per_cm2`` does not fire (inexcitable membrane,
    for example with enough sodium channels blocked).
    """
    width = require_number("stimulus_duration_ms", stimulus_duration_ms, 0.0, 1000.0,
                            low_inclusive=False, unit="ms")
    ceiling = require_number("max_stimulus_ua_per_cm2", max_stimulus_ua_per_cm2, 0.0, 1000.0,
                              low_inclusive=False, unit="uA/cm2")
    tolerance = require_number("tolerance_ua_per_cm2", tolerance_ua_per_cm2, 0.0, 10.0,
                                low_inclusive=False, unit="uA/cm2")

    def fires(amplitude: float) -> bool:
        return _pulse_fires(amplitude, width, temperature_c, sodium_block_fraction)

    if not fires(ceiling):
        return math.inf
    return _smallest_where(fires, 0.0, ceiling, tolerance)


# --------------------------------------------------------------------------------------------
# Cable: propagation along an axon with a segment exposed to local anaesthetic
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxonResponse:
    """Membrane potential along an axon over time (``voltage_mv[time_index, position_index]``)."""

    time_ms: Array
    position_cm: Array
    voltage_mv: Array
    blocked: NDArray[np.bool_]

    def peak_mv_at(self, position_cm: float) -> float:
        index = int(np.argmin(np.abs(self.position_cm - position_cm)))
        return float(self.voltage_mv[:, index].max())

    @property
    def conducted(self) -> bool:
        """True when the impulse reaches the far end of the axon (overshoot above 0 mV there)."""
        far = self.position_cm[-1] - 0.1 * (self.position_cm[-1] - self.position_cm[0])
        return self.peak_mv_at(far) > SPIKE_DETECTION_MV

    def arrival_time_ms(self, position_cm: float) -> float:
        """First time the potential at ``position_cm`` crosses 0 mV upwards; nan if it never does."""
        index = int(np.argmin(np.abs(self.position_cm - position_cm)))
        above = np.flatnonzero(self.voltage_mv[:, index] > SPIKE_DETECTION_MV)
        if above.size == 0:
            return math.nan
        k = int(above[0])
        v0, v1 = self.voltage_mv[k - 1, index], self.voltage_mv[k, index]
        t0, t1 = self.time_ms[k - 1], self.time_ms[k]
        return float(t0 + (SPIKE_DETECTION_MV - v0) * (t1 - t0) / (v1 - v0))

    def conduction_velocity_m_per_s(self, from_cm: float, to_cm: float) -> float:
        """Velocity between two positions from the arrival times (cm/ms x 10 = m/s)."""
        elapsed = self.arrival_time_ms(to_cm) - self.arrival_time_ms(from_cm)
        return 10.0 * (to_cm - from_cm) / elapsed


def simulate_axon(
    *,
    sodium_block_fraction: float = 0.0,
    blocked_length_cm: float = 0.0,
    temperature_c: float = SQUID_AXON_CABLE.temperature_c,
    axon_length_cm: float = 6.0,
    dx_cm: float = 0.05,
    duration_ms: float = 8.0,
    dt_ms: float = 0.02,
    stimulus_ua_per_cm2: float = 100.0,
    stimulus_duration_ms: float = 0.5,
    membrane: HodgkinHuxleyMembrane = SQUID_AXON_MEMBRANE,
    cable: HodgkinHuxleyCable = SQUID_AXON_CABLE,
) -> AxonResponse:
    """Simulate an impulse started at one end of a Hodgkin-Huxley axon, through a blocked segment.

    The segment of ``blocked_length_cm`` centred on the middle of the axon has
    ``sodium_block_fraction`` of its sodium channels blocked. The first 0.2 cm are stimulated.
    Geometry (radius 238 um, axoplasm 35.4 ohm cm) is Hodgkin and Huxley's; their computed
    conduction velocity at 18.5 degC was 18.8 m/s.
    """
    temperature, block, dt = _validate_common(temperature_c, sodium_block_fraction, dt_ms)
    length = require_number("axon_length_cm", axon_length_cm, 1.0, 20.0, unit="cm")
    dx = require_number("dx_cm", dx_cm, 0.001, 0.2, unit="cm")
    blocked_length = require_number("blocked_length_cm", blocked_length_cm, 0.0, length / 2.0, unit="cm")
    total = require_number("duration_ms", duration_ms, 0.0, 100.0, low_inclusive=False, unit="ms")
    amplitude = require_number("stimulus_ua_per_cm2", stimulus_ua_per_cm2, 0.0, 2000.0, unit="uA/cm2")
    width = require_number("stimulus_duration_ms", stimulus_duration_ms, 0.0, 10.0, unit="ms")
    phi = temperature_factor(temperature, membrane)

    count = int(round(length / dx)) + 1
    position = np.linspace(0.0, length, count)
    middle = length / 2.0
    blocked = np.abs(position - middle) <= blocked_length / 2.0 + 1e-9 if blocked_length > 0 else np.zeros(count, bool)
    g_na = membrane.g_na_ms_per_cm2 * np.where(blocked, 1.0 - block, 1.0)
    g_k, g_l = membrane.g_k_ms_per_cm2, membrane.g_leak_ms_per_cm2
    e_na, e_k, e_l = membrane.e_na_mv, membrane.e_k_mv, membrane.e_leak_mv
    c_over_dt = membrane.capacitance_uf_per_cm2 / dt
    radius_cm = cable.axon_radius_um * 1e-4
    # Axial coupling between neighbouring compartments per unit membrane area, mS/cm2.
    coupling = 1000.0 * radius_cm / (2.0 * cable.axoplasm_resistivity_ohm_cm * dx * dx)
    neighbours = np.full(count, 2.0 * coupling)
    neighbours[[0, -1]] = coupling  # sealed ends
    off_diagonal = np.full(count - 1, -coupling)
    stimulated = np.where(position < 0.2, amplitude, 0.0)

    # Per call, tabulate each gate's steady state and its one-step relaxation factor at this
    # temperature and step; the loop then needs one gather and one interpolation for all gates.
    am_t, km_t, ah_t, kh_t, an_t, kn_t = _rate_tables()
    table = np.stack([am_t / km_t, ah_t / kh_t, an_t / kn_t,
                      np.exp(-phi * dt * km_t), np.exp(-phi * dt * kh_t), np.exp(-phi * dt * kn_t)])
    table_delta = np.diff(table, axis=1)
    last_index = table.shape[1] - 2
    steps = int(round(total / dt))
    stop_step = int(round(width / dt))
    v = np.full(count, membrane.resting_potential_mv)
    gates = np.array(steady_state_gates(membrane.resting_potential_mv))[:, None] * np.ones(count)
    leak_current = g_l * e_l
    record = np.empty((steps + 1, count))
    record[0] = v
    for step in range(steps):
        position_index = (v - _TABLE_MIN_MV) * (1.0 / _TABLE_STEP_MV)
        np.minimum(np.maximum(position_index, 0.0, out=position_index), last_index, out=position_index)
        i = position_index.astype(np.intp)
        values = table.take(i, axis=1)
        values += (position_index - i) * table_delta.take(i, axis=1)
        steady, relax = values[:3], values[3:]
        gates = steady + (gates - steady) * relax
        m, h, n = gates
        n2 = n * n
        gna = g_na * (m * m * m * h)
        gk = g_k * (n2 * n2)
        rhs = c_over_dt * v + gna * e_na + gk * e_k + leak_current
        if step < stop_step:
            rhs = rhs + stimulated
        diagonal = (c_over_dt + g_l) + gna + gk + neighbours
        _, _, _, v, info = lapack.dgtsv(off_diagonal, diagonal, off_diagonal, rhs, overwrite_d=True, overwrite_b=True)
        if info != 0:  # pragma: no cover - the matrix is diagonally dominant, so this cannot happen
            raise RuntimeError(f"tridiagonal solve failed (LAPACK info {info})")
        record[step + 1] = v
    return AxonResponse(np.arange(steps + 1) * dt, position, record, blocked)


def critical_block_fraction(blocked_length_cm: float, *, temperature_c: float = SQUID_AXON_CABLE.temperature_c,
                            tolerance: float = 0.01) -> float:
    """Smallest fraction of sodium channels blocked over ``blocked_length_cm`` that stops conduction.

    Returns ``math.inf`` when even complete block of that length lets the impulse through
    (the impulse jumps a short enough inexcitable gap electrotonically).
    """
    tol = require_number("tolerance", tolerance, 0.0, 0.5, low_inclusive=False)

    def blocks(fraction: float) -> bool:
        return not simulate_axon(sodium_block_fraction=fraction, blocked_length_cm=blocked_length_cm,
                                 temperature_c=temperature_c).conducted

    if not blocks(1.0):
        return math.inf
    return _smallest_where(blocks, 0.0, 1.0, tol)


def block_fraction_to_stop_firing(stimulus_ua_per_cm2: float, stimulus_duration_ms: float, *,
                                  temperature_c: float = 6.3, tolerance: float = 0.005) -> float:
    """Smallest fraction of sodium channels blocked at which a given pulse no longer fires the membrane.

    Returns 0.0 when the pulse is subthreshold even without block.
    """
    tol = require_number("tolerance", tolerance, 0.0, 0.5, low_inclusive=False)
    width = require_number("stimulus_duration_ms", stimulus_duration_ms, 0.0, 1000.0, low_inclusive=False, unit="ms")

    def stops(fraction: float) -> bool:
        return not _pulse_fires(stimulus_ua_per_cm2, width, temperature_c, fraction)

    if stops(0.0):
        return 0.0
    return _smallest_where(stops, 0.0, 1.0, tol)


# --------------------------------------------------------------------------------------------
# Neuroanatomy: segments, key points and blocks
# --------------------------------------------------------------------------------------------


def _segment(name: object) -> str:
    from painlab.reference.anatomy import KEY_SENSORY_POINTS

    if not isinstance(name, str):
        raise ValueError(f"segment must be a name such as 'L5', got {type(name).__name__} {name!r}")
    wanted = name.strip().upper().replace(" ", "")
    if wanted in ("S4", "S5", "S4/5"):
        wanted = "S4-5"
    if wanted not in KEY_SENSORY_POINTS:
        raise ValueError(f"unknown spinal segment {name!r}; segments with a key sensory point: "
                         f"{', '.join(KEY_SENSORY_POINTS)}")
    return wanted


def key_sensory_point(segment: str) -> str:
    """Where the ISNCSCI examination tests the dermatome of ``segment`` (e.g. "L5")."""
    from painlab.reference.anatomy import KEY_SENSORY_POINTS

    return KEY_SENSORY_POINTS[_segment(segment)]


def segments_for_location(text: str) -> list[str]:
    """Segments whose key sensory point mentions ``text`` (e.g. "heel" -> ["S1"], "thumb" -> ["C6"])."""
    from painlab.reference.anatomy import KEY_SENSORY_POINTS

    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be a non-empty description of a body location, e.g. 'thumb'")
    needle = text.strip().lower()
    return [segment for segment, point in KEY_SENSORY_POINTS.items() if needle in point.lower()]


def lumbar_facet_medial_branches(joint: str) -> tuple[str, str]:
    """The two medial branches that supply a lumbar zygapophysial joint, e.g. "L4-5" -> ("L3", "L4").

    Each medial branch supplies the joint at its own level and the one below, so a joint is supplied
    from its own level and the level above (Bogduk et al. 1982). At L5-S1 the L5 dorsal ramus takes
    the place of a medial branch.
    """
    if not isinstance(joint, str):
        raise ValueError(f"joint must be a name such as 'L4-5', got {type(joint).__name__}")
    key = joint.strip().upper().replace(" ", "").replace("/", "-")
    joints = {"L1-2": ("T12", "L1"), "L2-3": ("L1", "L2"), "L3-4": ("L2", "L3"), "L4-5": ("L3", "L4"),
              "L5-S1": ("L4", "L5 dorsal ramus")}
    if key not in joints:
        raise ValueError(f"unknown lumbar facet joint {joint!r}; accepted: {', '.join(joints)}")
    return joints[key]


def exit_foramen(segment: str) -> str:
    """Where the spinal nerve of ``segment`` leaves the spine.

    Cervical nerves exit above the vertebra of the same number (C8 between C7 and T1); thoracic and
    lumbar nerves exit below it; sacral nerves through the sacral foramina.
    """
    name = _segment(segment)
    if name == "S4-5":
        return "S4 and S5 sacral foramina (S5 through the sacral hiatus)"
    region, number = name[0], int(name[1:])
    if name == "C2":
        return "between the atlas (C1) and axis (C2), behind the atlanto-axial joint (no true foramen)"
    if region == "C":
        return "C7-T1 intervertebral foramen" if number == 8 else f"C{number - 1}-C{number} intervertebral foramen"
    if region == "T":
        return "T12-L1 intervertebral foramen" if number == 12 else f"T{number}-T{number + 1} intervertebral foramen"
    if region == "L":
        return "L5-S1 intervertebral foramen" if number == 5 else f"L{number}-L{number + 1} intervertebral foramen"
    return f"S{number} sacral foramen"


LUMBAR_FACET_JOINTS: tuple[str, ...] = ("L1-2", "L2-3", "L3-4", "L4-5", "L5-S1")


def facet_innervation_markdown() -> str:
    """The lumbar facet joints and the two nerves that supply each, as a Markdown table."""
    from painlab.reference._format import markdown_table
    from painlab.reference.anatomy import FACET_INNERVATION_SOURCE

    rows = [(joint, " and ".join(lumbar_facet_medial_branches(joint)),
             f"{{cite:p}}`{FACET_INNERVATION_SOURCE.key}`") for joint in LUMBAR_FACET_JOINTS]
    return markdown_table(("Joint", "Supplied by (medial branches)", "Source"), rows)
