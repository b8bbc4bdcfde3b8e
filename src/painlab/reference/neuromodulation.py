"""Spinal cord stimulation: conductivity, the geometry of the field model, published waveforms and trials.

Sources are BibTeX keys in ``book/references.bib``. Values the model needs but no source fixes (the
modelled fibres' diameter, the internode ratio, an illustrative amplitude) are :class:`ModelParameter`
objects: labelled as assumptions, never presented as measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Union

from painlab.reference.source import ModelParameter, Quantity, Source


Value = Union[Quantity, ModelParameter]

CSF_CONDUCTIVITY = Quantity(1.79, "S/m", Source("baumann1997csf"), "human CSF at body temperature (37 °C)")


@dataclass(frozen=True)
class ThicknessRange:
    low_mm: float
    high_mm: float
    note: str
    source: Source
    prone_increase_mm: float | None = None  # approximate increase lying prone, where reported


_HOLSHEIMER = Source("holsheimer1994mri")
DORSAL_CSF_THICKNESS_MM: Mapping[str, ThicknessRange] = MappingProxyType({
    "C4–C6": ThicknessRange(1.5, 4.0, "supine", _HOLSHEIMER),
    "T5–T6": ThicknessRange(4.0, 8.5, "supine; the thickest of the levels measured", _HOLSHEIMER),
    "T11": ThicknessRange(2.0, 6.0, "supine; about 2.2 mm more when prone", _HOLSHEIMER, 2.2),
    "T12": ThicknessRange(1.5, 4.5, "supine; about 3.4 mm more when prone", _HOLSHEIMER, 3.4),
})
"""Dorsal CSF thickness by level, MRI of 26 healthy volunteers."""

FIBRE_DIAMETER_UM = ModelParameter(
    10.0, "µm", "both modelled fibres (dorsal column and dorsal root) get the same diameter, so that any difference "
    "in threshold comes from geometry; very few dorsal column fibres near the surface are larger than 10.7 µm",
    Source("feirabend2002morphometry"))
INTERNODE_PER_DIAMETER = ModelParameter(
    100.0, "internode length ÷ fibre diameter", "the ratio commonly used in excitation models of myelinated fibres "
    "(not verified against a primary source here)")
ROOT_ENTRY_LATERAL_MM = ModelParameter(
    3.0, "mm", "distance of the modelled dorsal root entry zone from the midline under the lead (illustrative)")


@dataclass(frozen=True)
class PublishedWaveform:
    name: str
    amplitude_ma: Value
    pulse_width_us: Value
    pulses_per_s: Value
    note: str = ""


_TIEPPO = Source("tieppofrancio2021tenkhz")  # review (secondary)
_DERIDDER = Source("deridder2010burst")
WAVEFORMS: Mapping[str, PublishedWaveform] = MappingProxyType({
    "tonic": PublishedWaveform(
        "tonic",
        ModelParameter(5.0, "mA", "illustrative, within the 3.5–8.5 mA range a review gives for paraesthesia-based "
                       "stimulation", _TIEPPO),
        ModelParameter(300.0, "µs", "illustrative, within the 100–500 µs range in the same review", _TIEPPO),
        Quantity(50.0, "Hz", _DERIDDER, "tonic stimulation at 40 or 50 Hz in the burst study; reviews give 30–120 Hz"),
        "paraesthesia-based, low frequency"),
    "burst": PublishedWaveform(
        "burst",
        ModelParameter(1.0, "mA", "illustrative: burst amplitudes are set below the paraesthesia threshold; no value "
                       "verified here"),
        ModelParameter(1000.0, "µs", "commonly described as 1 ms but NOT verified here; at 500 Hz within a burst the "
                       "pulse period is 2 ms, so it must be shorter than that"),
        Quantity(200.0, "pulses/s", _DERIDDER, "40 Hz bursts of 5 pulses at 500 Hz = 200 pulses per second"),
        "40 Hz bursts of 5 pulses at 500 Hz"),
    "10 kHz": PublishedWaveform(
        "10 kHz",
        ModelParameter(2.5, "mA", "illustrative, within the 1–5 mA range a review gives", _TIEPPO),
        Quantity(30.0, "µs", _TIEPPO, "secondary source (review)"),
        Quantity(10000.0, "Hz", Source("kapural2015senza")),
        "paraesthesia-free high frequency"),
})


def _value_sources(value: Value) -> set[str]:
    if isinstance(value, Quantity):
        return {value.source.key}
    return {value.context.key} if value.context else set()


def sources() -> set[str]:
    keys = {CSF_CONDUCTIVITY.source.key} | {q.source.key for q in DORSAL_CSF_THICKNESS_MM.values()}
    for parameter in (FIBRE_DIAMETER_UM, INTERNODE_PER_DIAMETER, ROOT_ENTRY_LATERAL_MM):
        keys |= _value_sources(parameter)
    for w in WAVEFORMS.values():
        keys |= _value_sources(w.amplitude_ma) | _value_sources(w.pulse_width_us) | _value_sources(w.pulses_per_s)
    keys |= {t.source.key for t in TRIALS.values()} | {TRIAL_SUCCESS_RELIEF_PERCENT.source.key}
    return keys


def _cell(value: Value) -> str:
    from painlab.reference._format import number

    if isinstance(value, Quantity):
        return f"{number(value.value)} {value.unit} {{cite:p}}`{value.source.key}`"
    context = f"; see {{cite:t}}`{value.context.key}`" if value.context else ""
    return f"{number(value.value)} {value.unit} (assumed{context})"


def waveforms_markdown() -> str:
    """The three waveforms with the source of each number, or 'model assumption'."""
    from painlab.reference._format import markdown_table

    rows = [(w.name, w.note, _cell(w.amplitude_ma), _cell(w.pulse_width_us), _cell(w.pulses_per_s))
            for w in WAVEFORMS.values()]
    return markdown_table(("Waveform", "Pattern", "Amplitude", "Pulse width", "Pulses per second"), rows)


def csf_thickness_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    rows = [(level, f"{number(r.low_mm)}–{number(r.high_mm)} mm", r.note, f"{{cite:p}}`{r.source.key}`")
            for level, r in DORSAL_CSF_THICKNESS_MM.items()]
    return markdown_table(("Level", "Dorsal CSF thickness", "Note", "Source"), rows)


# --------------------------------------------------------------------------------------------
# Patient selection and the trials
# --------------------------------------------------------------------------------------------

TRIAL_SUCCESS_RELIEF_PERCENT = Quantity(
    50.0, "% pain relief", Source("neuromodfound_practice"),
    "with stable or reduced analgesic use and stable (or provocative) activity; the practice parameters call the "
    "50 % threshold arbitrary")


@dataclass(frozen=True)
class Trial:
    """A randomised trial as its report states it (numbers only as seen in the source)."""

    name: str
    indication: str
    comparison: str
    design: str
    randomised: int
    primary_outcome: str
    result: str
    sponsor: str
    source: Source
    responders: tuple[float, float] | None = None  # (control, stimulation) proportions, for an NNT


TRIALS: Mapping[str, Trial] = MappingProxyType({t.name: t for t in (
    Trial("PROCESS", "neuropathic radicular leg pain after lumbar surgery", "SCS + CMM vs CMM alone",
          "randomised, open-label; crossover allowed after 6 months", 100, "≥ 50 % leg pain relief at 6 months",
          "48 % vs 9 % (intention to treat, p < 0.001)", "Medtronic", Source("kumar2007process"), (0.09, 0.48)),
    Trial("North 2005", "radicular pain after lumbosacral surgery, selected for reoperation", "SCS vs reoperation",
          "randomised, open-label; crossover allowed", 50, "success rated by disinterested interviewers "
          "(mean follow-up about 3 years)", "9 of 19 vs 3 of 26 (P < 0.01)", "not verified here",
          Source("north2005reoperation")),
    Trial("Kemler 2000", "CRPS type I (reflex sympathetic dystrophy)", "SCS + physical therapy vs physical therapy",
          "randomised, open-label", 54, "pain intensity (VAS) at 6 months",
          "−2.4 cm vs +0.2 cm on a 10 cm VAS (P < 0.001)", "not verified here", Source("kemler2000crps")),
    Trial("SENZA-RCT", "back and leg pain", "10 kHz SCS vs conventional (tonic) SCS", "randomised, open-label", 198,
          "≥ 50 % back pain relief without a stimulation-related neurological deficit, 3 months",
          "84.5 % vs 43.8 % (back); 83.1 % vs 55.5 % (leg), implanted patients", "Nevro",
          Source("kapural2015senza"), (0.438, 0.845)),
    Trial("ACCURATE", "lower-limb CRPS or causalgia", "DRG stimulation vs conventional SCS", "randomised, open-label",
          152, "treatment success (implant, ≥ 50 % relief, no stimulation-related deficit), 3 months",
          "81.2 % vs 55.7 % (P < 0.001)", "St. Jude Medical (authors' affiliations)", Source("deer2017accurate"),
          (0.557, 0.812)),
    Trial("SENZA-PDN", "refractory painful diabetic neuropathy", "10 kHz SCS + CMM vs CMM alone",
          "randomised, open-label; optional crossover at 6 months", 216,
          "responders without worsening neurological deficit, 6 months", "79 % vs 5 %", "Nevro",
          Source("petersen2021pdn"), (0.05, 0.79)),
    Trial("Hara 2022", "radicular pain after lumbar surgery, with an implanted stimulator",
          "burst SCS vs placebo stimulation", "randomised, placebo-controlled crossover (two 3-month periods each)", 50,
          "change in Oswestry Disability Index", "−10.6 vs −9.3 points (no significant difference)",
          "not verified here", Source("hara2022burst")),
)})


def trials_markdown() -> str:
    from painlab.reference._format import markdown_table

    rows = [(t.name, t.indication, t.comparison, t.design, t.randomised, t.primary_outcome, t.result,
             f"{{cite:p}}`{t.source.key}`") for t in TRIALS.values()]
    return markdown_table(("Trial", "Patients", "Comparison", "Design", "Randomised", "Primary outcome",
                           "Result as reported", "Source"), rows)
