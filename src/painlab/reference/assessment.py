"""Assessment reference data: scoring rules and thresholds of the instruments the course uses."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import Source, TrialFinding

ODI_SECTIONS = 10
ODI_MAX_PER_SECTION = 5
ODI_SCORING_SOURCE = Source("odi_scoring_copies", "Scoring instructions")
ODI_BANDS: tuple[tuple[float, str], ...] = (
    (20.0, "minimal disability"),
    (40.0, "moderate disability"),
    (60.0, "severe disability"),
    (80.0, "crippled"),
    (100.0, "bed-bound, or exaggerating symptoms"),
)
"""Upper bound (inclusive, %) of each interpretation band of the Oswestry Disability Index."""
ODI_BANDS_SOURCE = Source("asir2013_odi_table", "Table 1")


@dataclass(frozen=True)
class ImportantChange:
    """Minimal important change of an outcome measure (improvement), absolute and relative."""

    points: float
    scale_max: float
    relative: float | None
    source: Source


OSTELO_2008 = Source("ostelo2008mic", "Abstract: Results")
MINIMAL_IMPORTANT_CHANGE: Mapping[str, ImportantChange] = MappingProxyType({
    "nrs": ImportantChange(2.0, 10.0, 0.30, OSTELO_2008),
    "vas": ImportantChange(15.0, 100.0, 0.30, OSTELO_2008),
    "odi": ImportantChange(10.0, 100.0, 0.30, OSTELO_2008),
})
"""Ostelo et al. 2008 consensus for low back pain: absolute points, or 30 % improvement from baseline."""
FARRAR_2001 = Source("farrar2001cid", "Abstract")
"""About 2 points or about 30 % on the 0-10 pain NRS corresponded to 'much improved' (Farrar et al. 2001)."""

DN4_ITEMS = 10
DN4_CUTOFF = 4
DN4_SOURCE = Source("bouhassira2005dn4", "DN4 questionnaire")
LANSS_CUTOFF = 12
LANSS_SOURCE = Source("bennett2001lanss")
PCS_ITEMS = 13
PCS_ITEM_MAX = 4
PCS_SOURCE = Source("sullivan1995pcs")
PHQ9_BANDS: tuple[tuple[int, str], ...] = ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"),
                                           (27, "severe"))
"""Upper bound (inclusive) of each PHQ-9 severity band (cut-points 5, 10, 15, 20; range 0-27)."""
PHQ9_SOURCE = Source("kroenke2001phq9", "Abstract")
RED_FLAGS_SOURCE = Source("finucane2020redflags")
NONPHARMACOLOGICAL_FIRST_SOURCE = Source("qaseem2017acp", "Recommendation 2")

START_BACK_ITEMS = 9
"""Keele STarT Back tool: 9 items scored 0 or 1 (bothersomeness counts only for 'very much' or 'extremely')."""
START_BACK_PSYCHOSOCIAL_ITEMS = 5
"""The psychosocial subscale: fear, anxiety, catastrophising, depression and bothersomeness."""
START_BACK_LOW_RISK_MAX_TOTAL = 3
START_BACK_HIGH_RISK_MIN_PSYCHOSOCIAL = 4
START_BACK_SOURCE = Source("hill2008startback", "Abstract")
START_BACK_SCORING_SOURCE = Source("keele_sbst_scoring", "Scoring the tool")
STRATIFIED_CARE_FINDINGS = (
    TrialFinding("Hill 2011 (STarT Back): 851 patients, 10 English general practices, stratified vs current best "
                 "practice", "Roland-Morris, 4 months", "1.81 points better (95 % CI 1.06 to 2.57)",
                 Source("hill2011startback", "Summary")),
    TrialFinding("Hill 2011 (STarT Back)", "Roland-Morris, 12 months", "1.06 points better (95 % CI 0.25 to 1.86)",
                 Source("hill2011startback", "Summary")),
    TrialFinding("Rhon 2023: 270 adults, US Military Health System primary care", "Roland-Morris, 1 year",
                 "no better than usual care", Source("rhon2023stratified", "Key Points")),
)


def sources() -> set[str]:
    return {ODI_SCORING_SOURCE.key, ODI_BANDS_SOURCE.key, OSTELO_2008.key, FARRAR_2001.key, DN4_SOURCE.key,
            LANSS_SOURCE.key, PCS_SOURCE.key, PHQ9_SOURCE.key, RED_FLAGS_SOURCE.key,
            NONPHARMACOLOGICAL_FIRST_SOURCE.key, START_BACK_SOURCE.key, START_BACK_SCORING_SOURCE.key} | {
        finding.source.key for finding in STRATIFIED_CARE_FINDINGS}


def odi_bands_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    rows, low = [], 0.0
    for upper, band in ODI_BANDS:
        rows.append((f"{number(low)}-{number(upper)} %", band))
        low = upper + 1 if upper < 100 else upper
    return markdown_table(("ODI", "Interpretation"), rows) + f"\n\nBands: {{cite:t}}`{ODI_BANDS_SOURCE.key}`."


def important_change_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    names = {"nrs": "Pain, 0-10 numerical rating scale", "vas": "Pain, 0-100 mm visual analogue scale",
             "odi": "Oswestry Disability Index (0-100 %)"}
    return markdown_table(("Measure", "Minimal important improvement", "or relative improvement", "Source"),
                          [(names[k], f"{number(c.points)} points", f"{c.relative:.0%}" if c.relative else "",
                            f"{{cite:p}}`{c.source.key}`") for k, c in MINIMAL_IMPORTANT_CHANGE.items()])


def screening_thresholds_markdown(*instruments: str) -> str:
    """Thresholds of the screening instruments (all, or those named: "DN4", "LANSS", "PHQ-9"), with sources."""
    from painlab.reference._format import markdown_table

    bands = ", ".join(f"{band} up to {upper}" for upper, band in PHQ9_BANDS)
    rows = [
        ("DN4", "neuropathic pain component", f"{DN4_CUTOFF} or more out of {DN4_ITEMS}", DN4_SOURCE.key),
        ("LANSS", "neuropathic pain component", f"{LANSS_CUTOFF} or more", LANSS_SOURCE.key),
        ("PHQ-9", "depression severity", bands, PHQ9_SOURCE.key),
    ]
    unknown = set(instruments) - {row[0] for row in rows}
    if unknown:
        raise ValueError(f"unknown instrument(s) {sorted(unknown)}; accepted: DN4, LANSS, PHQ-9")
    chosen = [row for row in rows if not instruments or row[0] in instruments]
    return markdown_table(("Instrument", "What it screens for", "Positive / bands", "Source"),
                          [(*row[:3], f"{{cite:p}}`{row[3]}`") for row in chosen])
