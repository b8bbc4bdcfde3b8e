"""Epidural steroid injections: depths, layer thicknesses, injection pressures, complication rates and
trial results, each with its source.

Not included because no primary source could be verified for this edition: the anteroposterior depth
of the posterior lumbar epidural space, the thickness of the other midline layers, and the injection
pressure in fat, interspinous ligament, dura and CSF. The model's values for them are labelled
:class:`ModelParameter` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import ModelParameter, Quantity, Source, TrialFinding

LEE_KIM_2004 = Source("leekim2004depth", "Abstract")
GHELBER_2008 = Source("ghelber2008compuflo", "Abstract")

SKIN_TO_EPIDURAL_L34_MM = Quantity(48.2, "mm", LEE_KIM_2004, "mean (SD 11.6) from the skin to the centre of the "
                                   "posterior epidural space, along the spinous process on MRI, L3-4, 124 patients")
SKIN_TO_EPIDURAL_L45_MM = Quantity(50.8, "mm", LEE_KIM_2004, "mean (SD 10.8), L4-5")
SKIN_TO_EPIDURAL_L34_BY_HABITUS_MM: Mapping[str, tuple[float, float]] = MappingProxyType({
    "normal weight": (37.1, 43.7), "overweight": (42.9, 48.6), "obese": (51.6, 58.7)})
"""Skin-to-epidural depth at L3-4 by body-mass group as the abstract gives it, "X to Y" (:data:`LEE_KIM_2004`). The
abstract does not say what each range spans (patients, or the study's two measuring lines)."""
LABOUR_LOSS_OF_RESISTANCE_DEPTH_MM = Quantity(41.8, "mm", Source("kim1993depth", "Abstract"),
                                              "mean, 234 labouring women; 84.2 % under 50 mm")

LIGAMENTUM_FLAVUM_THICKNESS_MM: Mapping[str, Quantity] = MappingProxyType({
    level: Quantity(value, "mm", Source("khasawneh2023lf", "Abstract"), f"mean (SD {sd}) on axial MRI, 350 adults")
    for level, value, sd in (("L2-L3", 3.19, 0.27), ("L3-L4", 3.38, 0.11), ("L4-L5", 3.71, 0.29),
                             ("L5-S1", 3.64, 0.21))})
MIDLINE_GAP_T10_T11_PERCENT = Quantity(35.2, "%", Source("lirk2005thoracic", "Abstract"),
                                       "cadavers with a midline gap in the ligamentum flavum at T10-11 (12 of 34)")

BEVACQUA_1996 = Source("bevacqua1996posterior", "Abstract")
POSTERIOR_EPIDURAL_SPACE_MM = Quantity(
    6.9, "mm", BEVACQUA_1996, "mean (SD 4, range 2-25) needle travel from entering the space (hanging drop) to free "
    "CSF, lumbar midline, 55 patients: a clinical measure of the posterior space's depth")
SKIN_TO_EPIDURAL_HANGING_DROP_MM = Quantity(50.9, "mm", BEVACQUA_1996, "mean (SD 12, range 27-94), same patients")
DURA_ARACHNOID_MM = ModelParameter(0.5, "mm", "dura and arachnoid together; illustrative, for the schematic")
SKIN_MM = ModelParameter(2.0, "mm", "skin; illustrative")
SUPRASPINOUS_LIGAMENT_MM = ModelParameter(5.0, "mm", "supraspinous ligament; illustrative")
FAT_SHARE_OF_REMAINDER = ModelParameter(
    0.5, "", "what is left of the skin-to-ligamentum-flavum depth is split between subcutaneous fat and interspinous "
    "ligament in this ratio; illustrative (in reality fat takes most of the extra depth in obesity)")


@dataclass(frozen=True)
class InjectionPressure:
    """Pressure needed to inject through a loss-of-resistance pump with the tip in a tissue, mmHg."""

    mean_mmhg: float
    ci95_mmhg: tuple[float, float] | None
    source: Source | None  # None: a model assumption, not a measurement
    note: str = ""


INJECTION_PRESSURE_MMHG: Mapping[str, InjectionPressure] = MappingProxyType({
    "supraspinous ligament": InjectionPressure(79.0, (74.0, 83.0), GHELBER_2008, "measured, 20 lumbar epidurals"),
    "ligamentum flavum": InjectionPressure(92.0, (83.0, 102.0), GHELBER_2008, "measured"),
    "epidural space": InjectionPressure(8.0, (6.0, 11.0), GHELBER_2008, "measured"),
    "interspinous ligament": InjectionPressure(79.0, None, None, "assumed equal to the supraspinous ligament"),
    "skin": InjectionPressure(79.0, None, None, "assumed equal to ligament (dense tissue)"),
    "subcutaneous fat": InjectionPressure(8.0, None, None, "assumed low, like the epidural space"),
    "dura and arachnoid": InjectionPressure(8.0, None, None, "assumed low"),
    "CSF": InjectionPressure(8.0, None, None, "assumed low: fluid, like the epidural space"),
})
CERVICAL_EPIDURAL_PRESSURE_PRONE_MMHG = Quantity(10.0, "mmHg", Source("moon2010cervical"),
                                                 "median (range 4.8-18.7), prone: positive in every patient")
STANDARD_ATMOSPHERE_KPA = 101.325  # a physical constant, for Boyle's law in the syringe
KPA_PER_MMHG = 0.133322

FURMAN_2000 = Source("furman2000intravascular", "Abstract")
TRANSFORAMINAL_INTRAVASCULAR_PERCENT: Mapping[str, Quantity] = MappingProxyType({
    "all levels": Quantity(11.2, "%", FURMAN_2000, "761 lumbosacral transforaminal injections"),
    "S1": Quantity(21.3, "%", FURMAN_2000, "178 injections"),
    "lumbar": Quantity(8.1, "%", FURMAN_2000, "583 injections"),
})
ASPIRATION_SENSITIVITY = Quantity(0.447, "", FURMAN_2000, "flash or aspirated blood against intravascular contrast")
ASPIRATION_SPECIFICITY = Quantity(0.979, "", FURMAN_2000, "")
BLIND_CAUDAL_MISPLACED_PERCENT = Quantity(52.0, "%", Source("stojanovic2002fluoro"),
                                          "Renfrew et al., as reviewed (secondary)")
BLIND_FALSE_LOSS_OF_RESISTANCE_PERCENT = Quantity(30.0, "%", Source("stojanovic2002fluoro"),
                                                  "up to this, lumbar studies as reviewed (secondary)")

AHADIAN_2011 = Source("ahadian2011dexamethasone", "Abstract")
DEXAMETHASONE_TRANSFORAMINAL_DOSES_MG = (4.0, 8.0, 12.0)
"""Doses compared (33, 33 and 32 patients); pain fell 41.7, 33.5 and 26.6 % from baseline at 4, 8 and 12 weeks
across the groups, with no difference between doses (:data:`AHADIAN_2011`)."""
DEXAMETHASONE_PAIN_REDUCTION_PERCENT = ((4, 41.7), (8, 33.5), (12, 26.6))
"""(week, % fall from baseline), all dose groups together."""


EVIDENCE = (
    TrialFinding("Pinto 2012: meta-analysis of placebo-controlled trials, sciatica", "Leg pain, short term (0-100)",
                 "6.2 points lower (95 % CI 3.0 to 9.4; 14 trials, 1,316 patients)", Source("pinto2012sciatica")),
    TrialFinding("Pinto 2012", "Disability, short term (0-100)",
                 "3.1 points lower (95 % CI 1.2 to 5.0; 10 trials, 1,154 patients)", Source("pinto2012sciatica")),
    TrialFinding("Oliveira 2020: Cochrane review, 25 trials", "Leg pain, short term (0-100)",
                 "mean difference -4.93 (95 % CI -8.77 to -1.09)", Source("oliveira2020cochrane")),
    TrialFinding("Oliveira 2020", "Disability, short term (0-100)",
                 "mean difference -4.18 (95 % CI -6.04 to -2.17)", Source("oliveira2020cochrane")),
    TrialFinding("Ghahreman 2010: transforaminal steroid vs four controls", "≥ 50 % relief at 1 month",
                 "54 % steroid; 7 % local anaesthetic, 19 % saline (transforaminal); 21 % steroid, 13 % saline "
                 "(intramuscular)", Source("ghahreman2010transforaminal")),
    TrialFinding("Friedly 2014 (LESS): 400 patients, central stenosis, steroid + lidocaine vs lidocaine",
                 "Roland-Morris (0-24), 6 weeks", "-1.0 (95 % CI -2.1 to 0.1), P = 0.07", Source("friedly2014less")),
    TrialFinding("Friedly 2014 (LESS)", "Leg pain (0-10), 6 weeks", "-0.2 (95 % CI -0.8 to 0.4), P = 0.48",
                 Source("friedly2014less")),
)
PINTO_CLINICAL_THRESHOLD_POINTS = Quantity(10.0, "points (0-100)", Source("pinto2012sciatica"),
                                           "the smallest difference the authors counted as clinically important")


def sources() -> set[str]:
    keys = {LEE_KIM_2004.key, GHELBER_2008.key, FURMAN_2000.key, AHADIAN_2011.key, BEVACQUA_1996.key}
    keys |= {finding.source.key for finding in EVIDENCE}
    keys |= {quantity.source.key for quantity in LIGAMENTUM_FLAVUM_THICKNESS_MM.values()}
    for quantity in (LABOUR_LOSS_OF_RESISTANCE_DEPTH_MM, MIDLINE_GAP_T10_T11_PERCENT,
                     CERVICAL_EPIDURAL_PRESSURE_PRONE_MMHG, BLIND_CAUDAL_MISPLACED_PERCENT):
        keys.add(quantity.source.key)
    return keys


def habitus_depths_mm() -> dict[str, float]:
    """The middle of each body-mass group's reported L3-4 range: the model's presets (to the centre of the space)."""
    return {group: round((low + high) / 2.0, 1) for group, (low, high) in SKIN_TO_EPIDURAL_L34_BY_HABITUS_MM.items()}


def evidence_markdown() -> str:
    from painlab.reference._format import findings_markdown

    return findings_markdown(EVIDENCE)
