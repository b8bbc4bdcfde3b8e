"""Pharmacology reference data: local anaesthetic limits and kinetics, corticosteroid equivalence, MME factors.

Sources are product labels and guidelines (primary) wherever they could be read. Values that could
not be verified for this edition are left out rather than guessed; the pharmacology lesson lists them.
Not included for that reason: the US-label maximum doses of bupivacaine and ropivacaine, plasma
concentration thresholds for toxicity, and morphine route-conversion ratios for intrathecal therapy.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import ModelParameter, Quantity, Source

# --------------------------------------------------------------------------------------------
# Local anaesthetics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoseLimit:
    """A maximum single dose: mg/kg of body weight (None if the source states only a total) and a total cap."""

    mg_per_kg: float | None
    cap_mg: float
    source: Source
    wording: str = ""


@dataclass(frozen=True)
class Kinetics:
    """Disposition and epidural absorption of a local anaesthetic in adults (Burm et al. 1987, epidural).

    Burm fitted two-compartment disposition; the course's model uses the steady-state volume and the
    total clearance as a one-compartment simplification, with the two parallel absorption processes
    they measured after epidural injection.
    """

    clearance_l_per_min: float
    volume_of_distribution_l: float
    elimination_half_life_min: float
    epidural_absorption: tuple[tuple[float, float], ...]  # (fraction absorbed, absorption half-life min)
    source: Source


@dataclass(frozen=True)
class IntravenousKinetics:
    """Linear mammillary disposition after intravenous dosing, per kg of body weight (the model's input).

    ``peripheral`` holds (intercompartmental clearance L/kg/min, volume L/kg) for each peripheral
    compartment. :func:`painlab.pharmacology.intravenous_kinetics` derives it from the reported
    summary values in :class:`IntravenousDisposition`.
    """

    central_volume_l_per_kg: float
    clearance_l_per_kg_per_min: float
    peripheral: tuple[tuple[float, float], ...]
    source: Source
    note: str = ""


@dataclass(frozen=True)
class IntravenousDisposition:
    """Reported adult disposition after intravenous dosing: total clearance, steady-state volume and the
    distribution (alpha) and elimination (beta) half-lives, for a reference body weight.

    Four numbers fix a two-compartment model (central volume, the intercompartmental clearance and the
    peripheral volume follow). ``reported_central_volume_l``, where the source gives it, is kept to
    check the derivation against.
    """

    clearance_l_per_min: float
    steady_state_volume_l: float
    distribution_half_life_min: float
    elimination_half_life_min: float
    reference_weight_kg: ModelParameter
    sources: tuple[Source, ...]
    reported_central_volume_l: float | None = None
    note: str = ""


@dataclass(frozen=True)
class ConcentrationBand:
    """A plasma concentration range (mcg/mL) with what it means and where it comes from."""

    low_mcg_per_ml: float
    high_mcg_per_ml: float
    meaning: str
    source: Source
    secondary: bool = False


@dataclass(frozen=True)
class LocalAnaesthetic:
    name: str
    plain: DoseLimit | None
    with_epinephrine: DoseLimit | None
    pka: float | None
    pka_source: Source | None
    kinetics: Kinetics | None = None


XYLOCAINE = Source("xylocaine_label", "Dosage and Administration: Maximum Recommended Dosages, Adults")
NESACAINE = Source("nesacaine_label", "Dosage and Administration")
CARBOCAINE = Source("carbocaine_label", "2.2 Dosing in Adults")
NAROPIN = Source("naropin_label", "Description")
BURM_1987 = Source("burm1987epidural", "Abstract")

LIDOCAINE_KINETICS = Kinetics(0.95, 99.0, 100.0, ((0.38, 9.3), (0.58, 82.0)), BURM_1987)

LOCAL_ANAESTHETICS: Mapping[str, LocalAnaesthetic] = MappingProxyType({
    "lidocaine": LocalAnaesthetic(
        "lidocaine",
        plain=DoseLimit(4.5, 300.0, XYLOCAINE, "should not exceed 4.5 mg/kg; in general the maximum total dose "
                                               "does not exceed 300 mg"),
        with_epinephrine=DoseLimit(7.0, 500.0, XYLOCAINE, "should not exceed 7 mg/kg; in general the maximum total "
                                                         "dose does not exceed 500 mg"),
        pka=None, pka_source=None,
        kinetics=LIDOCAINE_KINETICS,
    ),
    "chloroprocaine": LocalAnaesthetic(
        "chloroprocaine",
        plain=DoseLimit(11.0, 800.0, NESACAINE, "without epinephrine, 11 mg/kg, not to exceed 800 mg"),
        with_epinephrine=DoseLimit(14.0, 1000.0, NESACAINE, "with epinephrine (1:200,000), 14 mg/kg, not to "
                                                            "exceed 1000 mg"),
        pka=None, pka_source=None,
    ),
    "mepivacaine": LocalAnaesthetic(
        "mepivacaine",
        plain=DoseLimit(None, 400.0, CARBOCAINE, "should not usually exceed 400 mg (7 mg/kg, 550 mg, only in "
                                                 "exceptional circumstances; no more than 1000 mg in 24 h)"),
        with_epinephrine=None,
        pka=7.7, pka_source=NAROPIN,
    ),
    "bupivacaine": LocalAnaesthetic(
        "bupivacaine", plain=None, with_epinephrine=None, pka=8.1, pka_source=NAROPIN,
        kinetics=Kinetics(0.52, 68.0, 143.0, ((0.28, 7.0), (0.66, 362.0)), BURM_1987),
    ),
    "ropivacaine": LocalAnaesthetic("ropivacaine", plain=None, with_epinephrine=None, pka=8.07, pka_source=NAROPIN),
})
"""Local anaesthetics the course describes. ``plain``/``with_epinephrine`` is None where no maximum dose
could be verified from the label for this edition: the calculators refuse those rather than guess."""

LOCAL_ANAESTHETIC_ALIASES: Mapping[str, str] = MappingProxyType({
    "lignocaine": "lidocaine", "xylocaine": "lidocaine", "nesacaine": "chloroprocaine",
    "carbocaine": "mepivacaine", "polocaine": "mepivacaine", "marcaine": "bupivacaine", "naropin": "ropivacaine",
})

ABSORPTION_BY_SITE: tuple[str, ...] = (
    "intercostal", "paracervical", "caudal", "lumbar epidural", "brachial plexus", "sciatic/femoral", "subcutaneous",
)
"""Injection sites from the highest to the lowest peak plasma concentration after equal doses."""
ABSORPTION_BY_SITE_SOURCE = Source("arthur_covino_pk", "Absorption: injection site; Figure 1")

LIPID_EMULSION_OVER_70_KG = {
    "bolus_ml": 100.0,
    "infusion_ml": (200.0, 250.0),
    "infusion_min": (15.0, 20.0),
    "upper_limit_ml_per_kg": 12.0,
}
"""20 % lipid emulsion for local anaesthetic systemic toxicity in patients over 70 kg (ASRA checklist 2017)."""
LIPID_EMULSION_SOURCE = Source("neal2018checklist")
LAST_PRESENTATION_SOURCE = Source("elboghdadly2018last", "Abstract")

# --------------------------------------------------------------------------------------------
# Corticosteroids
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    value: float
    source: Source
    dose_unit: str = "mg/day"


STEROID_SOURCE = Source("ucsf_steroid", "Conversion table")
STEROID_EQUIVALENT_DOSES_MG: Mapping[str, Factor] = MappingProxyType({
    name: Factor(dose, STEROID_SOURCE, "mg")
    for name, dose in (("hydrocortisone", 20.0), ("prednisone", 5.0), ("prednisolone", 5.0),
                       ("methylprednisolone", 4.0), ("triamcinolone", 4.0), ("dexamethasone", 0.75))
})
"""Doses with equivalent glucocorticoid effect. Betamethasone is left out: sources give 0.6 or 0.75 mg."""

EPIDURAL_STEROID_PARTICLES_SOURCE = Source("derby2008size", "Results")
NONPARTICULATE_FIRST_SOURCE = Source("rathmell2015safeguards")
FDA_EPIDURAL_WARNING_SOURCE = Source("fda2014epidural", "Safety announcement, 23 April 2014")

# --------------------------------------------------------------------------------------------
# Opioids
# --------------------------------------------------------------------------------------------

CDC_2022_TABLE = Source("cdc2022opioids", "Table: morphine milligram equivalent doses")
MME_CONVERSION_FACTORS: Mapping[str, Factor] = MappingProxyType({
    "codeine": Factor(0.15, CDC_2022_TABLE),
    "fentanyl transdermal": Factor(2.4, CDC_2022_TABLE, "mcg/h"),
    "hydrocodone": Factor(1.0, CDC_2022_TABLE),
    "hydromorphone": Factor(5.0, CDC_2022_TABLE),
    "methadone": Factor(4.7, CDC_2022_TABLE),
    "morphine": Factor(1.0, CDC_2022_TABLE),
    "oxycodone": Factor(1.5, CDC_2022_TABLE),
    "oxymorphone": Factor(3.0, CDC_2022_TABLE),
    "tapentadol": Factor(0.4, CDC_2022_TABLE),
    "tramadol": Factor(0.2, CDC_2022_TABLE),
})
"""Multiply a daily dose (mg/day; transdermal fentanyl in mcg/h) by the factor to get MME/day."""
OPIOID_ALIASES: Mapping[str, str] = MappingProxyType({"fentanyl": "fentanyl transdermal",
                                                      "fentanyl patch": "fentanyl transdermal"})

# --------------------------------------------------------------------------------------------
# Non-opioid analgesics
# --------------------------------------------------------------------------------------------

ACETAMINOPHEN_OTC_LIVER_WARNING_MG_PER_DAY = 4000.0
"""The OTC Drug Facts liver warning: severe liver damage may occur above 4000 mg in 24 h."""
ACETAMINOPHEN_SOURCE = Source("otc_apap_label", "Drug Facts: liver warning")
ACETAMINOPHEN_PER_UNIT_LIMIT_MG = 325.0
"""FDA (2011): prescription combination products limited to 325 mg acetaminophen per dosage unit."""
ACETAMINOPHEN_PER_UNIT_SOURCE = Source("fda2011acetaminophen")


# --------------------------------------------------------------------------------------------
# Intravenous infusions (lidocaine, ketamine)
# --------------------------------------------------------------------------------------------

STUDY_WEIGHT_70_KG = ModelParameter(
    70.0, "kg", "assumed body weight of the study population: the lidocaine abstract gives no weight and the ketamine "
    "meta-analysis reports per 70 kg; the model scales volumes and clearance in proportion to weight")
KAMP_2020 = Source("kamp2020ketamine", "Abstract")
KETALAR_PHARMACOLOGY = Source("ketalar_label", "Clinical Pharmacology (quoted in label copies; secondary)")

INTRAVENOUS_DISPOSITION: Mapping[str, IntravenousDisposition] = MappingProxyType({
    "lidocaine": IntravenousDisposition(
        clearance_l_per_min=LIDOCAINE_KINETICS.clearance_l_per_min,
        steady_state_volume_l=LIDOCAINE_KINETICS.volume_of_distribution_l,
        distribution_half_life_min=12.0,
        elimination_half_life_min=LIDOCAINE_KINETICS.elimination_half_life_min,
        reference_weight_kg=STUDY_WEIGHT_70_KG, sources=(BURM_1987,), reported_central_volume_l=43.0,
        note="intravenous deuterium-labelled lidocaine in surgical patients; two-compartment fit"),
    "ketamine": IntravenousDisposition(
        clearance_l_per_min=79.0 / 60.0,
        steady_state_volume_l=252.0,
        distribution_half_life_min=12.5,
        elimination_half_life_min=150.0,
        reference_weight_kg=STUDY_WEIGHT_70_KG, sources=(KAMP_2020, KETALAR_PHARMACOLOGY),
        note="clearance 79 L/h and volume 252 L per 70 kg: weighted means of a meta-analysis of 18 studies; "
             "half-lives from the label (alpha 10-15 min, the midpoint used; beta 2.5 h). Combined from different "
             "sources, so the central volume and the peak after a bolus are less reliable than for lidocaine"),
})
"""Reported intravenous disposition in adults, from which the infusion model derives its compartments."""

BAUER_LIDOCAINE = Source("bauer_lidocaine", "Therapeutic and toxic concentrations (secondary: textbook chapter)")
CONCENTRATION_BANDS: Mapping[str, tuple[ConcentrationBand, ...]] = MappingProxyType({
    "lidocaine": (
        ConcentrationBand(3.0, 5.0, "minor side effects in some patients (drowsiness, dizziness, paraesthesia, "
                          "euphoria) above about 3 mcg/mL, the upper part of the antiarrhythmic range 1.5-5",
                          BAUER_LIDOCAINE, secondary=True),
    ),
    "ketamine": (
        ConcentrationBand(0.05, 0.2, "psychedelic effects rose in proportion to concentration across 50-200 ng/mL "
                          "in ten volunteers", Source("bowdle1998ketamine", "Abstract")),
    ),
})
"""What plasma concentrations mean. No analgesic target concentration could be verified for either drug."""
LIDOCAINE_UPPER_RANGE_MCG_PER_ML = 5.0
"""Upper end of lidocaine's antiarrhythmic 'therapeutic' range (1.5-5 mcg/mL), from the same secondary source."""


@dataclass(frozen=True)
class InfusionRegimen:
    """An intravenous regimen as a trial or review reports it (an example, not a recommendation)."""

    drug: str
    rate_mg_per_kg_per_h: float
    cap_mg_per_h: float | None
    duration_min: float
    source: Source
    note: str = ""

    def rate_mg_per_h(self, weight_kg: float) -> float:
        rate = self.rate_mg_per_kg_per_h * weight_kg
        return rate if self.cap_mg_per_h is None else min(rate, self.cap_mg_per_h)


KETAMINE_CRPS_OUTPATIENT = InfusionRegimen(
    "ketamine", 0.35, 25.0, 240.0, Source("schwartzman2009ketamine", "Abstract"),
    "0.35 mg/kg/h, not to exceed 25 mg/h, over 4 h daily for 10 days (outpatient CRPS trial)")
LIDOCAINE_TRIAL_DOSE_MG_PER_KG = Quantity(5.0, "mg/kg", Source("tremontlukats2005systemic", "Abstract"),
                                          "the most common dose in the trials, given intravenously over 30-60 min")


def sources() -> set[str]:
    """Every citation key used in this module."""
    keys = {ABSORPTION_BY_SITE_SOURCE.key, LIPID_EMULSION_SOURCE.key, LAST_PRESENTATION_SOURCE.key, STEROID_SOURCE.key,
            EPIDURAL_STEROID_PARTICLES_SOURCE.key, NONPARTICULATE_FIRST_SOURCE.key, FDA_EPIDURAL_WARNING_SOURCE.key,
            CDC_2022_TABLE.key, ACETAMINOPHEN_SOURCE.key, ACETAMINOPHEN_PER_UNIT_SOURCE.key}
    for drug in LOCAL_ANAESTHETICS.values():
        for limit in (drug.plain, drug.with_epinephrine):
            if limit is not None:
                keys.add(limit.source.key)
        if drug.pka_source is not None:
            keys.add(drug.pka_source.key)
        if drug.kinetics is not None:
            keys.add(drug.kinetics.source.key)
    for disposition in INTRAVENOUS_DISPOSITION.values():
        keys |= {source.key for source in disposition.sources}
    keys |= {KETAMINE_CRPS_OUTPATIENT.source.key, LIDOCAINE_TRIAL_DOSE_MG_PER_KG.source.key}
    for bands in CONCENTRATION_BANDS.values():
        keys |= {band.source.key for band in bands}
    return keys


def local_anaesthetic_table_markdown() -> str:
    """Label maximum single doses (plain and with epinephrine), then the label's own wording, with sources."""
    from painlab.reference._format import markdown_table, number

    def limit(value: DoseLimit | None) -> str:
        if value is None:
            return "not verified: check the label"
        per_kg = f"{number(value.mg_per_kg)} mg/kg, " if value.mg_per_kg is not None else ""
        return f"{per_kg}max {number(value.cap_mg)} mg"

    table = markdown_table(
        ("Drug", "Class", "Maximum single dose, plain", "With epinephrine", "Source"),
        [(d.name, "ester" if d.name == "chloroprocaine" else "amide", limit(d.plain),
          limit(d.with_epinephrine) if d.plain else "",
          f"{{cite:p}}`{d.plain.source.key}`" if d.plain else "") for d in LOCAL_ANAESTHETICS.values()])
    wording = "\n".join(f"- **{d.name}** (plain): \"{d.plain.wording}\"" for d in LOCAL_ANAESTHETICS.values() if d.plain)
    return f"{table}\n\nWhat the labels say (abridged):\n\n{wording}"


def pka_table_markdown(tissue_ph: float = 7.4) -> str:
    """pKa where a label states it, and the fraction present as base at ``tissue_ph``
    (Henderson-Hasselbalch: 1 / (1 + 10 ** (pKa - pH)))."""
    from painlab.reference._format import markdown_table, number

    return markdown_table(
        ("Drug", "pKa", f"Fraction as base at pH {tissue_ph:g}", "Source"),
        [(d.name, number(d.pka), f"{1.0 / (1.0 + 10.0 ** (d.pka - tissue_ph)):.0%}", f"{{cite:p}}`{d.pka_source.key}`")
         for d in LOCAL_ANAESTHETICS.values() if d.pka is not None and d.pka_source is not None])


def steroid_table_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    table = markdown_table(("Corticosteroid", "Equivalent dose (mg)"),
                           [(name, number(f.value)) for name, f in STEROID_EQUIVALENT_DOSES_MG.items()])
    return (f"{table}\n\nSource: {{cite:t}}`{STEROID_SOURCE.key}`. Betamethasone is omitted: sources disagree "
            f"on its equivalent dose.")


def mme_table_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    table = markdown_table(("Opioid", "MME conversion factor", "Dose unit"),
                           [(name, number(f.value), f.dose_unit) for name, f in MME_CONVERSION_FACTORS.items()])
    return f"{table}\n\nSource: {{cite:t}}`{CDC_2022_TABLE.key}`, table of MME conversion factors."
