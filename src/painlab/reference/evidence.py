"""Diagnostic blocks as tests: measured prevalence, false-positive rates and the accuracy of comparative
blocks. Sources are BibTeX keys in ``book/references.bib``. The clinical sensitivity of a single block has
no verified source here: it is a :class:`ModelParameter`, labelled illustrative."""

from __future__ import annotations

from dataclasses import dataclass

from painlab.reference.source import ModelParameter, Quantity, Source


@dataclass(frozen=True)
class Prevalence:
    """How common a block-confirmed pain source was in one study (proportion, 0-1)."""

    population: str
    method: str
    proportion: float
    interval: tuple[float, float] | None
    source: Source


SCHWARZER_1994 = Source("schwarzer1994falsepositive")
LUMBAR_FACET_PRETEST = Quantity(0.15, "proportion", SCHWARZER_1994,
                                "chronic low back pain: confirmed by a second (bupivacaine) block, 26 of 176")
SINGLE_BLOCK_FALSE_POSITIVE_RATE = Quantity(
    0.38, "proportion of patients without the source", SCHWARZER_1994,
    "lumbar zygapophysial joint blocks, uncontrolled: (83 - 26) / (176 - 26) = 57 / 150 (1 - specificity)")
SINGLE_BLOCK_POSITIVE_PREDICTIVE_VALUE = Quantity(0.31, "proportion", SCHWARZER_1994, "26 of 83 positive first blocks")
COMPARATIVE_BLOCK_SENSITIVITY = Quantity(0.54, "proportion", Source("lord1995comparative"),
                                         "against placebo-controlled blocks, neck pain after whiplash, 50 patients")
COMPARATIVE_BLOCK_SPECIFICITY = Quantity(0.88, "proportion", Source("lord1995comparative"),
                                         "against placebo-controlled blocks, neck pain after whiplash, 50 patients")
ILLUSTRATIVE_BLOCK_SENSITIVITY = ModelParameter(
    0.9, "proportion", "illustrative: no source verified here gives the clinical sensitivity of a single block")

SUCCESS_IF_SOURCE = ModelParameter(0.8, "proportion", "illustrative: chance that denervation succeeds when the "
                                   "facet joints really are the source (no verified source)")
SUCCESS_IF_NOT = ModelParameter(0.15, "proportion", "illustrative: chance of a 'success' after denervation when they "
                                "are not (placebo response, natural history; no verified source)")
FACET_REFERRAL_PRETEST = ModelParameter(
    0.30, "proportion", "illustrative: a clinically suspected referral sample, within the 21-41 % range a review "
    "summarised for lumbar facet pain diagnosed with comparative blocks (secondary source)")


@dataclass(frozen=True)
class FunnelArm:
    blocks: int
    success_all_randomised: float
    success_among_denervated: float


COHEN_2010 = Source("cohen2010blocks")
COHEN_2010_ARMS = (FunnelArm(0, 0.33, 0.33), FunnelArm(1, 0.16, 0.39), FunnelArm(2, 0.22, 0.64))
"""Success at 3 months (≥ 50 % relief and a positive global perceived effect) in a randomised trial of
151 patients selected for lumbar facet denervation with no block, one block or two (comparative) blocks."""

PREVALENCE = (
    Prevalence("chronic low back pain", "single lignocaine blocks confirmed by bupivacaine (≥ 50 % relief), n = 176",
               0.15, None, SCHWARZER_1994),
    Prevalence("chronic low back pain", "intra-articular bupivacaine with a saline control (> 50 % relief), "
               "57 completing", 0.40, (0.27, 0.53), Source("schwarzer1995prevalence")),
    Prevalence("chronic low back pain", "the same study with a 90 % relief criterion (as reported in a review)",
               0.32, None, Source("bogduk2010f1000")),
    Prevalence("chronic low back pain", "\"pure\" facet pain: complete relief on placebo-controlled blocks, n = 206",
               0.15, (0.10, 0.20), Source("macvicar2021pure")),
    Prevalence("chronic neck pain after whiplash", "comparative blocks, n = 50", 0.54, (0.40, 0.68),
               Source("barnsley1995prevalence")),
)


