"""Intrathecal drug delivery: pump, label and trial values, each with its source.

Not included because no primary source could be verified for this edition: the Polyanalgesic
Consensus Conference (PACC) starting doses, maximum concentrations and maximum daily doses, route
conversion ratios for morphine (oral, parenteral, epidural, intrathecal), and the pumps' maximum refill
intervals and drug-stability limits. The lesson says so wherever they would be needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from painlab.reference.source import Quantity, Source

RESIDUAL_2004 = Source("synchromed_residual2004", "Abstract")
INFUMORPH = Source("infumorph_label", "Dosage summary (secondary copy of the label)")
INFUMORPH_BOXED = Source("infumorph_label", "Boxed warning (DailyMed)")
PRIALT = Source("prialt_label", "2.2 Dosage")

RESERVOIR_SIZES_ML = (20.0, 40.0)
RESERVOIR_SIZES_SOURCE = Source("rocque2010infraclavicular", "Abstract, as quoted (secondary)")
"""SynchroMed II reservoir volumes."""

LOW_RESERVOIR_ALARM_ML = Quantity(2.0, "mL", RESIDUAL_2004,
                                  "the alarm residual volume the manufacturer recommended, as reported by the study")
RAISED_ALARM_ML = Quantity(4.0, "mL", RESIDUAL_2004, "withdrawal before the alarm did not recur once the alarm was "
                           "raised to this volume")
WITHDRAWAL_BEFORE_ALARM = (21, 88)
"""Patients (of 88) who repeatedly developed withdrawal 1-7 days before the residual volume reached a mean of
2.7 mL (:data:`RESIDUAL_2004`)."""

INTRATHECAL_MORPHINE_NAIVE_MG_PER_DAY = (0.2, 1.0)
INTRATHECAL_MORPHINE_TOLERANT_MG_PER_DAY = (1.0, 10.0)
INTRATHECAL_MORPHINE_CAUTION_ABOVE = Quantity(20.0, "mg/day", INFUMORPH, "caution with doses above this")
INFUMORPH_STRENGTHS_MG_PER_ML = (10.0, 25.0)
OBSERVATION_AFTER_FIRST_DOSE = Quantity(24.0, "h", INFUMORPH_BOXED, "in a fully equipped and staffed "
                                        "environment")
ZICONOTIDE_START_MAX = Quantity(2.4, "mcg/day", PRIALT, "no more than 2.4 mcg/day (0.1 mcg/h) to start")
ZICONOTIDE_STEP_MAX = Quantity(2.4, "mcg/day", PRIALT, "increase by no more than this, two to three times a week")
ZICONOTIDE_DAILY_MAX = Quantity(19.2, "mcg/day", PRIALT, "0.8 mcg/h")


@dataclass(frozen=True)
class ArmResult:
    outcome: str
    pump: str
    medical: str
    p_value: str


SMITH_2002 = Source("smith2002idds", "Abstract")
SMITH_2002_RESULTS = (
    ArmResult("Clinical success (≥ 20 % less pain, or equal pain with ≥ 20 % less toxicity)", "60/71 (84.5 %)",
              "51/72 (70.8 %)", "0.05"),
    ArmResult("≥ 20 % fall in both pain and toxicity", "57.7 %", "37.5 %", "0.02"),
    ArmResult("Mean pain score (VAS 0–10), start → 4 weeks", "7.57 → 3.67", "7.81 → 4.76", "0.055"),
    ArmResult("Mean toxicity score, start → 4 weeks", "7.22 → 3.59", "6.36 → 5.27", "0.004"),
    ArmResult("Alive at 6 months", "53.9 %", "37.2 %", "0.06"),
)
"""Implanted drug delivery plus comprehensive medical management against management alone, 202 patients
with refractory cancer pain; outcomes at 4 weeks unless stated."""


def sources() -> set[str]:
    keys = {RESERVOIR_SIZES_SOURCE.key, SMITH_2002.key, INFUMORPH.key, PRIALT.key}
    for quantity in (LOW_RESERVOIR_ALARM_ML, RAISED_ALARM_ML, INTRATHECAL_MORPHINE_CAUTION_ABOVE,
                     OBSERVATION_AFTER_FIRST_DOSE, ZICONOTIDE_START_MAX, ZICONOTIDE_STEP_MAX, ZICONOTIDE_DAILY_MAX):
        keys.add(quantity.source.key)
    return keys


def labelled_doses_markdown() -> str:
    """The labelled intrathecal doses the course could verify, with their sources."""
    from painlab.reference._format import markdown_table, number

    naive, tolerant = INTRATHECAL_MORPHINE_NAIVE_MG_PER_DAY, INTRATHECAL_MORPHINE_TOLERANT_MG_PER_DAY
    rows = [
        ("Morphine (preservative-free)", "strengths",
         " and ".join(f"{number(s)} mg/mL" for s in INFUMORPH_STRENGTHS_MG_PER_ML), f"{{cite:p}}`{INFUMORPH.key}`"),
        ("Morphine", "daily dose, opioid-naive", f"{number(naive[0])}–{number(naive[1])} mg/day",
         f"{{cite:p}}`{INFUMORPH.key}`"),
        ("Morphine", "daily dose, opioid-tolerant", f"{number(tolerant[0])}–{number(tolerant[1])} mg/day; caution above "
         f"{number(INTRATHECAL_MORPHINE_CAUTION_ABOVE.value)} mg/day", f"{{cite:p}}`{INFUMORPH.key}`"),
        ("Morphine", "observation after the first dose",
         f"at least {number(OBSERVATION_AFTER_FIRST_DOSE.value)} h, {OBSERVATION_AFTER_FIRST_DOSE.note}",
         f"{{cite:p}}`{INFUMORPH_BOXED.key}`"),
        ("Ziconotide", "start", f"≤ {number(ZICONOTIDE_START_MAX.value)} mcg/day (0.1 mcg/h)", f"{{cite:p}}`{PRIALT.key}`"),
        ("Ziconotide", "titration", f"≤ {number(ZICONOTIDE_STEP_MAX.value)} mcg/day per step, ≤ 2–3 steps a week",
         f"{{cite:p}}`{PRIALT.key}`"),
        ("Ziconotide", "maximum", f"{number(ZICONOTIDE_DAILY_MAX.value)} mcg/day (0.8 mcg/h)", f"{{cite:p}}`{PRIALT.key}`"),
    ]
    return markdown_table(("Drug", "What", "Labelled value", "Source"), rows)


def smith_2002_markdown() -> str:
    from painlab.reference._format import markdown_table

    return markdown_table(("Outcome", "Pump + medical management", "Medical management alone", "P"),
                          [(r.outcome, r.pump, r.medical, r.p_value) for r in SMITH_2002_RESULTS])
