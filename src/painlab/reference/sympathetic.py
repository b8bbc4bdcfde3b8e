"""Sympathetic blocks: the fingertip heat balance, the signs of a complete block, stellate volume and
anatomy, and the neurolysis trials, each with its source.

Not included because no source could be verified for this edition: a relation between the volume
injected at a sympathetic target and the number of vertebral levels it covers (the spread model's
geometry is therefore a set of labelled :class:`ModelParameter` values), the frequency of paraplegia
after coeliac or splanchnic neurolysis, and comparative claims about alcohol and phenol.
"""

from __future__ import annotations

from dataclasses import dataclass

from painlab.reference.source import ModelParameter, Quantity, Source, TrialFinding

# --- The fingertip heat balance ---------------------------------------------------------------------------

_TABLE_8_3 = Source("compmodel_book_t83", "Table 8.3")
_MANIKIN = Source("dedear1997", "Abstract")
_FINGER_FLOW = Source("montgomery1977flow", "Abstract")

BLOOD_DENSITY_KG_PER_M3 = Quantity(1000.0, "kg/m³", _TABLE_8_3, "secondary source")
BLOOD_SPECIFIC_HEAT_J_PER_KG_K = Quantity(4180.0, "J/(kg·K)", _TABLE_8_3, "secondary source")
RADIATIVE_COEFFICIENT_W_PER_M2_K = Quantity(4.5, "W/(m²·K)", _MANIKIN,
                                            "whole body, thermal manikin, seated and standing")
NATURAL_CONVECTION_COEFFICIENT_W_PER_M2_K = Quantity(3.4, "W/(m²·K)", _MANIKIN, "whole body, standing, still air")
FINGER_FLOW_COLD_ML_PER_100ML_MIN = Quantity(
    1.0, "mL/(100 mL·min)", _FINGER_FLOW, "finger blood flow was below this at an ambient 10 °C (an upper bound): the "
    "model's vasoconstricted finger")
FINGER_FLOW_HOT_ML_PER_100ML_MIN = Quantity(
    27.0, "mL/(100 mL·min)", _FINGER_FLOW, "finger blood flow exceeded this at an ambient 46 °C (a lower bound), after "
    "whole-body heating rather than a block: the model's fully dilated finger")
FINGER_RADIUS_MM = ModelParameter(
    9.0, "mm", "a fingertip treated as a cylinder of this radius (surface-to-volume ratio 2/r, the ends ignored). "
    "Illustrative: chosen for an adult finger, not taken from a measurement.")
CORE_TEMPERATURE_C = Quantity(37.0, "°C", _TABLE_8_3, "basal temperature (secondary source)")


# --- Signs of a complete block ------------------------------------------------------------------------------

MALMQVIST = Source("malmqvist1992sgb", "Abstract")
STEVENS = Source("stevens_sgb_temp", "Abstract")
YOO = Source("yoo2019volume", "Abstract")
AN_2016 = Source("an2016lsg", "Abstract")

MALMQVIST_PREBLOCK_MAX_C = Quantity(32.0, "°C", MALMQVIST, "every patient's palmar skin temperature was at or below "
                                    "this before the block")
MALMQVIST_BLOCKED_MIN_C = Quantity(34.0, "°C", MALMQVIST, "skin temperature the blocked hand must reach")
MALMQVIST_FLOW_RISE_PERCENT = Quantity(50.0, "%", MALMQVIST, "minimum rise in skin blood flow")
MALMQVIST_EFFECTIVE = (15, 54)
"""Blocks (of 54) that met four of Malmqvist's five criteria for an effective stellate block."""
RELATIVE_RISE_C = Quantity(1.5, "°C", YOO, "success: the blocked hand warms at least this much more than the other "
                           "hand (also the threshold studied by Stevens et al.)")
STEVENS_RELATIVE_RISE_2C = (2.0, 0.69, 0.85)
"""A relative rise of 2.0 °C: sensitivity 69 ± 12 % and specificity 85 ± 10 % for a negative sweat test
(:data:`STEVENS`)."""
LUMBAR_RESPONSE_RISE_C = Quantity(1.0, "°C", AN_2016, "a lumbar sympathetic block counted as responsive when the foot "
                                  "warmed by more than this within 5 minutes")