def sources() -> set[str]:
    keys = {SCHWARZER_1994.key, COMPARATIVE_BLOCK_SENSITIVITY.source.key, COMPARATIVE_BLOCK_SPECIFICITY.source.key,
            COHEN_2010.key}
    return keys | {p.source.key for p in PREVALENCE} | {t.source.key for t in DEVICE_TRIALS} | si_sources()


def prevalence_markdown() -> str:
    """The measured prevalences, with intervals where reported and the source of each."""
    from painlab.reference._format import markdown_table

    rows = []
    for p in PREVALENCE:
        interval = f" (95 % CI {100 * p.interval[0]:.0f}–{100 * p.interval[1]:.0f} %)" if p.interval else ""
        rows.append((p.population, p.method, f"{100 * p.proportion:.0f} %{interval}", f"{{cite:p}}`{p.source.key}`"))
    return markdown_table(("Population", "Method and relief criterion", "Prevalence", "Source"), rows)


# --------------------------------------------------------------------------------------------
# Responder counts of device trials (for NNT and fragility index)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponderCounts:
    """Responders / patients in a trial's treatment and control arms, as published (or reconstructed)."""

    trial: str
    comparison: str
    events_treatment: int
    n_treatment: int
    events_control: int
    n_control: int
    source: Source
    note: str = ""
    reconstructed: bool = False  # counts worked back from published percentages, not quoted
    excluded_or_lost: int | None = None  # randomised or enrolled but missing from this analysis, where reported


DEVICE_TRIALS = (
    ResponderCounts("PNS 2019, primary (weeks 1–4)", "percutaneous PNS vs placebo stimulation, ≥ 50 % less pain",
                    7, 12, 2, 14, Source("gilmore2019pns", "Abstract"), "2 of 28 enrolled excluded from efficacy",
                    excluded_or_lost=2),
    ResponderCounts("PNS 2019, 8 weeks", "the same trial at 8 weeks", 8, 12, 2, 14, Source("gilmore2019pns", "Abstract")),
    ResponderCounts("PNS 12 months vs placebo period", "6 of 9 at 12 months against the placebo group at 4 weeks: "
                    "mismatched time points", 6, 9, 0, 14, Source("gilmore2019pns12m", "Abstract"),
                    "not a randomised comparison: the placebo group had crossed over"),
    ResponderCounts("INTRACEPT 3 months, ODI ≥ 15", "basivertebral ablation vs standard care (open label)",
                    45, 65, 11, 53, Source("smuck2021intracept12", "Table 3"), "74 randomised to standard care"),
    ResponderCounts("INTRACEPT 3 months, ODI ≥ 20", "basivertebral ablation vs standard care (open label)",
                    40, 65, 7, 53, Source("smuck2021intracept12", "Table 3")),
    ResponderCounts("EVOKE 36 months", "closed-loop vs open-loop SCS, ≥ 50 % less back and leg pain",
                    52, 67, 33, 67, Source("mekhail2023evoke36", "Abstract: 77.6 % vs 49.3 %"),
                    "counts reconstructed from the published percentages (they reproduce the published difference)",
                    reconstructed=True),
)
"""Published responder counts at each trial's stated time point (see ``note`` for caveats)."""


def device_trial(name: str) -> ResponderCounts:
    for trial in DEVICE_TRIALS:
        if trial.trial == name:
            return trial
    raise ValueError(f"unknown trial {name!r}; known: {', '.join(t.trial for t in DEVICE_TRIALS)}")


# --------------------------------------------------------------------------------------------
# Sacroiliac joint provocation tests
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiagnosticAccuracy:
    """A test (or a cluster rule treated as one test) with its measured accuracy."""

    name: str
    sensitivity: float
    specificity: float
    source: Source
    reference_standard: str = ""
    secondary: bool = False


