"""Radiofrequency lesioning: tissue properties for the bioheat model, the lethal isotherm, needle sizes,
generator settings and the bench lesion-size trends the model is checked against.

Sources are BibTeX keys in ``book/references.bib``. Values the model needs that no source here fixes
are :class:`ModelParameter` objects, labelled as assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import ModelParameter, Quantity, Source


PENNES = Source("pennes1948")
_COMSOL = Source("comsol_bioheat", "Bioheat materials table, muscle")


@dataclass(frozen=True)
class TissueThermalProperties:
    """Constant properties of the tissue in the Pennes bioheat equation (SI units)."""

    name: str
    thermal_conductivity_w_per_m_k: Quantity
    density_kg_per_m3: Quantity
    specific_heat_j_per_kg_k: Quantity
    perfusion_w_per_m3_k: ModelParameter

    @property
    def volumetric_heat_capacity_j_per_m3_k(self) -> float:
        return self.density_kg_per_m3.value * self.specific_heat_j_per_kg_k.value

    @property
    def thermal_diffusivity_m2_per_s(self) -> float:
        return self.thermal_conductivity_w_per_m_k.value / self.volumetric_heat_capacity_j_per_m3_k

    @property
    def perfusion_decay_length_mm(self) -> float:
        """sqrt(k / (ω ρb cb)): how far a steady temperature rise reaches before perfusion carries it away."""
        return (self.thermal_conductivity_w_per_m_k.value / self.perfusion_w_per_m3_k.value) ** 0.5 * 1e3


TISSUE = TissueThermalProperties(
    name="skeletal muscle",
    thermal_conductivity_w_per_m_k=Quantity(0.49, "W/(m·K)", _COMSOL, "secondary source (materials table)"),
    density_kg_per_m3=Quantity(1090.0, "kg/m³", _COMSOL, "secondary source (materials table)"),
    specific_heat_j_per_kg_k=Quantity(3421.0, "J/(kg·K)", _COMSOL, "secondary source (materials table)"),
    perfusion_w_per_m3_k=ModelParameter(
        2700.0, "W/(m³·K)", "Pennes' perfusion term ω·ρ_blood·c_blood for resting muscle (ω about 0.0007 per second); "
        "illustrative, not verified against a primary source here. Over a 90 s lesion it changes the width little."),
)
"""Generic soft tissue for the model: skeletal muscle (the paraspinal target lies in and on muscle)."""

BODY_TEMPERATURE_C = Quantity(37.0, "°C", PENNES, "arterial blood temperature, the model's starting point")
LETHAL_ISOTHERM_C = Quantity(50.0, "°C", Source("rfbiophysics_chapter"),
                             "the isotherm usually taken as the boundary of irreversible thermal injury (secondary "
                             "source, cardiac ablation); see also Alba-Martínez et al. 2012")
LETHAL_ISOTHERM_SUPPORT = Source("albamartinez2012")
COOLED_PEAK_TISSUE_TEMPERATURE_C = ModelParameter(
    90.0, "°C", "the hottest tissue the cooled-electrode model allows: kept below boiling (100 °C), the limit a published "
    "cooled-needle model held its peak at", Source("schramm2007cooled"))
TISSUE_ELECTRICAL_CONDUCTIVITY_S_PER_M = ModelParameter(
    0.35, "S/m", "uniform tissue conductivity for the cooled electrode's Joule heating. Only the *shape* of the "
    "heating matters to the lesion (the model controls power by the peak temperature), so its value does not "
    "change the lesion; it sets only the mean power the model reports (Lesion.mean_power_w), which the lessons "
    "do not show.")

GAUGE_OUTER_DIAMETER_MM: Mapping[int, Quantity] = MappingProxyType({
    gauge: Quantity(diameter, "mm", Source("needle_gauge_wiki"), "nominal outer diameter (secondary source)")
    for gauge, diameter in ((16, 1.651), (18, 1.270), (20, 0.908), (22, 0.718))
})

SET_TEMPERATURE_RANGE_C: Mapping[str, tuple[float, float]] = MappingProxyType({
    "conventional": (60.0, 95.0), "cooled": (40.0, 80.0), "pulsed": (38.0, 42.0)})
"""What the model accepts for each mode (a physical range for the model, not a clinical recommendation)."""


@dataclass(frozen=True)
class GeneratorSetting:
    mode: str
    set_temperature_c: Quantity
    duration_s: Quantity
    note: str = ""


_PROBES = Source("rapm2024probes")
SETTINGS: Mapping[str, GeneratorSetting] = MappingProxyType({
    "conventional": GeneratorSetting("conventional", Quantity(80.0, "°C", _PROBES), Quantity(90.0, "s", _PROBES),
                                     "the 'standard' settings in a comparison of probes"),
    "cooled": GeneratorSetting("cooled", Quantity(60.0, "°C", _PROBES), Quantity(150.0, "s", _PROBES),
                               "set temperature measured in the internally cooled electrode"),
    "pulsed": GeneratorSetting("pulsed", Quantity(42.0, "°C", Source("shanthanna2014prf")),
                               Quantity(120.0, "s", Source("shanthanna2014prf")),
                               "20 ms pulses followed by 480 ms silence, i.e. 2 per second"),
})
PULSED_RF_PULSE_MS = Quantity(20.0, "ms", Source("shanthanna2012protocol"), "RF on in each cycle")
PULSED_RF_SILENT_MS = Quantity(480.0, "ms", Source("shanthanna2012protocol"), "wash-out between pulses")


@dataclass(frozen=True)
class BenchTrend:
    """A relative change in lesion width reported on the bench (range over the conditions tested)."""

    change: str
    low_percent: float
    high_percent: float
    source: Source


_COSMAN = Source("cosman2014lesionsize", "abstract")
BENCH_TRENDS: Mapping[str, BenchTrend] = MappingProxyType({
    "gauge": BenchTrend("22 G to 16 G electrode", 58.0, 65.0, _COSMAN),
    "temperature": BenchTrend("60 °C to 90 °C set temperature", 108.0, 152.0, _COSMAN),
    "time 2 min": BenchTrend("2 min instead of 1 min", 11.0, 20.0, _COSMAN),
    "time 3 min": BenchTrend("3 min instead of 1 min", 23.0, 32.0, _COSMAN),
})
"""Cosman et al. (2014): how much wider lesions became in ex vivo tissue. Relative figures only: the absolute
sizes were not verified here, so the model's trends, not its millimetres, are compared with them."""
LENGTH_BEYOND_TIP_MM = (1.0, 5.0)
"""Cosman et al. (2014): the lesion extends 1–5 mm distal to the tip."""


