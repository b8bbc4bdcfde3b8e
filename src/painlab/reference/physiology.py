"""Physiology reference data: the Hodgkin-Huxley squid axon and the peripheral nerve fibre classes."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import Source


# --------------------------------------------------------------------------------------------
# Hodgkin-Huxley (1952) squid giant axon
# --------------------------------------------------------------------------------------------

HODGKIN_HUXLEY_1952 = Source("hodgkin1952quantitative")


@dataclass(frozen=True)
class HodgkinHuxleyMembrane:
    """Membrane parameters of the squid giant axon, in the modern sign convention (rest near -65 mV).

    Hodgkin and Huxley measured voltages as displacements from rest with the opposite sign; shifting
    their reversal potentials (V_Na = -115, V_K = +12, V_L = -10.613 mV) to a resting potential of
    -65 mV gives the values below.
    """

    capacitance_uf_per_cm2: float = 1.0
    g_na_ms_per_cm2: float = 120.0
    g_k_ms_per_cm2: float = 36.0
    g_leak_ms_per_cm2: float = 0.3
    e_na_mv: float = 50.0
    e_k_mv: float = -77.0
    e_leak_mv: float = -54.387
    resting_potential_mv: float = -65.0
    # The rate constants were fitted at 6.3 degC; they scale by phi = Q10 ** ((T - 6.3) / 10).
    reference_temperature_c: float = 6.3
    q10: float = 3.0
    source: Source = HODGKIN_HUXLEY_1952


SQUID_AXON_MEMBRANE = HodgkinHuxleyMembrane()


@dataclass(frozen=True)
class HodgkinHuxleyCable:
    """Geometry and result of Hodgkin and Huxley's computed propagated action potential."""

    axon_radius_um: float = 238.0
    axoplasm_resistivity_ohm_cm: float = 35.4
    temperature_c: float = 18.5
    computed_conduction_velocity_m_per_s: float = 18.8
    measured_conduction_velocity_m_per_s: float = 21.2
    source: Source = HODGKIN_HUXLEY_1952


SQUID_AXON_CABLE = HodgkinHuxleyCable()


# --------------------------------------------------------------------------------------------
# Peripheral nerve fibre classes (Erlanger-Gasser letters)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FibreClass:
    """One class of peripheral nerve fibre, with the ranges the cited source gives."""

    name: str
    myelinated: bool
    diameter_um: tuple[float, float]
    conduction_velocity_m_per_s: tuple[float, float]
    function: str
    source: Source

    def conduction_time_ms(self, distance_m: float) -> tuple[float, float]:
        """Travel time over ``distance_m`` for the fastest and the slowest fibre of the class (ms)."""
        if not distance_m > 0:
            raise ValueError(f"distance_m must be a positive number of metres, got {distance_m!r}")
        slow, fast = self.conduction_velocity_m_per_s
        return (1000.0 * distance_m / fast, 1000.0 * distance_m / slow)


FIBRE_TABLE_SOURCE = Source("kiernan2003size", "Table 2")
"""Kiernan's openly readable table. Textbook tables differ by a few um and m/s; the lesson says so."""

FIBRE_CLASSES: Mapping[str, FibreClass] = MappingProxyType(
    {
        fibre.name: fibre
        for fibre in (
            FibreClass("A-alpha", True, (12.0, 20.0), (70.0, 120.0),
                       "motor to skeletal muscle; muscle spindle primary (Ia) afferents",
                       FIBRE_TABLE_SOURCE),
            FibreClass("A-beta", True, (10.0, 15.0), (60.0, 80.0),
                       "tendon organ (Ib) afferents; Ruffini endings in skin", FIBRE_TABLE_SOURCE),
            FibreClass("II", True, (5.0, 15.0), (30.0, 80.0),
                       "touch and vibration: Meissner and Pacinian corpuscles, large hair follicles; "
                       "spindle secondary endings", FIBRE_TABLE_SOURCE),
            FibreClass("A-gamma", True, (3.0, 8.0), (15.0, 40.0),
                       "motor to intrafusal fibres of muscle spindles", FIBRE_TABLE_SOURCE),
            FibreClass("A-delta", True, (3.0, 8.0), (10.0, 30.0),
                       "free nerve endings: sharp, well-localised 'first' pain; temperature (cold)",
                       FIBRE_TABLE_SOURCE),
            FibreClass("B", True, (1.0, 3.0), (5.0, 15.0),
                       "preganglionic autonomic efferents (white rami)", FIBRE_TABLE_SOURCE),
            FibreClass("C", False, (0.2, 1.5), (0.5, 2.5),
                       "dull, burning 'second' pain; temperature; postganglionic autonomic",
                       FIBRE_TABLE_SOURCE),
        )
    }
)


def fibre_class(name: str) -> FibreClass:
    """Look up a fibre class by name, case-insensitively ("A-delta", "a delta", "C")."""
    if not isinstance(name, str):
        raise ValueError(f"fibre class name must be a string, got {type(name).__name__}")
    wanted = name.strip().lower().replace(" ", "-").replace("_", "-")
    for key, fibre in FIBRE_CLASSES.items():
        if key.lower() == wanted:
            return fibre
    raise ValueError(f"unknown fibre class {name!r}; known classes: {', '.join(FIBRE_CLASSES)}")


def fibre_table_markdown() -> str:
    """The fibre classes as a Markdown table (for the lesson), with the source named in the caption row."""
    lines = ["| Class | Myelinated | Diameter (µm) | Conduction velocity (m/s) | Function |",
             "|---|---|---|---|---|"]
    for fibre in FIBRE_CLASSES.values():
        (d_low, d_high), (v_low, v_high) = fibre.diameter_um, fibre.conduction_velocity_m_per_s
        lines.append(f"| {fibre.name} | {'yes' if fibre.myelinated else 'no'} | {d_low:g}–{d_high:g} | "
                     f"{v_low:g}–{v_high:g} | {fibre.function} |")
    return "\n".join(lines)


def sources() -> set[str]:
    """Every citation key used in this module."""
    keys = {SQUID_AXON_MEMBRANE.source.key, SQUID_AXON_CABLE.source.key}
    keys.update(fibre.source.key for fibre in FIBRE_CLASSES.values())
    return keys
