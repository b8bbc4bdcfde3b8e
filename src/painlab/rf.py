"""Radiofrequency heat lesions: the Pennes bioheat equation around an electrode, in axisymmetric geometry.

The tissue around a straight electrode is symmetric about the electrode's axis, so the temperature is
a function of the distance from the axis ``r`` and the position along it ``z`` only. The Pennes (1948)
bioheat equation, for the temperature rise ``θ = T - T_body`` above body temperature,

    ρ c ∂θ/∂t = ∇·(k ∇θ) - W θ + Q,        W = ω ρ_blood c_blood   (perfusion),

is discretised with finite volumes on a grid refined near the electrode (cylindrical cell volumes
and face areas, so the axisymmetric form is exact for the discretisation) and stepped implicitly in
time with sparse LU factors that are computed once per time-step size.

Three modes:

* **conventional**: a temperature-controlled generator holds the active tip at the set temperature;
  heat reaches the tissue by conduction (the electrode surface is a fixed-temperature boundary).
* **cooled**: the internally cooled electrode wall is held at the set temperature while the power
  deposited in the tissue by the radiofrequency current (Joule heating, ``σ |∇φ|²`` from the
  electrode's electric field, solved on the same grid) is raised until the hottest tissue reaches a
  peak temperature kept below boiling. The hottest point moves off the electrode into the tissue.
* **pulsed**: the tip's mean temperature is held at the pulsed-RF limit (42 °C); the model shows
  that no tissue reaches the lethal isotherm, i.e. pulsed RF is not a heat lesion.

The lesion is the tissue at or above the lethal isotherm (:data:`painlab.reference.rf.LETHAL_ISOTHERM_C`).
This is a model of principles: it assumes uniform, constant tissue properties and ignores the
electrode's metal shaft conducting heat, tissue desiccation and the generator's ramp-up. It reproduces
the *trends* of bench lesions (size grows with temperature, time, gauge and tip length, and levels off
after about a minute; cooled lesions are larger) rather than any one product's lesion sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import warnings

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from painlab.reference import rf as ref
from painlab.validation import require_choice, require_number

MODES = ("conventional", "cooled", "pulsed")
MAX_DURATION_S = 180.0
DOMAIN_RADIUS_MM = 20.0
DOMAIN_HALF_LENGTH_MM = 20.0


# --------------------------------------------------------------------------------------------
# Grid and operators
# --------------------------------------------------------------------------------------------


def _graded_faces(start: float, stop: float, first: float, ratio: float) -> np.ndarray:
    """Faces from ``start`` to ``stop`` with the first cell ``first`` wide, each next one ``ratio`` times wider."""
    faces = [start]
    width = first
    while faces[-1] + width < stop - 1e-12:
        faces.append(faces[-1] + width)
        width *= ratio
    if stop - faces[-1] < 0.5 * width and len(faces) > 1:
        faces[-1] = stop
    else:
        faces.append(stop)
    return np.asarray(faces)


@dataclass(frozen=True)
class AxisymmetricGrid:
    """Finite-volume cells in (r, z), in metres, with the electrode's cells marked."""

    r_faces_m: np.ndarray
    z_faces_m: np.ndarray
    electrode: np.ndarray  # bool (nz, nr): cells held at the electrode temperature
    excluded: np.ndarray   # bool (nz, nr): the insulated shaft (no heat flows into it)
    insulated_ends: bool = False  # True: no flow through the z ends (a slice of an infinite cylinder)

    @property
    def r_m(self) -> np.ndarray:
        return 0.5 * (self.r_faces_m[1:] + self.r_faces_m[:-1])

    @property
    def z_m(self) -> np.ndarray:
        return 0.5 * (self.z_faces_m[1:] + self.z_faces_m[:-1])

    @property
    def shape(self) -> tuple[int, int]:
        return (self.z_faces_m.size - 1, self.r_faces_m.size - 1)

    @property
    def cell_volumes_m3(self) -> np.ndarray:
        ring = np.pi * np.diff(self.r_faces_m ** 2)
        return np.outer(np.diff(self.z_faces_m), ring)