# --- Stellate ganglion: anatomy and volume ------------------------------------------------------------------

STELLATE_FUSED_PERCENT = Quantity(80.0, "%", Source("elias2000stellate"),
                                  "people in whom the inferior cervical and first thoracic ganglia fuse")
BHATIA = Source("bhatia2012sonoanatomy", "Abstract")


@dataclass(frozen=True)
class NeckSonoanatomy:
    """What lay where in Bhatia et al.'s ultrasound study of the neck (percentage of subjects)."""

    level: str
    vessel_in_anterior_path_percent: float
    oesophagus_lateral_to_airway_percent: float


NECK_SONOANATOMY = (NeckSonoanatomy("C6", 29.0, 50.0), NeckSonoanatomy("C7", 43.0, 74.0))
VERTEBRAL_ARTERY_OUTSIDE_FORAMEN_C6_PERCENT = Quantity(7.0, "%", BHATIA, "subjects whose vertebral artery lay outside "
                                                       "the foramen transversarium at C6")
LONGUS_COLLI_WIDTH_C6_MM = Quantity(11.0, "mm", Source("gofeld_usgsgb", "Abstract"),
                                    "mean anteroposterior width of longus colli at C6")


@dataclass(frozen=True)
class VolumeResponse:
    """How often a volume of local anaesthetic at C6 produced Horner syndrome (Jung et al., crossover)."""

    volume_ml: float
    trials: int | None  # None: the abstract says "all trials" without a count
    failures: int

    @property
    def fraction_with_sign(self) -> float:
        return 1.0 if self.trials is None else 1.0 - self.failures / self.trials


JUNG_2011 = Source("jung2011ropivacaine", "Abstract")
JUNG_2011_HORNER = (VolumeResponse(2.0, 29, 6), VolumeResponse(3.0, 29, 3), VolumeResponse(4.0, None, 0),
                    VolumeResponse(6.0, None, 0))
"""0.2 % ropivacaine, ultrasound-guided at C6. The abstract reports 6 and 3 failures of 29 trials at 2 and 3 mL and
Horner syndrome "in all trials" at 4 and 6 mL."""
YOO_2019_SUCCESS = ((4.0, 0.44), (6.0, 0.45), (8.0, 0.55))
"""1 % lidocaine, ultrasound-guided: success (relative rise of at least 1.5 °C) by volume, P = 0.651 (:data:`YOO`)."""

C6_C7 = Source("baek2018c6c7", "Abstract")


@dataclass(frozen=True)
class LevelComparison:
    level: str
    peak_rise_c: float
    peak_rise_sd_c: float
    rise_over_1c: tuple[int, int]


C6_C7_COMPARISON = (LevelComparison("C6", 0.50, 0.38, (5, 30)), LevelComparison("C7", 1.41, 0.68, (24, 30)))
"""Thirty patients blocked at C6 and at C7 (ultrasound): peak hand warming and blocks warming the hand by more than
1 °C."""

# --- The spread model's geometry (illustrative, not calibrated) ---------------------------------------------

SPREAD_CROSS_SECTION_MM2 = ModelParameter(
    120.0, "mm²", "cross-section of the fascial plane the injectate fills. Illustrative: a plane about 12 mm wide and "
    "10 mm deep in front of longus colli; no published volume-versus-spread curve was verified.",
    Source("gofeld_usgsgb"))
VERTEBRAL_LEVEL_HEIGHT_MM = ModelParameter(
    18.0, "mm", "craniocaudal height of one lower cervical segment (body and disc). Illustrative, not measured here.")
CAUDAL_FRACTION = ModelParameter(
    0.6, "", "share of the injectate that runs caudally from the needle tip. Illustrative; contrast injected at C6 "
    "has been reported to reach C7-T1.", Source("foxfurman_sgb_fluoro"))


# --- Neurolysis and CRPS trials -----------------------------------------------------------------------------