def sources() -> set[str]:
    keys = {PENNES.key, _COMSOL.key, LETHAL_ISOTHERM_C.source.key, LETHAL_ISOTHERM_SUPPORT.key, _COSMAN.key,
            PULSED_RF_PULSE_MS.source.key, PULSED_RF_SILENT_MS.source.key, BODY_TEMPERATURE_C.source.key}
    keys |= {q.source.key for q in GAUGE_OUTER_DIAMETER_MM.values()}
    keys |= {COOLED_PEAK_TISSUE_TEMPERATURE_C.context.key} if COOLED_PEAK_TISSUE_TEMPERATURE_C.context else set()
    for setting in SETTINGS.values():
        keys |= {setting.set_temperature_c.source.key, setting.duration_s.source.key}
    return keys


def _cite(source: Source) -> str:
    return f"{{cite:p}}`{source.key}`"


def settings_markdown() -> str:
    """Generator settings, pulsed-RF timing, the lethal isotherm and needle sizes, each with its source."""
    from painlab.reference._format import markdown_table, number

    rows = [(f"{s.mode} RF", f"{number(s.set_temperature_c.value)} °C for {number(s.duration_s.value)} s", s.note,
             _cite(s.set_temperature_c.source)) for s in SETTINGS.values()]
    rows.append(("pulsed RF cycle", f"{number(PULSED_RF_PULSE_MS.value)} ms on, {number(PULSED_RF_SILENT_MS.value)} ms "
                 f"off ({1000 / (PULSED_RF_PULSE_MS.value + PULSED_RF_SILENT_MS.value):g} pulses per second)", "",
                 _cite(PULSED_RF_PULSE_MS.source)))
    rows.append(("lethal isotherm", f"{number(LETHAL_ISOTHERM_C.value)} °C", LETHAL_ISOTHERM_C.note,
                 _cite(LETHAL_ISOTHERM_C.source)))
    rows += [(f"{gauge} G needle", f"{q.value:.2f} mm outer diameter", q.note, _cite(q.source))
             for gauge, q in GAUGE_OUTER_DIAMETER_MM.items()]
    return markdown_table(("Item", "Value", "Note", "Source"), rows)


def tissue_markdown() -> str:
    """The bioheat model's tissue properties, with sources, and its assumptions labelled as such."""
    from painlab.reference._format import markdown_table, number

    t = TISSUE
    rows = [(f"{t.name}: {label}", f"{number(q.value)} {q.unit}", q.note, _cite(q.source))
            for label, q in (("thermal conductivity", t.thermal_conductivity_w_per_m_k),
                             ("density", t.density_kg_per_m3), ("specific heat", t.specific_heat_j_per_kg_k))]
    rows.append(("arterial (starting) temperature", f"{number(BODY_TEMPERATURE_C.value)} °C", BODY_TEMPERATURE_C.note,
                 _cite(BODY_TEMPERATURE_C.source)))
    for label, parameter in (("perfusion ω ρb cb", t.perfusion_w_per_m3_k),
                             ("cooled mode: peak tissue temperature", COOLED_PEAK_TISSUE_TEMPERATURE_C),
                             ("cooled mode: electrical conductivity", TISSUE_ELECTRICAL_CONDUCTIVITY_S_PER_M)):
        context = f" (see {_cite(parameter.context)})" if parameter.context else ""
        rows.append((label, f"{number(parameter.value)} {parameter.unit}", parameter.note + context, "model assumption"))
    return markdown_table(("Property", "Value", "Note", "Source"), rows)