def electrode_grid(radius_mm: float, active_tip_mm: float) -> AxisymmetricGrid:
    """The grid around an electrode whose active tip runs from z = 0 to z = ``active_tip_mm``.

    The insulated shaft (z < 0, r < radius) is left out of the domain; tissue surrounds the rest.
    Cells are finest at the electrode's surface and ends and widen geometrically outwards.
    """
    a = radius_mm
    r_faces = np.concatenate([np.linspace(0.0, a, 4)[:-1],
                              _graded_faces(a, DOMAIN_RADIUS_MM, first=0.06, ratio=1.13)])
    along = max(4, int(np.ceil(active_tip_mm / 0.4)))
    tip = np.linspace(0.0, active_tip_mm, along + 1)
    ahead = _graded_faces(active_tip_mm, active_tip_mm + DOMAIN_HALF_LENGTH_MM, first=0.08, ratio=1.18)
    behind = -_graded_faces(0.0, DOMAIN_HALF_LENGTH_MM, first=0.08, ratio=1.18)[::-1]
    z_faces = np.concatenate([behind[:-1], tip, ahead[1:]])
    r_mid = 0.5 * (r_faces[1:] + r_faces[:-1])
    z_mid = 0.5 * (z_faces[1:] + z_faces[:-1])
    inside = r_mid[None, :] < a
    electrode = inside & (z_mid[:, None] > 0.0) & (z_mid[:, None] < active_tip_mm)
    excluded = inside & (z_mid[:, None] < 0.0)
    return AxisymmetricGrid(r_faces * 1e-3, z_faces * 1e-3, electrode, excluded)


def _conductance_matrix(grid: AxisymmetricGrid, conductivity: float) -> tuple[sp.csr_matrix, np.ndarray]:
    """Graph Laplacian ``L`` (flow out of each cell = L @ u) of a uniform conductor, and each cell's
    conductance to the fixed outer boundary (where u = 0). Works for heat (W/K) and current (S)."""
    nz, nr = grid.shape
    r, z = grid.r_m, grid.z_m
    rf, zf = grid.r_faces_m, grid.z_faces_m
    dz = np.diff(zf)
    ring = np.pi * np.diff(rf ** 2)
    index = np.arange(nz * nr).reshape(nz, nr)
    active = ~grid.excluded
    rows, cols, vals = [], [], []
    metal = grid.electrode
    # Radial faces between neighbours i and i+1. The electrode is metal (isothermal, equipotential): from
    # an electrode cell the path through tissue starts at the shared face, not at the cell's centre.
    gap_r = np.broadcast_to(np.diff(r)[None, :], (nz, nr - 1)).copy()
    gap_r = np.where(metal[:, :-1] & ~metal[:, 1:], (r[1:] - rf[1:-1])[None, :], gap_r)
    g_r = conductivity * 2 * np.pi * rf[1:-1][None, :] * dz[:, None] / gap_r
    # Axial faces between neighbours j and j+1.
    gap_z = np.broadcast_to(np.diff(z)[:, None], (nz - 1, nr)).copy()
    gap_z = np.where(metal[:-1, :] & ~metal[1:, :], (z[1:] - zf[1:-1])[:, None], gap_z)
    gap_z = np.where(~metal[:-1, :] & metal[1:, :], (zf[1:-1] - z[:-1])[:, None], gap_z)
    g_z = conductivity * ring[None, :] / gap_z
    for g, a_idx, b_idx, ok in (
        (g_r, index[:, :-1], index[:, 1:], active[:, :-1] & active[:, 1:]),
        (g_z, index[:-1, :], index[1:, :], active[:-1, :] & active[1:, :]),
    ):
        g = np.where(ok, g, 0.0).ravel()
        a_flat, b_flat = a_idx.ravel(), b_idx.ravel()
        rows += [a_flat, b_flat, a_flat, b_flat]
        cols += [a_flat, b_flat, b_flat, a_flat]
        vals += [g, g, -g, -g]
    laplacian = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(nz * nr, nz * nr))
    # Outer boundaries (r = R, z = both ends) are held at u = 0: half-cell conductance to the face.
    boundary = np.zeros((nz, nr))
    boundary[:, -1] += conductivity * 2 * np.pi * rf[-1] * dz / (rf[-1] - r[-1])
    if not grid.insulated_ends:
        boundary[0, :] += conductivity * ring / (z[0] - zf[0])
        boundary[-1, :] += conductivity * ring / (zf[-1] - z[-1])
    boundary[grid.excluded] = 0.0
    return laplacian, boundary.ravel()