WONG_2004 = Source("wong2004ncpb", "Abstract")
DONG_2021 = Source("dong2021splanchnic", "Abstract")
OCONNELL_2016 = Source("oconnell2016lasb", "Abstract")


NEUROLYSIS_FINDINGS = (
    TrialFinding("Wong 2004: coeliac neurolysis vs sham, 100 patients", "Pain, first week",
                 "fell more after neurolysis (P = .005)", WONG_2004),
    TrialFinding("Wong 2004", "Pain over time", "lower after neurolysis (P = .01)", WONG_2004),
    TrialFinding("Wong 2004", "Opioid consumption; quality of life", "no difference (P = .93; P = .46)", WONG_2004),
    TrialFinding("Dong 2021: splanchnic neurolysis vs saline, 96 analysed", "Pain relief",
                 "greater for 3 months; largest at 1 month, mean difference 0.7 (95 % CI 0.3 to 1.0)", DONG_2021),
    TrialFinding("Dong 2021", "Opioid consumption",
                 "lower for 5 months; largest at 1 month, mean difference 95.8 (95 % CI 67.4 to 124.1)", DONG_2021),
    TrialFinding("Dong 2021", "Quality of life", "no difference", DONG_2021),
    TrialFinding("Dong 2021", "Survival", "shorter after neurolysis: hazard ratio 1.56 (95 % CI 1.03 to 2.35), "
                 "stage IV 1.94, stage III 1.08 (CI includes 1)", DONG_2021),
)
CRPS_COCHRANE_STUDIES = (12, 461)
"""Studies and participants in the 2016 Cochrane review of local anaesthetic sympathetic blockade for CRPS."""


def sources() -> set[str]:
    keys = {MALMQVIST.key, STEVENS.key, BHATIA.key, JUNG_2011.key, C6_C7.key, WONG_2004.key, DONG_2021.key,
            OCONNELL_2016.key}
    for value in (BLOOD_DENSITY_KG_PER_M3, BLOOD_SPECIFIC_HEAT_J_PER_KG_K, RADIATIVE_COEFFICIENT_W_PER_M2_K,
                  NATURAL_CONVECTION_COEFFICIENT_W_PER_M2_K, FINGER_FLOW_COLD_ML_PER_100ML_MIN,
                  FINGER_FLOW_HOT_ML_PER_100ML_MIN, CORE_TEMPERATURE_C, MALMQVIST_PREBLOCK_MAX_C,
                  MALMQVIST_BLOCKED_MIN_C, MALMQVIST_FLOW_RISE_PERCENT, RELATIVE_RISE_C, LUMBAR_RESPONSE_RISE_C,
                  STELLATE_FUSED_PERCENT, VERTEBRAL_ARTERY_OUTSIDE_FORAMEN_C6_PERCENT, LONGUS_COLLI_WIDTH_C6_MM):
        keys.add(value.source.key)
    for parameter in (SPREAD_CROSS_SECTION_MM2, CAUDAL_FRACTION):
        if parameter.context is not None:
            keys.add(parameter.context.key)
    return keys


def neurolysis_markdown() -> str:
    """The two randomised trials of neurolysis in unresectable pancreatic cancer, as a table."""
    from painlab.reference._format import findings_markdown

    return findings_markdown(NEUROLYSIS_FINDINGS)


def volume_markdown() -> str:
    """Volume against Horner syndrome (Jung 2011) and against hand warming (Yoo 2019)."""
    from painlab.reference._format import markdown_table, number

    rows = [(f"{number(r.volume_ml)} mL 0.2 % ropivacaine", "Horner syndrome",
             f"{r.trials - r.failures}/{r.trials}" if r.trials else "all trials", f"{{cite:p}}`{JUNG_2011.key}`")
            for r in JUNG_2011_HORNER]
    rows += [(f"{number(volume)} mL 1 % lidocaine", f"relative rise ≥ {number(RELATIVE_RISE_C.value)} °C",
              f"{100 * rate:.0f} %", f"{{cite:p}}`{YOO.key}`") for volume, rate in YOO_2019_SUCCESS]
    return markdown_table(("Volume at C6", "Sign", "Blocks with the sign", "Source"), rows)