LASLETT_VIA_SIMPSON = Source("simpson2006accuracy", "Laslett et al. 2005, as tabulated (secondary)")
SI_PROVOCATION_TESTS = (
    DiagnosticAccuracy("distraction", 0.60, 0.81, LASLETT_VIA_SIMPSON, secondary=True),
    DiagnosticAccuracy("thigh thrust", 0.88, 0.69, LASLETT_VIA_SIMPSON, secondary=True),
    DiagnosticAccuracy("compression", 0.69, 0.69, LASLETT_VIA_SIMPSON, secondary=True),
    DiagnosticAccuracy("sacral thrust", 0.63, 0.75, LASLETT_VIA_SIMPSON, secondary=True),
    DiagnosticAccuracy("Gaenslen", 0.53, 0.71, LASLETT_VIA_SIMPSON, secondary=True),
)
"""Single SI provocation tests against intra-articular anaesthetic injection (48 patients), from a later review's
table of the primary study: check the primary tables before clinical use."""

SI_CLUSTER_LASLETT = DiagnosticAccuracy("Laslett 2005: ≥ 3 of 6 positive", 0.94, 0.78, Source("laslett2005", "Abstract"),
                                  "intra-articular anaesthetic injection (relief threshold not verified here)")
SI_CLUSTER_VAN_DER_WURFF = DiagnosticAccuracy("van der Wurff 2006: ≥ 3 of 5 positive", 23 / 27, 26 / 33,
                                        Source("vanderwurff2006", "Abstract: 23 of 27 responders, 7 of 33 non-responders"),
                                        "fluoroscopic double blocks, short- and long-acting local anaesthetic")
SI_CLUSTER_THRESHOLD = 3
SI_BLOCK_PREVALENCE = Quantity(13 / 43, "proportion", Source("schwarzer1995sij", "Abstract"),
                               "13 of 43 with chronic low back pain maximal below L5-S1 relieved by an SI block")
SI_PREVALENCE_DOUBLE_BLOCK_SAMPLE = Quantity(27 / 60, "proportion", Source("vanderwurff2006", "Abstract"),
                                             "27 of 60 referred patients responded to double blocks")
SI_LOW_PREVALENCE = ModelParameter(0.13, "proportion", "illustrative low-prevalence setting (within the 10-25 % a "
                                   "review gives for pain below L5)", Source("simopoulos2012"))


def si_sources() -> set[str]:
    tests = (*SI_PROVOCATION_TESTS, SI_CLUSTER_LASLETT, SI_CLUSTER_VAN_DER_WURFF)
    return {t.source.key for t in tests} | {SI_BLOCK_PREVALENCE.source.key, "simopoulos2012",
                                            SI_PREVALENCE_DOUBLE_BLOCK_SAMPLE.source.key}


def trial_designs_markdown() -> str:
    """The randomised trials of devices and stimulation the course cites, with their comparison and design, as
    a table for classifying each trial by its control (from :data:`DEVICE_TRIALS` and
    :data:`painlab.reference.neuromodulation.TRIALS`)."""
    from painlab.reference import neuromodulation
    from painlab.reference._format import markdown_table

    rows = [(t.name, t.comparison, t.design, t.primary_outcome, f"{{cite:p}}`{t.source.key}`")
            for t in neuromodulation.TRIALS.values()]
    seen: set[str] = set()
    for t in DEVICE_TRIALS:
        if t.source.key in seen or t.note.startswith("not a randomised comparison"):
            continue
        seen.add(t.source.key)
        rows.append((t.trial, t.comparison, "randomised; control as in the comparison",
                     "responders at the time point named", f"{{cite:p}}`{t.source.key}`"))
    return markdown_table(("Trial", "Comparison", "Design", "Outcome the course quotes", "Source"), rows)