def joule_heating_w_per_v2(grid: AxisymmetricGrid, conductivity_s_per_m: float) -> np.ndarray:
    """Power deposited in each cell (W) per volt² between the electrode and the far boundary.

    Solves Laplace's equation for the potential with the electrode at 1 V and the boundary at 0 V, then
    splits each face's dissipation ``G Δφ²`` equally between the two cells it joins.
    """
    laplacian, boundary = _conductance_matrix(grid, conductivity_s_per_m)
    fixed = grid.electrode.ravel()
    free = ~fixed & ~grid.excluded.ravel()
    matrix = (laplacian + sp.diags(boundary)).tocsr()
    potential = np.zeros(fixed.size)
    potential[fixed] = 1.0
    rhs = -matrix[free][:, fixed] @ potential[fixed]
    potential[free] = spla.spsolve(matrix[free][:, free].tocsc(), rhs)
    coo = laplacian.tocoo()
    off = coo.row != coo.col
    g = -coo.data[off]
    dissipated = g * (potential[coo.row[off]] - potential[coo.col[off]]) ** 2  # each face counted twice
    heat = np.zeros(fixed.size)
    np.add.at(heat, coo.row[off], 0.5 * dissipated)
    heat += boundary * potential ** 2
    heat[fixed] = 0.0
    return heat.reshape(grid.shape)


class _Stepper:
    """Implicit (backward Euler) steps of the Pennes equation with the electrode cells fixed."""

    def __init__(self, grid: AxisymmetricGrid, tissue: ref.TissueThermalProperties) -> None:
        laplacian, boundary = _conductance_matrix(grid, tissue.thermal_conductivity_w_per_m_k.value)
        self.volume = grid.cell_volumes_m3.ravel()
        self.capacity = tissue.volumetric_heat_capacity_j_per_m3_k * self.volume
        self.stiffness = (laplacian + sp.diags(boundary + tissue.perfusion_w_per_m3_k.value * self.volume)).tocsr()
        self.fixed = grid.electrode.ravel()
        self.free = ~self.fixed & ~grid.excluded.ravel()
        self.coupling_per_kelvin = self.stiffness[self.free][:, self.fixed] @ np.ones(int(self.fixed.sum()))
        self.capacity_free = self.capacity[self.free]
        self._factors: dict[float, spla.SuperLU] = {}

    def factor(self, dt_s: float) -> spla.SuperLU:
        if dt_s not in self._factors:
            block = self.stiffness[self.free][:, self.free] + sp.diags(self.capacity[self.free] / dt_s)
            self._factors[dt_s] = spla.splu(block.tocsc())
        return self._factors[dt_s]

    def step(self, rise: np.ndarray, dt_s: float, electrode_rise_k: float, source_w: np.ndarray | None = None
             ) -> np.ndarray:
        """Advance the temperature rise (K) by one step; electrode cells at ``electrode_rise_k``."""
        free = self.free
        rhs = self.capacity_free / dt_s * rise[free] - electrode_rise_k * self.coupling_per_kelvin
        if source_w is not None:
            rhs = rhs + source_w[free]
        new = np.zeros_like(rise)
        new[free] = self.factor(dt_s).solve(rhs)
        new[self.fixed] = electrode_rise_k
        return new


def _time_steps(duration_s: float) -> np.ndarray:
    """Step sizes: short while the field near the tip changes fast, longer once it settles."""
    steps = [0.25] * 20 + [2.5] * int(np.ceil((duration_s - 5.0) / 2.5))
    return np.asarray(steps)


# --------------------------------------------------------------------------------------------
# Lesion geometry
# --------------------------------------------------------------------------------------------


def _last_crossings(positions: np.ndarray, values: np.ndarray, level: float) -> np.ndarray:
    """Along the last axis of ``values``, the largest position at which it is at or above ``level``
    (linear interpolation to the next sample), or nan where it never reaches it."""
    hot = values >= level
    count = values.shape[-1]
    last = count - 1 - np.argmax(hot[..., ::-1], axis=-1)
    following = np.minimum(last + 1, count - 1)
    v0 = np.take_along_axis(values, last[..., None], axis=-1)[..., 0]
    v1 = np.take_along_axis(values, following[..., None], axis=-1)[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(following > last, (level - v0) / (v1 - v0), 0.0)
    fraction = np.nan_to_num(fraction, nan=0.0, posinf=0.0, neginf=0.0)
    crossing = positions[last] + fraction * (positions[following] - positions[last])
    return np.where(hot.any(axis=-1), crossing, np.nan)


def _lesion_extents_mm(grid: AxisymmetricGrid, rises: np.ndarray, lethal_rise_k: float) -> tuple[np.ndarray, np.ndarray]:
    """Lesion widths (diameter across the shaft) and lengths (along it), in mm, of each field in ``rises``
    (shape ``(n, nz, nr)``); zero where no tissue reaches the lethal isotherm."""
    fields = np.where(grid.excluded, -np.inf, rises)
    r_mm, z_mm = grid.r_m * 1e3, grid.z_m * 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-nan rows: no lesion yet
        radius = np.nanmax(_last_crossings(r_mm, fields, lethal_rise_k), axis=-1)
        columns = np.swapaxes(fields, -1, -2)
        ahead = np.nanmax(_last_crossings(z_mm, columns, lethal_rise_k), axis=-1)
        behind = np.nanmax(_last_crossings(-z_mm[::-1], columns[..., ::-1], lethal_rise_k), axis=-1)
    return np.nan_to_num(2.0 * radius), np.nan_to_num(ahead + behind)


@dataclass(frozen=True)
class Lesion:
    """The simulated temperature field after ``duration_s`` and the lesion it leaves."""

    mode: str
    set_temperature_c: float
    duration_s: float
    gauge: int
    active_tip_mm: float
    r_mm: np.ndarray = field(repr=False)
    z_mm: np.ndarray = field(repr=False)
    temperature_c: np.ndarray = field(repr=False)  # (z, r) at the end of the lesion
    time_s: np.ndarray = field(repr=False)
    width_history_mm: np.ndarray = field(repr=False)
    length_history_mm: np.ndarray = field(repr=False)
    peak_history_c: np.ndarray = field(repr=False)
    width_mm: float
    length_mm: float
    volume_mm3: float
    peak_tissue_temperature_c: float
    mean_power_w: float
    lethal_isotherm_c: float


@dataclass(frozen=True)
class _Run:
    grid: AxisymmetricGrid
    time_s: np.ndarray
    fields: np.ndarray  # (n_times, nz, nr) temperature rise in K
    powers_w: np.ndarray


def _validate(mode: str, set_temperature_c: float, duration_s: float, gauge: int, active_tip_mm: float
              ) -> tuple[str, float, float, int, float]:
    mode = require_choice("mode", mode, MODES)
    low, high = ref.SET_TEMPERATURE_RANGE_C[mode]
    set_temperature_c = require_number("set_temperature_c", set_temperature_c, low, high, unit="°C")
    duration_s = require_number("duration_s", duration_s, 0.0, MAX_DURATION_S, low_inclusive=False, unit="s")
    if isinstance(gauge, bool) or not isinstance(gauge, (int, np.integer)) or int(gauge) not in ref.GAUGE_OUTER_DIAMETER_MM:
        raise ValueError(f"gauge must be one of {', '.join(map(str, sorted(ref.GAUGE_OUTER_DIAMETER_MM)))} "
                         f"(needle gauge), got {gauge!r}")
    active_tip_mm = require_number("active_tip_mm", active_tip_mm, 2.0, 20.0, unit="mm")
    return mode, set_temperature_c, duration_s, int(gauge), active_tip_mm


@lru_cache(maxsize=64)
def _run(mode: str, electrode_rise_k: float, gauge: int, active_tip_mm: float, peak_rise_k: float) -> _Run:
    tissue = ref.TISSUE
    radius_mm = ref.GAUGE_OUTER_DIAMETER_MM[gauge].value / 2.0
    grid = electrode_grid(radius_mm, active_tip_mm)
    stepper = _Stepper(grid, tissue)
    steps = _time_steps(MAX_DURATION_S)
    rise = np.zeros(grid.shape[0] * grid.shape[1])
    fields, powers = [rise.reshape(grid.shape)], [0.0]
    if mode == "cooled":
        heat_per_v2 = joule_heating_w_per_v2(grid, ref.TISSUE_ELECTRICAL_CONDUCTIVITY_S_PER_M.value).ravel()
    for dt in steps:
        if mode != "cooled":
            rise = stepper.step(rise, dt, electrode_rise_k)
            powers.append(float("nan"))
        else:
            # Linear in the source: base step (no power) + volts² × response to unit power. Choose the
            # largest volts² that keeps every tissue cell at or below the peak limit.
            base = stepper.step(rise, dt, electrode_rise_k)
            unit = stepper.step(np.zeros_like(rise), dt, 0.0, heat_per_v2)
            heated = unit > 1e-12
            volts2 = max(0.0, float(np.min((peak_rise_k - base[heated]) / unit[heated])))
            rise = base + volts2 * unit
            powers.append(volts2 * float(heat_per_v2.sum()))
        fields.append(rise.reshape(grid.shape))
    time_s = np.concatenate([[0.0], np.cumsum(steps)])
    return _Run(grid, time_s, np.asarray(fields), np.asarray(powers))


_STANDARD = ref.SETTINGS["conventional"]  # the cited conventional setting: the defaults below


def simulate_lesion(*, mode: str = "conventional", set_temperature_c: float = _STANDARD.set_temperature_c.value,
                    duration_s: float = _STANDARD.duration_s.value,
                    gauge: int = 18, active_tip_mm: float = 10.0) -> Lesion:
    """Heat tissue with a radiofrequency electrode and return the temperature field and the lesion.

    ``set_temperature_c`` is the generator's set (tip) temperature: 60–95 °C conventional, 40–80 °C for
    the cooled electrode's wall, 38–42 °C pulsed. ``gauge`` is the needle gauge (16, 18, 20 or 22).
    Conventional and pulsed fields are linear in the set temperature, so the solver runs once per
    electrode and the set temperature only rescales it (a temperature slider costs nothing).
    """
    mode, set_temperature_c, duration_s, gauge, active_tip_mm = _validate(
        mode, set_temperature_c, duration_s, gauge, active_tip_mm)
    body = ref.BODY_TEMPERATURE_C.value
    lethal = ref.LETHAL_ISOTHERM_C.value
    rise_k = set_temperature_c - body
    if mode == "cooled":
        run = _run(mode, rise_k, gauge, active_tip_mm, ref.COOLED_PEAK_TISSUE_TEMPERATURE_C.value - body)
        scale = 1.0
    else:
        run = _run("conventional", 1.0, gauge, active_tip_mm, 0.0)
        scale = rise_k
    grid = run.grid
    # Interpolate between stored steps so that the time slider moves the lesion smoothly.
    position = float(np.interp(duration_s, run.time_s, np.arange(run.time_s.size)))
    low = int(np.floor(position))
    high = min(low + 1, run.time_s.size - 1)
    weight = position - low
    shown = run.time_s <= duration_s + 1e-9
    fields = np.concatenate([run.fields[shown], ((1 - weight) * run.fields[low] + weight * run.fields[high])[None]])
    widths, lengths = _lesion_extents_mm(grid, fields, (lethal - body) / scale)
    tissue = ~grid.electrode & ~grid.excluded
    peaks = scale * np.max(np.where(tissue, fields, -np.inf), axis=(1, 2)) + body
    final = scale * fields[-1]
    volume = float(grid.cell_volumes_m3[tissue & (final >= lethal - body)].sum() * 1e9)
    power = float(np.mean(run.powers_w[1:][run.time_s[1:] <= max(duration_s, run.time_s[1])])) if mode == "cooled" \
        else float("nan")
    return Lesion(
        mode=mode, set_temperature_c=set_temperature_c, duration_s=duration_s, gauge=gauge, active_tip_mm=active_tip_mm,
        r_mm=grid.r_m * 1e3, z_mm=grid.z_m * 1e3, temperature_c=np.where(grid.excluded, np.nan, final + body),
        time_s=np.append(run.time_s[shown], duration_s), width_history_mm=widths, length_history_mm=lengths,
        peak_history_c=peaks, width_mm=float(widths[-1]), length_mm=float(lengths[-1]), volume_mm3=volume,
        peak_tissue_temperature_c=float(peaks[-1]), mean_power_w=power, lethal_isotherm_c=lethal)


def temperature_at(lesion: Lesion, r_mm: np.ndarray | float, z_mm: np.ndarray | float) -> np.ndarray:
    """Temperature (°C) at points (r from the axis, z along it; tip from z = 0 to the active length)."""
    from scipy.interpolate import RegularGridInterpolator

    values = np.nan_to_num(lesion.temperature_c, nan=ref.BODY_TEMPERATURE_C.value)
    interpolate = RegularGridInterpolator((lesion.z_mm, lesion.r_mm), values, bounds_error=False,
                                          fill_value=ref.BODY_TEMPERATURE_C.value)
    r, z = np.broadcast_arrays(np.asarray(r_mm, float), np.asarray(z_mm, float))
    return interpolate(np.stack([z, np.clip(r, lesion.r_mm[0], None)], axis=-1))


def nerve_capture_mm(lesion: Lesion, nerve_offset_mm: float, orientation: str = "parallel") -> float:
    """Length (mm) of a straight nerve that lies inside the lesion.

    ``parallel``: the nerve runs alongside the active tip, ``nerve_offset_mm`` from its surface.
    ``perpendicular``: the electrode points at the nerve, which crosses the axis ``nerve_offset_mm``
    beyond the tip. The difference is why the electrode is laid along the nerve.
    """
    offset = require_number("nerve_offset_mm", nerve_offset_mm, 0.0, 15.0, unit="mm")
    orientation = require_choice("orientation", orientation, ("parallel", "perpendicular"))
    radius = ref.GAUGE_OUTER_DIAMETER_MM[lesion.gauge].value / 2.0
    samples = np.linspace(-DOMAIN_HALF_LENGTH_MM + 1, lesion.active_tip_mm + DOMAIN_HALF_LENGTH_MM - 1, 2001)
    if orientation == "parallel":
        along = temperature_at(lesion, radius + offset, samples)
    else:
        samples = np.linspace(-DOMAIN_RADIUS_MM + 1, DOMAIN_RADIUS_MM - 1, 2001)
        along = temperature_at(lesion, np.abs(samples), lesion.active_tip_mm + offset)
    step = samples[1] - samples[0]
    return float(np.count_nonzero(along >= lesion.lethal_isotherm_c) * step)
