"""Interactive controls for the lessons: live in JupyterLab, a static figure in the book.

Every explorer displays as an ipywidgets view *and* carries a static fallback in the same output
(a PNG of the figure, or HTML for a self-check). JupyterLab renders the live widget; the book is
configured (``nb_mime_priority_overrides`` in ``_config.yml``) to skip widget views and show the
fallback, so a reader never meets a slider that does nothing.

The figure is drawn once; a slider move updates the artists' data and re-encodes the PNG shown in
an ``ipywidgets.Image`` (no flicker, no re-plotting).
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.patches as mpl_patches
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import yaml
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from painlab import neuro
from painlab.plotting import PALETTE, new_figure, plot_axon_snapshot, plot_axon_space_time

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class Explorer:
    """A model with sliders, a figure it keeps up to date, and a one-line status."""

    def __init__(self, controls: Mapping[str, widgets.ValueWidget], figure: Figure,
                 dynamic_artists: Sequence[Artist]) -> None:
        self.controls = dict(controls)
        self.figure = figure
        self.dynamic_artists = list(dynamic_artists)
        self._background: Any = None
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.status = widgets.HTML()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        control_box = widgets.GridBox(list(self.controls.values()),
                                      layout=widgets.Layout(grid_template_columns="repeat(2, minmax(260px, 1fr))"))
        self.widget = widgets.VBox([control_box, self.status, self.image])
        self.refresh()

    # Subclasses implement: recompute the model and update the artists; return the status text.
    def update(self, **values: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> None:
        """Move several controls at once (as a learner would), then redraw once."""
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        try:
            for name, value in values.items():
                if name not in self.controls:
                    raise ValueError(f"unknown control {name!r}; controls are {', '.join(self.controls)}")
                self.controls[name].value = value
        finally:
            for control in self.controls.values():
                control.observe(self._on_change, names="value")
        self.refresh()

    def refresh(self) -> None:
        self.status.value = self.update(**self.values())
        self.image.value = self.png()

    def png(self) -> bytes:
        """The figure as PNG: the static background drawn once, the changing artists blitted on it."""
        canvas = self.figure.canvas
        if self._background is None:
            for artist in self.dynamic_artists:
                artist.set_animated(True)
            canvas.draw()  # lays out and draws axes, ticks and labels once
            self.figure.set_layout_engine("none")  # freeze the layout
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self._background)
        for artist in self.dynamic_artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        PIL.Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self.refresh()

    def _redraw_static_parts(self, relayout: bool = True) -> None:
        """Axes limits or static artists changed: redraw the background on the next PNG (and lay the figure out
        again first, unless only the numbers on an axis changed)."""
        if relayout:
            self.figure.set_layout_engine("constrained")
        self._background = None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        bundle["text/plain"] = f"<{type(self).__name__}: {html.unescape(_strip_tags(self.status.value))}>"
        return bundle


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def _slider(description: str, value: float, low: float, high: float, step: float, *, continuous: bool = True,
            readout_format: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=continuous, readout_format=readout_format,
                               style={"description_width": "170px"}, layout=widgets.Layout(width="100%"))


# --------------------------------------------------------------------------------------------
# Membrane (Hodgkin-Huxley patch)
# --------------------------------------------------------------------------------------------


class MembraneExplorer(Explorer):
    """Stimulate a Hodgkin-Huxley membrane: find the threshold, then add temperature and block."""

    def __init__(self, *, stimulus_ua_per_cm2: float = 10.0, stimulus_duration_ms: float = 1.0,
                 temperature_c: float = 6.3, sodium_block_fraction: float = 0.0) -> None:
        controls = {
            "stimulus_ua_per_cm2": _slider("Stimulus (µA/cm²)", stimulus_ua_per_cm2, 0.0, 60.0, 0.1),
            "stimulus_duration_ms": _slider("Pulse duration (ms)", stimulus_duration_ms, 0.1, 10.0, 0.1),
            "temperature_c": _slider("Temperature (°C)", temperature_c, 0.0, 35.0, 0.1, readout_format=".1f"),
            "sodium_block_fraction": _slider("Na⁺ channels blocked", sodium_block_fraction, 0.0, 1.0, 0.01),
        }
        figure, (ax_v, ax_g) = new_figure(2, width_in=9.0, height_in=3.3, detached=True)
        rest = neuro.simulate_membrane(0.0, 0.0)
        (self.voltage_line,) = ax_v.plot(rest.time_ms, rest.voltage_mv, color=PALETTE["blue"], lw=1.8,
                                         label="membrane potential")
        (self.stimulus_line,) = ax_v.plot(rest.time_ms, rest.stimulus_ua_per_cm2 - 85.0, color=PALETTE["grey"],
                                          lw=1.2, label="stimulus (offset, µA/cm²)")
        ax_v.axhline(neuro.SPIKE_DETECTION_MV, color=PALETTE["grey"], lw=0.8, ls=":")
        ax_v.set(xlabel="time (ms)", ylabel="membrane potential (mV)", ylim=(-90, 60), xlim=(0, rest.time_ms[-1]),
                 title="Membrane potential")
        ax_v.legend(loc="upper right", fontsize=8)
        (self.gna_line,) = ax_g.plot(rest.time_ms, rest.sodium_conductance_ms_per_cm2, color=PALETTE["vermillion"],
                                     lw=1.6, label="g Na")
        (self.gk_line,) = ax_g.plot(rest.time_ms, rest.potassium_conductance_ms_per_cm2, color=PALETTE["green"],
                                    lw=1.6, label="g K")
        ax_g.set(xlabel="time (ms)", ylabel="conductance (mS/cm²)", ylim=(0, 45), xlim=(0, rest.time_ms[-1]),
                 title="Sodium and potassium conductance")
        ax_g.legend(loc="upper right", fontsize=8)
        self.axes = (ax_v, ax_g)
        super().__init__(controls, figure, [self.voltage_line, self.stimulus_line, self.gna_line, self.gk_line])

    def update(self, *, stimulus_ua_per_cm2: float, stimulus_duration_ms: float, temperature_c: float,
               sodium_block_fraction: float) -> str:
        response = neuro.simulate_membrane(stimulus_ua_per_cm2, stimulus_duration_ms, temperature_c=temperature_c,
                                           sodium_block_fraction=sodium_block_fraction)
        self.voltage_line.set_data(response.time_ms, response.voltage_mv)
        self.stimulus_line.set_data(response.time_ms, response.stimulus_ua_per_cm2 / 2.0 - 85.0)
        self.gna_line.set_data(response.time_ms, response.sodium_conductance_ms_per_cm2)
        self.gk_line.set_data(response.time_ms, response.potassium_conductance_ms_per_cm2)
        self.response = response
        if response.fired:
            return (f"<b style='color:{PALETTE['green']}'>Action potential</b>: peak {response.peak_mv:.1f} mV, "
                    f"width above 0 mV {response.spike_width_ms:.2f} ms")
        return (f"<b style='color:{PALETTE['vermillion']}'>No action potential</b>: peak {response.peak_mv:.1f} mV "
                f"(subthreshold)")


def membrane_explorer(**initial: float) -> MembraneExplorer:
    """The lesson's Hodgkin-Huxley membrane model with its sliders."""
    return MembraneExplorer(**initial)


# --------------------------------------------------------------------------------------------
# Axon (cable) with a blocked segment
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _cached_axon(sodium_block_fraction: float, blocked_length_cm: float, temperature_c: float) -> neuro.AxonResponse:
    return neuro.simulate_axon(sodium_block_fraction=sodium_block_fraction, blocked_length_cm=blocked_length_cm,
                               temperature_c=temperature_c)


class AxonBlockExplorer(Explorer):
    """Send an impulse along an axon through a segment bathed in local anaesthetic."""

    RECORDING_POSITIONS_CM = (1.0, 3.0, 5.0)

    def __init__(self, *, sodium_block_fraction: float = 0.8, blocked_length_cm: float = 1.0,
                 temperature_c: float = 18.5) -> None:
        controls = {
            "sodium_block_fraction": _slider("Na⁺ channels blocked", sodium_block_fraction, 0.0, 1.0, 0.05,
                                             continuous=False),
            "blocked_length_cm": _slider("Length exposed (cm)", blocked_length_cm, 0.0, 2.5, 0.25, continuous=False),
            "temperature_c": _slider("Temperature (°C)", temperature_c, 5.0, 25.0, 0.5, continuous=False,
                                     readout_format=".1f"),
        }
        figure, (ax_map, ax_traces) = new_figure(2, width_in=9.0, height_in=3.4, detached=True)
        response = _cached_axon(sodium_block_fraction, 0.0, temperature_c)
        self.space_time = plot_axon_space_time(response, ax_map)
        ax_map.set_title("Impulse along the axon")
        figure.colorbar(self.space_time, ax=ax_map, label="mV")
        self.trace_lines = plot_axon_snapshot(response, ax_traces, recording_positions_cm=self.RECORDING_POSITIONS_CM)
        ax_traces.legend(self.trace_lines, [f"{x:.0f} cm" + (" (mid-axon, in any block)" if x == 3.0 else "")
                                            for x in self.RECORDING_POSITIONS_CM], loc="upper right", fontsize=8)
        ax_traces.set_title("Recordings before, in and after the block")
        self.axes = (ax_map, ax_traces)
        self.span = ax_map.axvspan(2.5, 3.5, color=PALETTE["sky"], alpha=0.35, lw=0)
        super().__init__(controls, figure, [self.space_time, self.span, *self.trace_lines])

    def update(self, *, sodium_block_fraction: float, blocked_length_cm: float, temperature_c: float) -> str:
        response = _cached_axon(round(sodium_block_fraction, 4), round(blocked_length_cm, 4), round(temperature_c, 2))
        self.space_time.set_data(response.voltage_mv)
        if response.blocked.any():
            blocked = response.position_cm[response.blocked]
            self.span.set_x(blocked[0])
            self.span.set_width(blocked[-1] - blocked[0])
            self.span.set_visible(True)
        else:
            self.span.set_visible(False)
        for line, position in zip(self.trace_lines, self.RECORDING_POSITIONS_CM):
            index = int(np.argmin(np.abs(response.position_cm - position)))
            line.set_data(response.time_ms, response.voltage_mv[:, index])
        self.response = response
        if response.conducted:
            velocity = response.conduction_velocity_m_per_s(1.0, 2.0)
            return (f"<b style='color:{PALETTE['vermillion']}'>Impulse got through</b> the blocked segment "
                    f"(velocity before it {velocity:.1f} m/s)")
        return f"<b style='color:{PALETTE['green']}'>Conduction blocked</b>: the impulse dies in the exposed segment"


def axon_block_explorer(**initial: float) -> AxonBlockExplorer:
    """The lesson's cable model of a nerve block with its sliders."""
    return AxonBlockExplorer(**initial)


# --------------------------------------------------------------------------------------------
# Self-check questions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A multiple-choice question with feedback for every option."""

    text: str
    options: Sequence[str]
    correct: int
    feedback: Sequence[str]

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise ValueError("a question needs at least two options")
        if len(self.feedback) != len(self.options):
            raise ValueError("give one feedback text per option")
        if not 0 <= self.correct < len(self.options):
            raise ValueError(f"correct must index an option (0..{len(self.options) - 1}), got {self.correct}")


LETTERS = "ABCDEFGH"


class SelfCheck:
    """Questions with immediate feedback in JupyterLab; collapsible answers in the book."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = list(questions)
        self.widget = widgets.VBox([self._question_widget(number, q) for number, q in enumerate(self.questions, 1)])

    @staticmethod
    def _question_widget(number: int, question: Question) -> widgets.Widget:
        choices = widgets.RadioButtons(options=[(f"{LETTERS[i]}. {o}", i) for i, o in enumerate(question.options)],
                                       value=None, layout=widgets.Layout(width="max-content"))
        feedback = widgets.HTML()

        def on_choice(change: Mapping[str, Any]) -> None:
            feedback.value = SelfCheck.feedback_html(question, change["new"])

        choices.observe(on_choice, names="value")
        prompt = widgets.HTML(f"<p><b>{number}.</b> {html.escape(question.text)}</p>")
        return widgets.VBox([prompt, choices, feedback])

    @staticmethod
    def feedback_html(question: Question, chosen: int | None) -> str:
        if chosen is None:
            return ""
        verdict = "Correct." if chosen == question.correct else "Not quite."
        colour = PALETTE["green"] if chosen == question.correct else PALETTE["vermillion"]
        return f"<p><b style='color:{colour}'>{verdict}</b> {html.escape(question.feedback[chosen])}</p>"

    def to_html(self) -> str:
        """The book's version: each question with its options, and the answer in a collapsible block."""
        parts = []
        for number, question in enumerate(self.questions, 1):
            options = "".join(f"<li>{html.escape(option)}</li>" for option in question.options)
            explanations = "".join(
                f"<li><b>{LETTERS[i]}</b>{' (correct)' if i == question.correct else ''}: {html.escape(text)}</li>"
                for i, text in enumerate(question.feedback))
            parts.append(
                f"<div class='painlab-selfcheck'><p><b>{number}.</b> {html.escape(question.text)}</p>"
                f"<ol type='A'>{options}</ol>"
                f"<details><summary>Show the answer</summary><p>Answer: <b>{LETTERS[question.correct]}</b></p>"
                f"<ul>{explanations}</ul></details></div>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = f"<SelfCheck: {len(self.questions)} questions>"
        return bundle


def self_check(questions: Sequence[Question]) -> SelfCheck:
    return SelfCheck(questions)


SELF_CHECK_DIRECTORY = Path(__file__).parent / "data" / "selfchecks"


def load_questions(lesson: str) -> list[Question]:
    """The self-check questions of a lesson, from ``painlab/data/selfchecks/<lesson>.yml``."""
    path = SELF_CHECK_DIRECTORY / f"{lesson}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in SELF_CHECK_DIRECTORY.glob("*.yml"))
        raise ValueError(f"no self-check for lesson {lesson!r}; known lessons: {', '.join(known)}")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for number, entry in enumerate(entries, 1):
        texts = [entry.get("text"), *entry.get("options", []), *entry.get("feedback", [])]
        if not all(isinstance(text, str) for text in texts):
            raise ValueError(f"{path.name}, question {number}: every text, option and feedback must be a string "
                             "(quote any that contain ': ')")
    return [Question(text=e["text"], options=e["options"], correct=e["correct"], feedback=e["feedback"])
            for e in entries]


def lesson_self_check(lesson: str) -> SelfCheck:
    """The self-check of a lesson: interactive in JupyterLab, collapsible answers in the book."""
    return SelfCheck(load_questions(lesson))


def close_figures(*explorers: Explorer) -> None:
    """Release the figures held by explorers (each keeps one open figure)."""
    for explorer in explorers:
        plt.close(explorer.figure)



# --------------------------------------------------------------------------------------------
# Module 01 explorers: dermatomes, evidence, pharmacology, imaging
# --------------------------------------------------------------------------------------------


def _dropdown(description: str, options: Sequence[Any], value: Any) -> widgets.Dropdown:
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "170px"}, layout=widgets.Layout(width="100%"))


class DermatomeExplorer(Explorer):
    """Pick a symptom location: see the segment, its key muscle, where its nerve exits, and what would block it."""

    def __init__(self, *, segment: str = "S1") -> None:
        from painlab.reference.anatomy import KEY_SENSORY_POINTS, SEGMENT_ORDER, SYMPATHETIC_TARGETS

        options = [(f"{point} ({seg})", seg) for seg, point in KEY_SENSORY_POINTS.items()]
        controls = {"segment": _dropdown("Symptom location", options, segment)}
        figure, (ax,) = new_figure(1, width_in=6.0, height_in=7.0, detached=True)
        self.order = list(SEGMENT_ORDER)
        count = len(self.order)
        for row, name in enumerate(self.order):
            y = count - row
            ax.add_patch(mpl_patches.FancyBboxPatch((0.0, y - 0.42), 1.0, 0.84, boxstyle="round,pad=0.02",
                                                     facecolor="#f2f2f2", edgecolor=PALETTE["grey"], lw=0.6))
            ax.text(0.5, y, name, ha="center", va="center", fontsize=8)
        for target in SYMPATHETIC_TARGETS.values():
            first = target.level.split("-")[0].replace("sacrococcygeal junction", "S4-5")
            if first in self.order:
                y = count - self.order.index(first)
            else:
                y = 0.6
            ax.annotate(f"{target.name} ({target.level})", (1.05, y), xytext=(1.45, y), fontsize=8, va="center",
                        color=PALETTE["purple"], arrowprops={"arrowstyle": "-", "color": PALETTE["purple"]})
        self.highlight = mpl_patches.FancyBboxPatch((0.0, 0.0), 1.0, 0.84, boxstyle="round,pad=0.02",
                                                    facecolor=PALETTE["orange"], edgecolor=PALETTE["vermillion"], lw=1.5)
        ax.add_patch(self.highlight)
        self.highlight_label = ax.text(0.5, 0.0, "", ha="center", va="center", fontsize=9, fontweight="bold")
        self.note = ax.text(-0.15, 0.0, "", ha="right", va="center", fontsize=8, color=PALETTE["vermillion"])
        ax.set_xlim(-2.6, 3.6)
        ax.set_ylim(0, count + 1)
        ax.axis("off")
        ax.set_title("Spinal segments (schematic), with sympathetic block targets")
        super().__init__(controls, figure, [self.highlight, self.highlight_label, self.note])

    def update(self, *, segment: str) -> str:
        from painlab import neuro
        from painlab.reference.anatomy import KEY_MUSCLES

        y = len(self.order) - self.order.index(segment)
        self.highlight.set_y(y - 0.42)
        self.highlight_label.set_position((0.5, y))
        self.highlight_label.set_text(segment)
        self.note.set_position((-0.15, y))
        self.note.set_text("exits: " + neuro.exit_foramen(segment).replace(" intervertebral foramen", "").split(",")[0])
        muscle = KEY_MUSCLES.get(segment, "no key muscle tested at this level")
        targets = (f"the {segment} spinal nerve and its dorsal root ganglion at the {neuro.exit_foramen(segment)} "
                   f"(transforaminal injection, selective nerve root block)")
        return (f"<b>{segment}</b>: key point {neuro.key_sensory_point(segment)}; key muscle: {muscle}.<br>"
                f"Would be blocked at: {targets}.")


def dermatome_explorer(**initial: str) -> DermatomeExplorer:
    return DermatomeExplorer(**initial)


class RegressionToMeanExplorer(Explorer):
    """A virtual trial: how noise, selection, placebo and recovery make an ineffective treatment look effective."""

    def __init__(self, *, measurement_sd_nrs: float = 1.5, enrolment_threshold_nrs: float = 7.0,
                 placebo_response_nrs: float = 1.0, natural_recovery_nrs: float = 0.5,
                 true_treatment_effect_nrs: float = 0.0) -> None:
        controls = {
            "measurement_sd_nrs": _slider("Rating noise (SD, points)", measurement_sd_nrs, 0.0, 3.0, 0.1),
            "enrolment_threshold_nrs": _slider("Enrol if NRS ≥", enrolment_threshold_nrs, 0.0, 9.0, 1.0,
                                               readout_format=".0f"),
            "placebo_response_nrs": _slider("Placebo response (points)", placebo_response_nrs, 0.0, 3.0, 0.1),
            "natural_recovery_nrs": _slider("Natural recovery (points)", natural_recovery_nrs, 0.0, 3.0, 0.1),
            "true_treatment_effect_nrs": _slider("True treatment effect", true_treatment_effect_nrs, 0.0, 3.0, 0.1),
        }
        figure, (ax_hist, ax_bar) = new_figure(2, width_in=9.0, height_in=3.4, detached=True)
        bins = np.arange(-0.5, 11.0, 1.0)
        self.bins = bins
        self.before_bars = ax_hist.bar(np.arange(11) - 0.2, np.zeros(11), width=0.4, color=PALETTE["vermillion"],
                                       label="at enrolment")
        self.after_bars = ax_hist.bar(np.arange(11) + 0.2, np.zeros(11), width=0.4, color=PALETTE["blue"],
                                      label="at follow-up")
        ax_hist.set(xlabel="pain rating (NRS 0-10)", ylabel="share of enrolled patients", ylim=(0, 0.6),
                    xticks=range(11), title="Treated group: before and after")
        ax_hist.legend(loc="upper left", fontsize=8)
        labels = ["before-after\n(treated only)", "treated arm", "control arm", "difference\n(the effect)"]
        self.change_bars = ax_bar.bar(range(4), np.zeros(4), color=[PALETTE["vermillion"], PALETTE["blue"],
                                                                    PALETTE["grey"], PALETTE["green"]])
        ax_bar.axhline(0, color="black", lw=0.8)
        ax_bar.set(xticks=range(4), ylim=(-4.5, 1.0), ylabel="mean change in NRS (negative = better)",
                   title="What each design would report")
        ax_bar.set_xticklabels(labels, fontsize=8)
        self.value_labels = [ax_bar.text(i, 0.2, "", ha="center", fontsize=8) for i in range(4)]
        super().__init__(controls, figure, [*self.before_bars, *self.after_bars, *self.change_bars, *self.value_labels])

    def update(self, **values: float) -> str:
        from painlab import evidence

        trial = evidence.simulate_controlled_trial(patients_screened=4000, **values)
        treated = trial.treated
        before = np.histogram(treated.baseline_nrs, bins=self.bins)[0] / treated.enrolled
        after = np.histogram(treated.follow_up_nrs, bins=self.bins)[0] / treated.enrolled
        for bar, height in zip(self.before_bars, before):
            bar.set_height(height)
        for bar, height in zip(self.after_bars, after):
            bar.set_height(height)
        changes = [treated.mean_change, treated.mean_change, trial.control.mean_change,
                   trial.between_group_difference_nrs]
        for bar, label, change in zip(self.change_bars, self.value_labels, changes):
            bar.set_height(change)
            label.set_text(f"{change:+.1f}")
            label.set_y(change - 0.35 if change < 0 else change + 0.1)
        return (f"{treated.enrolled} of {treated.screened} screened patients enrolled. Before-after change "
                f"<b>{treated.mean_change:+.2f}</b>; controlled difference <b>{trial.between_group_difference_nrs:+.2f}"
                f"</b> (true effect of the treatment: {values['true_treatment_effect_nrs']:.1f} points).")


def regression_to_mean_explorer(**initial: float) -> RegressionToMeanExplorer:
    return RegressionToMeanExplorer(**initial)


class DosePlannerExplorer(Explorer):
    """Plan a local anaesthetic injection: dose against the label maximum; unsafe plans are refused."""

    PERCENTS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)

    def __init__(self, *, drug: str = "lidocaine", percent: float = 1.0, volume_ml: float = 20.0,
                 weight_kg: float = 70.0, with_epinephrine: bool = False) -> None:
        from painlab import pharmacology

        controls = {
            "drug": _dropdown("Local anaesthetic", list(pharmacology.DOSE_CALCULATOR_ANAESTHETICS), drug),
            "percent": _dropdown("Concentration (%)", list(self.PERCENTS), percent),
            "volume_ml": _slider("Volume (mL)", volume_ml, 1.0, 80.0, 0.5, readout_format=".1f"),
            "weight_kg": _slider("Weight (kg)", weight_kg, 30.0, 150.0, 1.0, readout_format=".0f"),
            "with_epinephrine": widgets.Checkbox(value=with_epinephrine, description="With epinephrine",
                                                 style={"description_width": "170px"}),
        }
        figure, (ax_dose, ax_volume) = new_figure(2, width_in=9.0, height_in=3.2, detached=True)
        self.dose_bar = ax_dose.barh([0], [0.0], color=PALETTE["blue"], height=0.5)[0]
        self.limit_line = ax_dose.axvline(0.0, color=PALETTE["vermillion"], lw=2)
        self.dose_text = ax_dose.text(0.0, 0.45, "", fontsize=9)
        ax_dose.set(xlim=(0, 1100), ylim=(-0.6, 0.8), yticks=[], xlabel="dose (mg)",
                    title="Planned dose (bar) and maximum (red line)")
        weights = np.arange(30.0, 151.0, 1.0)
        self.weights = weights
        (self.volume_curve,) = ax_volume.plot(weights, np.zeros_like(weights), color=PALETTE["vermillion"],
                                              label="maximum volume")
        (self.plan_point,) = ax_volume.plot([70.0], [20.0], "o", color=PALETTE["blue"], ms=8, label="this plan")
        ax_volume.set(xlabel="weight (kg)", ylabel="volume (mL)", ylim=(0, 120), xlim=(30, 150),
                      title="Largest safe volume of this solution")
        ax_volume.legend(loc="upper left", fontsize=8)
        super().__init__(controls, figure, [self.dose_bar, self.limit_line, self.dose_text, self.volume_curve,
                                            self.plan_point])

    def update(self, *, drug: str, percent: float, volume_ml: float, weight_kg: float, with_epinephrine: bool) -> str:
        from painlab import pharmacology

        dose = pharmacology.mg_per_ml(percent) * volume_ml
        limit = pharmacology.max_dose_mg(drug, weight_kg, with_epinephrine)
        self.dose_bar.set_width(dose)
        self.dose_bar.set_color(PALETTE["blue"] if dose <= limit else PALETTE["vermillion"])
        self.limit_line.set_xdata([limit, limit])
        self.dose_text.set_text(f"{dose:g} mg of {limit:g} mg ({dose / limit:.0%})")
        self.volume_curve.set_ydata([pharmacology.max_volume_ml(drug, percent, w, with_epinephrine)
                                     for w in self.weights])
        self.plan_point.set_data([weight_kg], [volume_ml])
        try:
            plan = pharmacology.plan_injection(drug, percent, volume_ml, weight_kg, with_epinephrine)
        except pharmacology.UnsafePlanError as refusal:
            return f"<b style='color:{PALETTE['vermillion']}'>Refused</b>: {html.escape(str(refusal))}"
        return (f"<b style='color:{PALETTE['green']}'>Within the label maximum</b>: {plan.dose_mg:g} mg is "
                f"{plan.fraction_of_max:.0%} of {plan.max_dose_mg:g} mg. Toxicity can still occur below it "
                f"(intravascular injection, other doses).")


def dose_planner_explorer(**initial: Any) -> DosePlannerExplorer:
    return DosePlannerExplorer(**initial)


class EpiduralKineticsExplorer(Explorer):
    """Plasma concentration after an epidural injection of lidocaine or bupivacaine (Burm et al. 1987)."""

    def __init__(self, *, drug: str = "lidocaine", dose_mg: float = 300.0) -> None:
        controls = {
            "drug": _dropdown("Drug", ["lidocaine", "bupivacaine"], drug),
            "dose_mg": _slider("Epidural dose (mg)", dose_mg, 25.0, 500.0, 25.0, readout_format=".0f"),
        }
        figure, (ax,) = new_figure(1, width_in=7.0, height_in=3.2, detached=True)
        self.times = np.arange(0.0, 361.0, 2.0)
        (self.curve,) = ax.plot(self.times, np.zeros_like(self.times), color=PALETTE["blue"], lw=2)
        (self.peak,) = ax.plot([0.0], [0.0], "o", color=PALETTE["vermillion"])
        ax.set(xlabel="time after injection (min)", ylabel="plasma concentration (µg/mL)", ylim=(0, 3.0),
               xlim=(0, 360), title="Epidural absorption and elimination (one-compartment teaching model)")
        super().__init__(controls, figure, [self.curve, self.peak])

    def update(self, *, drug: str, dose_mg: float) -> str:
        from painlab import pharmacology

        concentration = pharmacology.epidural_plasma_concentration_mcg_per_ml(drug, dose_mg, self.times)
        index = int(np.argmax(concentration))
        self.curve.set_ydata(concentration)
        self.peak.set_data([self.times[index]], [concentration[index]])
        return (f"{drug}, {dose_mg:g} mg: peak {concentration[index]:.2f} µg/mL at about "
                f"{self.times[index]:.0f} min in this model.")


def epidural_kinetics_explorer(**initial: Any) -> EpiduralKineticsExplorer:
    return EpiduralKineticsExplorer(**initial)


class CArmExplorer(Explorer):
    """Rotate and tilt a C-arm around a schematic lumbar vertebra with a needle aimed at a medial branch."""

    def __init__(self, *, oblique_deg: float = 0.0, tilt_deg: float = 0.0) -> None:
        from painlab import imaging

        controls = {
            "oblique_deg": _slider("Oblique (°, + to patient's left)", oblique_deg, -60.0, 60.0, 1.0,
                                   readout_format=".0f"),
            "tilt_deg": _slider("Cranio-caudal tilt (°)", tilt_deg, -30.0, 30.0, 1.0, readout_format=".0f"),
        }
        self.parts = imaging.schematic_lumbar_vertebra()
        self.needle = np.array([imaging.MEDIAL_BRANCH_ENTRY_RIGHT_MM, imaging.MEDIAL_BRANCH_TARGET_RIGHT_MM])
        figure, (ax_view, ax_axial) = new_figure(2, width_in=9.0, height_in=4.0, detached=True)
        colours = {"pedicle": PALETTE["orange"], "superior articular": PALETTE["green"],
                   "transverse": PALETTE["purple"], "body": PALETTE["grey"], "inferior articular": PALETTE["sky"]}
        self.part_lines = {}
        for name in self.parts:
            colour = next((c for key, c in colours.items() if key in name), PALETTE["black"])
            (line,) = ax_view.plot([], [], color=colour, lw=1.6)
            self.part_lines[name] = line
        (self.needle_line,) = ax_view.plot([], [], color=PALETTE["vermillion"], lw=2.5, label="needle")
        (self.tip,) = ax_view.plot([], [], "o", color=PALETTE["vermillion"], ms=6)
        ax_view.set(xlim=(-90, 90), ylim=(-70, 70), aspect="equal", title="Fluoroscopic view (detector, mm)")
        ax_view.text(-85, 62, "patient's right", fontsize=8, color=PALETTE["grey"])
        ax_view.text(85, 62, "left", fontsize=8, color=PALETTE["grey"], ha="right")
        ax_view.set_xticks([])
        ax_view.set_yticks([])
        ax_view.legend(loc="lower right", fontsize=8)
        for name, points in self.parts.items():
            ax_axial.plot(points[:, 0], points[:, 1], color=PALETTE["grey"], lw=1)
        ax_axial.plot(self.needle[:, 0], self.needle[:, 1], color=PALETTE["vermillion"], lw=2.5)
        self.beam_arrow = ax_axial.annotate("", xy=(0, 60), xytext=(0, -80),
                                            arrowprops={"arrowstyle": "->", "color": PALETTE["blue"], "lw": 2})
        ax_axial.set(xlim=(-90, 90), ylim=(-90, 70), aspect="equal", xlabel="patient's right  ←  x (mm)  →  left",
                     ylabel="posterior  ←  y  →  anterior", title="Seen from above: beam (blue) and needle")
        super().__init__(controls, figure, [*self.part_lines.values(), self.needle_line, self.tip, self.beam_arrow])

    def update(self, *, oblique_deg: float, tilt_deg: float) -> str:
        from painlab import imaging

        carm = imaging.CArm(oblique_deg=oblique_deg, tilt_deg=tilt_deg)
        for name, points in self.parts.items():
            projected = imaging.project_points(points, carm)
            self.part_lines[name].set_data(projected[:, 0], projected[:, 1])
        needle = imaging.project_points(self.needle, carm)
        self.needle_line.set_data(needle[:, 0], needle[:, 1])
        self.tip.set_data([needle[1, 0]], [needle[1, 1]])
        beam, _, _ = carm.axes()
        start = -90.0 * beam[:2] / max(np.linalg.norm(beam[:2]), 1e-9)
        self.beam_arrow.xy = tuple(-start * 0.65)
        self.beam_arrow.set_position(tuple(start))
        length = float(np.linalg.norm(needle[1] - needle[0]))
        coaxial_oblique, coaxial_tilt = imaging.needle_axis_angles(*self.needle)
        return (f"Needle projects to {length:.0f} mm on the detector. Down-the-beam (tunnel) view of this needle: "
                f"oblique {coaxial_oblique:.0f}°, tilt {coaxial_tilt:.0f}°.")


def carm_explorer(**initial: float) -> CArmExplorer:
    return CArmExplorer(**initial)


class OperatorDoseExplorer(Explorer):
    """Time, distance and shielding: the operator's dose from scatter during one screening."""

    def __init__(self, *, scatter_rate_usv_per_h_at_1m: float = 1000.0, screening_time_min: float = 2.0,
                 distance_m: float = 1.0, shielding_transmission: float = 1.0) -> None:
        controls = {
            "scatter_rate_usv_per_h_at_1m": _slider("Illustrative scatter at 1 m (µSv/h)", scatter_rate_usv_per_h_at_1m, 100.0,
                                                    5000.0, 100.0, readout_format=".0f"),
            "screening_time_min": _slider("Screening time (min)", screening_time_min, 0.1, 10.0, 0.1),
            "distance_m": _slider("Distance from patient (m)", distance_m, 0.3, 3.0, 0.1),
            "shielding_transmission": _slider("Shielding transmission", shielding_transmission, 0.01, 1.0, 0.01),
        }
        figure, (ax,) = new_figure(1, width_in=7.0, height_in=3.2, detached=True)
        self.distances = np.linspace(0.3, 3.0, 100)
        (self.curve,) = ax.plot(self.distances, np.ones_like(self.distances), color=PALETTE["blue"], lw=2)
        (self.point,) = ax.plot([1.0], [1.0], "o", color=PALETTE["vermillion"], ms=8)
        ax.set(xlabel="distance from the patient (m)", ylabel="operator dose (µSv)", yscale="log", ylim=(0.01, 1e4),
               title="Dose for this screening against distance")
        super().__init__(controls, figure, [self.curve, self.point])

    def update(self, *, scatter_rate_usv_per_h_at_1m: float, screening_time_min: float, distance_m: float,
               shielding_transmission: float) -> str:
        from painlab import imaging

        doses = [imaging.operator_dose_usv(scatter_rate_usv_per_h_at_1m, screening_time_min, d, shielding_transmission)
                 for d in self.distances]
        dose = imaging.operator_dose_usv(scatter_rate_usv_per_h_at_1m, screening_time_min, distance_m,
                                         shielding_transmission)
        self.curve.set_ydata(doses)
        self.point.set_data([distance_m], [dose])
        return f"Operator dose for this screening: <b>{dose:.2f} µSv</b> at {distance_m:.1f} m."


def operator_dose_explorer(**initial: float) -> OperatorDoseExplorer:
    return OperatorDoseExplorer(**initial)


class UltrasoundExplorer(Explorer):
    """Frequency against resolution and penetration; needle angle against echo."""

    def __init__(self, *, frequency_mhz: float = 10.0, target_depth_cm: float = 2.0,
                 entry_distance_cm: float = 3.0) -> None:
        controls = {
            "frequency_mhz": _slider("Frequency (MHz)", frequency_mhz, 2.0, 15.0, 0.5, readout_format=".1f"),
            "target_depth_cm": _slider("Target depth (cm)", target_depth_cm, 0.5, 8.0, 0.1, readout_format=".1f"),
            "entry_distance_cm": _slider("Entry distance from probe (cm)", entry_distance_cm, 0.5, 8.0, 0.1,
                                         readout_format=".1f"),
        }
        figure, (ax_f, ax_a) = new_figure(2, width_in=9.0, height_in=3.3, detached=True)
        from painlab import imaging

        frequencies = np.linspace(2.0, 15.0, 100)
        ax_f.plot(frequencies, [imaging.penetration_depth_cm(f) for f in frequencies], color=PALETTE["blue"],
                  label="penetration depth (cm)")
        ax_f.plot(frequencies, [10 * imaging.axial_resolution_mm(f) for f in frequencies], color=PALETTE["green"],
                  label="axial resolution (mm × 10)")
        self.frequency_line = ax_f.axvline(frequency_mhz, color=PALETTE["vermillion"])
        ax_f.set(xlabel="frequency (MHz)", ylim=(0, 16), title="Resolution against penetration")
        ax_f.legend(loc="upper right", fontsize=8)
        angles = np.linspace(0.0, 60.0, 200)
        ax_a.plot(angles, [imaging.needle_echo_db(a) for a in angles], color=PALETTE["blue"])
        (self.angle_point,) = ax_a.plot([0.0], [0.0], "o", color=PALETTE["vermillion"], ms=8)
        ax_a.set(xlabel="needle angle to the skin (°)", ylabel="echo relative to a flat needle (dB)", ylim=(-25, 2),
                 title="In-plane needle visibility (schematic)")
        super().__init__(controls, figure, [self.frequency_line, self.angle_point])

    def update(self, *, frequency_mhz: float, target_depth_cm: float, entry_distance_cm: float) -> str:
        from painlab import imaging

        self.frequency_line.set_xdata([frequency_mhz, frequency_mhz])
        angle = imaging.insertion_angle_deg(target_depth_cm, entry_distance_cm)
        echo = imaging.needle_echo_db(angle)
        self.angle_point.set_data([angle], [echo])
        return (f"{frequency_mhz:g} MHz: penetration about {imaging.penetration_depth_cm(frequency_mhz):.1f} cm, axial "
                f"resolution {imaging.axial_resolution_mm(frequency_mhz):.2f} mm. Needle at {angle:.0f}° to the skin: "
                f"echo {echo:.0f} dB relative to a flat needle.")


def ultrasound_explorer(**initial: float) -> UltrasoundExplorer:
    return UltrasoundExplorer(**initial)


# --------------------------------------------------------------------------------------------
# Module 02: radiofrequency lesion (Pennes bioheat) and spinal cord stimulation (field model)
# --------------------------------------------------------------------------------------------


class RFLesionExplorer(Explorer):
    """Heat tissue around a radiofrequency electrode: the temperature map, the lesion and its growth."""

    @staticmethod
    def default_temperature_c(mode: str) -> float:
        """The generator setting the course cites for each mode (painlab.reference.rf.SETTINGS)."""
        from painlab.reference import rf as rf_ref

        return rf_ref.SETTINGS[mode].set_temperature_c.value
    R_VIEW_MM = 9.0

    def __init__(self, *, mode: str = "conventional", set_temperature_c: float | None = None,
                 duration_s: float = 90.0, gauge: int = 18, active_tip_mm: float = 10.0) -> None:
        from painlab import rf
        from painlab.reference import rf as rf_ref

        self._rf, self._ref = rf, rf_ref
        temperature = self.default_temperature_c(mode) if set_temperature_c is None else set_temperature_c
        low, high = rf_ref.SET_TEMPERATURE_RANGE_C[mode]
        controls = {
            "mode": _dropdown("Mode", list(rf.MODES), mode),
            "set_temperature_c": _slider("Set temperature (°C)", temperature, low, high, 1.0, readout_format=".0f"),
            "duration_s": _slider("Time (s)", duration_s, 5.0, rf.MAX_DURATION_S, 5.0, readout_format=".0f"),
            "gauge": _dropdown("Needle gauge", sorted(rf_ref.GAUGE_OUTER_DIAMETER_MM, reverse=True), gauge),
            "active_tip_mm": _slider("Active tip (mm)", active_tip_mm, 4.0, 15.0, 1.0, readout_format=".0f"),
        }
        controls["mode"].observe(self._on_mode, names="value")
        figure, (ax_map, ax_time) = new_figure(2, width_in=9.5, height_in=3.6, detached=True)
        self.z_view = np.linspace(-8.0, 23.0, 250)
        self.r_view = np.linspace(-self.R_VIEW_MM, self.R_VIEW_MM, 145)
        self.heat_map = ax_map.imshow(np.full((self.r_view.size, self.z_view.size), 37.0), origin="lower",
                                   extent=(self.z_view[0], self.z_view[-1], self.r_view[0], self.r_view[-1]),
                                   cmap="inferno", vmin=37.0, vmax=95.0, aspect="equal", interpolation="bilinear")
        figure.colorbar(self.heat_map, ax=ax_map, label="temperature (°C)", shrink=0.85)
        (self.boundary,) = ax_map.plot([], [], color=PALETTE["sky"], lw=1.8, label="lesion (≥ 50 °C)")
        self.shaft = mpl_patches.Rectangle((-30.0, -0.5), 30.0, 1.0, color=PALETTE["grey"], zorder=3)
        self.tip = mpl_patches.Rectangle((0.0, -0.5), 10.0, 1.0, color="white", zorder=3)
        ax_map.add_patch(self.shaft)
        ax_map.add_patch(self.tip)
        ax_map.set(xlabel="along the needle (mm; active tip from 0)", ylabel="across (mm)",
                   title="Temperature around the electrode", xlim=(self.z_view[0], self.z_view[-1]),
                   ylim=(self.r_view[0], self.r_view[-1]))
        ax_map.grid(False)
        ax_map.legend(loc="upper right", fontsize=8, labelcolor="white")
        (self.width_line,) = ax_time.plot([], [], color=PALETTE["blue"], lw=2, label="width (across)")
        (self.length_line,) = ax_time.plot([], [], color=PALETTE["green"], lw=2, label="length (along)")
        (self.width_point,) = ax_time.plot([], [], "o", color=PALETTE["blue"], ms=7)
        (self.length_point,) = ax_time.plot([], [], "o", color=PALETTE["green"], ms=7)
        ax_time.set(xlim=(0, rf.MAX_DURATION_S), ylim=(0, 26), xlabel="time (s)", ylabel="lesion size (mm)",
                    title="Lesion growth")
        ax_time.legend(loc="upper left", fontsize=8)
        super().__init__(controls, figure, [self.heat_map, self.boundary, self.shaft, self.tip, self.width_line,
                                            self.length_line, self.width_point, self.length_point])

    def _on_mode(self, change: Mapping[str, Any]) -> None:
        """A new mode brings its own temperature range and default (set before the redraw)."""
        slider = self.controls["set_temperature_c"]
        self._adjusting = True
        try:
            low, high = self._ref.SET_TEMPERATURE_RANGE_C[change["new"]]
            slider.min, slider.max = min(low, slider.min), max(high, slider.max)
            slider.value = self.default_temperature_c(change["new"])
            slider.min, slider.max = low, high
        finally:
            self._adjusting = False

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not getattr(self, "_adjusting", False):
            super()._on_change(change)

    def update(self, *, mode: str, set_temperature_c: float, duration_s: float, gauge: int,
               active_tip_mm: float) -> str:
        rf = self._rf
        lesion = rf.simulate_lesion(mode=mode, set_temperature_c=set_temperature_c, duration_s=duration_s,
                                    gauge=gauge, active_tip_mm=active_tip_mm)
        self.lesion = lesion
        z, r = np.meshgrid(self.z_view, self.r_view)
        self.heat_map.set_data(rf.temperature_at(lesion, np.abs(r), z))
        radius = self._ref.GAUGE_OUTER_DIAMETER_MM[gauge].value / 2
        self.shaft.set_bounds(-30.0, -radius, 30.0, 2 * radius)
        self.tip.set_bounds(0.0, -radius, active_tip_mm, 2 * radius)
        self.boundary.set_data(*self._boundary(lesion))
        self.width_line.set_data(lesion.time_s, lesion.width_history_mm)
        self.length_line.set_data(lesion.time_s, lesion.length_history_mm)
        self.width_point.set_data([duration_s], [lesion.width_mm])
        self.length_point.set_data([duration_s], [lesion.length_mm])
        if lesion.width_mm == 0:
            return (f"<b>No thermal lesion</b>: the hottest tissue reaches {lesion.peak_tissue_temperature_c:.1f} °C, "
                    f"below the {lesion.lethal_isotherm_c:.0f} °C lethal isotherm.")
        return (f"Lesion <b>{lesion.width_mm:.1f} mm</b> across × <b>{lesion.length_mm:.1f} mm</b> along "
                f"(volume {lesion.volume_mm3:.0f} mm³); hottest tissue {lesion.peak_tissue_temperature_c:.0f} °C.")

    def _boundary(self, lesion: Any) -> tuple[np.ndarray, np.ndarray]:
        """The lethal isotherm as a closed outline in the (z, ±r) view."""
        rf = self._rf
        tissue = np.nan_to_num(lesion.temperature_c, nan=-np.inf)
        radius = rf._last_crossings(lesion.r_mm, tissue, lesion.lethal_isotherm_c)
        rows = np.isfinite(radius)
        if not rows.any():
            return np.array([]), np.array([])
        z, r = lesion.z_mm[rows], radius[rows]
        return np.concatenate([z, z[::-1], z[:1]]), np.concatenate([r, -r[::-1], r[:1]])


def rf_lesion_explorer(**initial: Any) -> RFLesionExplorer:
    """The radiofrequency lesion model (Pennes bioheat) with its controls."""
    return RFLesionExplorer(**initial)


class SCSFieldExplorer(Explorer):
    """A lead over the dorsal columns: which fibres does the field excite first?"""

    def __init__(self, *, csf_thickness_mm: float = 3.0, contact_spacing_mm: float = 7.0,
                 configuration: str = "guarded", amplitude_multiple: float = 1.2) -> None:
        from painlab import neuromodulation

        self._nm = neuromodulation
        controls = {
            "csf_thickness_mm": _slider("Dorsal CSF thickness (mm)", csf_thickness_mm, 1.0, 8.0, 0.1,
                                        readout_format=".1f"),
            "contact_spacing_mm": _slider("Contact spacing (mm)", contact_spacing_mm, 3.0, 12.0, 0.5,
                                          readout_format=".1f"),
            "configuration": _dropdown("Configuration", list(neuromodulation.CONFIGURATIONS), configuration),
            "amplitude_multiple": _slider("Amplitude (× column threshold)", amplitude_multiple, 0.5, 3.0, 0.05),
        }
        figure, (ax_column, ax_root, ax_range) = new_figure(3, width_in=10.5, height_in=3.3, detached=True)
        (self.column_line,) = ax_column.plot([], [], color=PALETTE["blue"], lw=1.8, marker="o", ms=2.5)
        ax_column.axhline(1.0, color=PALETTE["vermillion"], lw=1, ls="--")
        ax_column.set(xlim=(-25, 25), ylim=(-1.5, 4.0), xlabel="along the cord (mm; cathode at 0)",
                      ylabel="drive ÷ firing threshold", title="Dorsal column fibre")
        (self.root_line,) = ax_root.plot([], [], color=PALETTE["green"], lw=1.8, marker="o", ms=2.5)
        ax_root.axhline(1.0, color=PALETTE["vermillion"], lw=1, ls="--")
        ax_root.set(xlim=(20, 0), ylim=(-1.5, 4.0), xlabel="distance to the root entry zone (mm)",
                    title="Dorsal root fibre")
        thickness = np.linspace(1.0, 8.0, 71)
        self.thickness = thickness
        (self.range_curve,) = ax_range.plot(thickness, np.ones_like(thickness), color=PALETTE["purple"], lw=2)
        (self.range_point,) = ax_range.plot([csf_thickness_mm], [1.0], "o", color=PALETTE["vermillion"], ms=7)
        ax_range.axhline(1.0, color=PALETTE["grey"], lw=1)
        ax_range.set(xlim=(1, 8), ylim=(0.3, 6), yscale="log", xlabel="dorsal CSF thickness (mm)",
                     ylabel="root ÷ column threshold", title="Therapeutic range")
        ax_range.set_yticks([0.5, 1, 2, 4], labels=["0.5", "1", "2", "4"])
        ax_range.minorticks_off()
        ax_range.text(1.2, 0.4, "roots fire first", fontsize=8, color=PALETTE["grey"])
        ax_range.text(1.2, 4.2, "columns fire first", fontsize=8, color=PALETTE["grey"])
        super().__init__(controls, figure, [self.column_line, self.root_line, self.range_curve, self.range_point])

    def update(self, *, csf_thickness_mm: float, contact_spacing_mm: float, configuration: str,
               amplitude_multiple: float) -> str:
        nm = self._nm
        result = nm.fibre_recruitment(csf_thickness_mm, contact_spacing_mm, configuration)
        # Current is expressed as a multiple of the dorsal column threshold; drive in units of the threshold.
        per_threshold = amplitude_multiple / result.dorsal_column.peak_drive_mv_per_ma
        column, root = result.dorsal_column, result.dorsal_root
        self.column_line.set_data(column.nodes_mm[:, 2], column.activating_mv_per_ma * per_threshold)
        self.root_line.set_data(root.nodes_mm[:, 0] - root.nodes_mm[-1, 0], root.activating_mv_per_ma * per_threshold)
        ratios = [nm.fibre_recruitment(t, contact_spacing_mm, configuration).threshold_ratio for t in self.thickness]
        self.range_curve.set_ydata(ratios)
        self.range_point.set_data([csf_thickness_mm], [result.threshold_ratio])
        fired = [name for name, fibre in (("dorsal columns", column), ("dorsal roots", root))
                 if fibre.peak_drive_mv_per_ma * per_threshold >= 1.0]
        fired_text = f"{' and '.join(fired)} fire" if fired else "no fibre fires"
        return (f"At {amplitude_multiple:.2f}× the column threshold, <b>{fired_text}</b>. Roots need "
                f"{result.threshold_ratio:.2f}× the column threshold: <b>{result.first_recruited}s fire first</b>.")


def scs_field_explorer(**initial: Any) -> SCSFieldExplorer:
    """The spinal cord stimulation field model with its controls."""
    return SCSFieldExplorer(**initial)


class DiagnosticBlockExplorer(Explorer):
    """100 patients, one or two diagnostic blocks: how many positives are true?"""

    def __init__(self, *, pretest_probability: float | None = None, false_positive_rate: float | None = None,
                 sensitivity: float | None = None, blocks: int = 1) -> None:
        from painlab.reference import evidence as block_reference

        pretest = block_reference.LUMBAR_FACET_PRETEST.value if pretest_probability is None else pretest_probability
        fpr = block_reference.SINGLE_BLOCK_FALSE_POSITIVE_RATE.value if false_positive_rate is None \
            else false_positive_rate
        sens = block_reference.ILLUSTRATIVE_BLOCK_SENSITIVITY.value if sensitivity is None else sensitivity
        controls = {
            "pretest_probability": _slider("Pre-test probability", pretest, 0.01, 0.9, 0.01),
            "false_positive_rate": _slider("Single-block false positives", fpr, 0.0, 0.6, 0.01),
            "sensitivity": _slider("Sensitivity (illustrative)", sens, 0.3, 1.0, 0.01),
            "blocks": _dropdown("Blocks (all positive)", [1, 2], blocks),
        }
        figure, (ax_counts, ax_curve) = new_figure(2, width_in=9.5, height_in=3.4, detached=True)
        labels = ["true\npositive", "false\npositive", "false\nnegative", "true\nnegative"]
        colours = [PALETTE["green"], PALETTE["vermillion"], PALETTE["orange"], PALETTE["sky"]]
        self.bars = ax_counts.bar(range(4), np.zeros(4), color=colours)
        self.bar_labels = [ax_counts.text(i, 0.0, "", ha="center", va="bottom", fontsize=9) for i in range(4)]
        ax_counts.set_xticks(range(4), labels=labels)
        ax_counts.set(ylim=(0, 105), ylabel="patients per 100", title="100 patients like this one")
        pretests = np.linspace(0.01, 0.9, 90)
        self.pretests = pretests
        (self.curve,) = ax_curve.plot(pretests, pretests, color=PALETTE["blue"], lw=2)
        ax_curve.plot([0, 1], [0, 1], color=PALETTE["grey"], lw=0.8, ls=":")
        (self.point,) = ax_curve.plot([pretest], [pretest], "o", color=PALETTE["vermillion"], ms=8)
        ax_curve.set(xlim=(0, 0.9), ylim=(0, 1), xlabel="pre-test probability",
                     ylabel="probability the source is real", title="After a positive result")
        super().__init__(controls, figure, [*self.bars, *self.bar_labels, self.curve, self.point])

    def update(self, *, pretest_probability: float, false_positive_rate: float, sensitivity: float,
               blocks: int) -> str:
        from painlab import evidence

        result = evidence.block_strategy_probabilities(pretest_probability, false_positive_rate, sensitivity, blocks)
        counts = (result.true_positives_per_100, result.false_positives_per_100, result.false_negatives_per_100,
                  result.true_negatives_per_100)
        for bar, label, count in zip(self.bars, self.bar_labels, counts):
            bar.set_height(count)
            label.set_text(f"{count:.1f}")
            label.set_y(count + 1.0)
        self.curve.set_ydata([evidence.block_strategy_probabilities(p, false_positive_rate, sensitivity, blocks)
                              .positive_predictive_value for p in self.pretests])
        self.point.set_data([pretest_probability], [result.positive_predictive_value])
        both = "both blocks" if blocks == 2 else "the block"
        return (f"Of {result.positives_per_100:.1f} patients per 100 positive on {both}, "
                f"{result.true_positives_per_100:.1f} truly have the source: probability "
                f"<b>{100 * result.positive_predictive_value:.0f} %</b>. Two blocks are modelled as independent, which is "
                f"optimistic.")


def diagnostic_block_explorer(**initial: Any) -> DiagnosticBlockExplorer:
    """Bayes for diagnostic blocks: single against dual blocks, per 100 patients."""
    return DiagnosticBlockExplorer(**initial)


class FacetFunnelExplorer(Explorer):
    """Select patients for facet denervation with 0, 1 or 2 blocks: who is treated, who succeeds, who is missed."""

    def __init__(self, *, pretest_probability: float | None = None, false_positive_rate: float | None = None,
                 sensitivity: float | None = None, success_if_source: float | None = None,
                 success_if_not: float | None = None) -> None:
        from painlab.reference import evidence as ref

        def default(value: float | None, reference: Any) -> float:
            return reference.value if value is None else value

        controls = {
            "pretest_probability": _slider("Pre-test probability (illustr.)", default(
                pretest_probability, ref.FACET_REFERRAL_PRETEST), 0.05, 0.9, 0.01),
            "false_positive_rate": _slider("Single-block false positives", default(
                false_positive_rate, ref.SINGLE_BLOCK_FALSE_POSITIVE_RATE), 0.0, 0.6, 0.01),
            "sensitivity": _slider("Block sensitivity (illustrative)", default(
                sensitivity, ref.ILLUSTRATIVE_BLOCK_SENSITIVITY), 0.3, 1.0, 0.01),
            "success_if_source": _slider("RF success if source (illustr.)", default(
                success_if_source, ref.SUCCESS_IF_SOURCE), 0.0, 1.0, 0.01),
            "success_if_not": _slider("RF 'success' if not (illustr.)", default(
                success_if_not, ref.SUCCESS_IF_NOT), 0.0, 1.0, 0.01),
        }
        figure, (ax_counts, ax_rate) = new_figure(2, width_in=9.5, height_in=3.4, detached=True)
        x = np.arange(3)
        self.treated_bars = ax_counts.bar(x - 0.27, np.zeros(3), width=0.27, color=PALETTE["sky"], label="denervated")
        self.success_bars = ax_counts.bar(x, np.zeros(3), width=0.27, color=PALETTE["green"], label="successes")
        self.missed_bars = ax_counts.bar(x + 0.27, np.zeros(3), width=0.27, color=PALETTE["orange"],
                                         label="true sources missed")
        ax_counts.set_xticks(x, labels=["no block", "one block", "two blocks"])
        ax_counts.set(ylim=(0, 105), ylabel="per 100 referred", title="Who is treated, who succeeds")
        ax_counts.legend(loc="upper right", fontsize=8)
        self.rate_bars = ax_rate.bar(x - 0.2, np.zeros(3), width=0.4, color=PALETTE["blue"], label="model")
        from painlab.reference import evidence as ref_data

        ax_rate.bar(x + 0.2, [arm.success_among_denervated for arm in ref_data.COHEN_2010_ARMS], width=0.4,
                    color=PALETTE["grey"], label="Cohen 2010 (reported)")
        ax_rate.set_xticks(x, labels=["no block", "one block", "two blocks"])
        ax_rate.set(ylim=(0, 1), ylabel="success among those denervated", title="Success rate after selection")
        ax_rate.legend(loc="upper left", fontsize=8)
        super().__init__(controls, figure, [*self.treated_bars, *self.success_bars, *self.missed_bars,
                                            *self.rate_bars])

    def update(self, *, pretest_probability: float, false_positive_rate: float, sensitivity: float,
               success_if_source: float, success_if_not: float) -> str:
        from painlab import evidence

        funnels = [evidence.selection_funnel(pretest_probability, false_positive_rate, sensitivity, success_if_source,
                                             success_if_not, blocks) for blocks in (0, 1, 2)]
        for i, funnel in enumerate(funnels):
            self.treated_bars[i].set_height(funnel.denervated_per_100)
            self.success_bars[i].set_height(funnel.successes_per_100)
            self.missed_bars[i].set_height(funnel.missed_sources_per_100)
            self.rate_bars[i].set_height(funnel.success_among_denervated)
        none, _, two = funnels
        return (f"Per 100 referred: no block treats 100 and {none.successes_per_100:.0f} succeed "
                f"({100 * none.success_among_denervated:.0f} %); two blocks treat {two.denervated_per_100:.0f} after "
                f"{two.blocks_per_100:.0f} blocks and {two.successes_per_100:.0f} succeed "
                f"(<b>{100 * two.success_among_denervated:.0f} %</b> of those treated), missing "
                f"{two.missed_sources_per_100:.1f} true sources.")


def facet_funnel_explorer(**initial: Any) -> FacetFunnelExplorer:
    """Selecting patients for facet denervation with 0, 1 or 2 blocks: the outcome per 100 referred."""
    return FacetFunnelExplorer(**initial)


class InfusionExplorer(Explorer):
    """Intravenous lidocaine or ketamine: bolus, rate and duration against the cited concentration bands."""

    def __init__(self, *, drug: str = "lidocaine", weight_kg: float = 70.0, bolus_mg_per_kg: float = 0.0,
                 rate_mg_per_kg_per_h: float = 5.0, duration_min: float = 60.0, target_mcg_per_ml: float = 2.0) -> None:
        from painlab import pharmacology

        controls = {
            "drug": _dropdown("Drug", list(pharmacology.INFUSION_DRUGS), drug),
            "weight_kg": _slider("Weight (kg)", weight_kg, 40.0, 150.0, 1.0, readout_format=".0f"),
            "bolus_mg_per_kg": _slider("Bolus (mg/kg)", bolus_mg_per_kg, 0.0, 3.0, 0.05),
            "rate_mg_per_kg_per_h": _slider("Infusion (mg/kg/h)", rate_mg_per_kg_per_h, 0.0, 10.0, 0.05),
            "duration_min": _slider("Infusion time (min)", duration_min, 0.0, 5760.0, 10.0, readout_format=".0f"),
            "target_mcg_per_ml": _slider("Target for rate (µg/mL)", target_mcg_per_ml, 0.05, 5.0, 0.05),
        }
        figure, (ax,) = new_figure(1, width_in=8.0, height_in=3.4, detached=True)
        self.ax = ax
        self.band = ax.axhspan(0.0, 0.0, color=PALETTE["orange"], alpha=0.25, lw=0)
        self.band_label = ax.text(0.01, 0.0, "", transform=ax.get_yaxis_transform(), fontsize=8, va="bottom")
        self.limit = ax.axhline(0.0, color=PALETTE["vermillion"], lw=1.0, ls="--")
        (self.curve,) = ax.plot([], [], color=PALETTE["blue"], lw=2)
        (self.peak,) = ax.plot([], [], "o", color=PALETTE["vermillion"])
        self.stop = ax.axvline(0.0, color=PALETTE["grey"], lw=0.8, ls=":")
        ax.set(xlabel="time (h)", ylabel="plasma concentration (µg/mL)",
               title="Two-compartment teaching model (not for dosing)")
        self._frame: tuple[str, float] | None = None
        super().__init__(controls, figure, [self.curve, self.peak, self.stop])

    def _set_frame(self, drug: str, end_h: float) -> None:
        """Axes and bands depend on the drug and the time span: redraw the static background when they change."""
        from painlab.reference import pharmacology as data

        if self._frame == (drug, end_h):
            return
        self._frame = (drug, end_h)
        band = data.CONCENTRATION_BANDS[drug][0]
        self.band.set_y(band.low_mcg_per_ml)
        self.band.set_height(band.high_mcg_per_ml - band.low_mcg_per_ml)
        secondary = " (secondary source)" if band.secondary else ""
        if drug == "lidocaine":
            top = 7.0
            self.limit.set_ydata([data.LIDOCAINE_UPPER_RANGE_MCG_PER_ML] * 2)
            self.limit.set_visible(True)
            text = f"minor side effects possible; dashed: upper end of textbook range{secondary}"
        else:
            top = 0.5
            self.limit.set_visible(False)
            text = "psychedelic effects rose across this range in volunteers"
        self.band_label.set_text(text)
        self.band_label.set_y(band.high_mcg_per_ml)
        self.ax.set(xlim=(0.0, end_h), ylim=(0.0, top))
        self._redraw_static_parts()

    def update(self, *, drug: str, weight_kg: float, bolus_mg_per_kg: float, rate_mg_per_kg_per_h: float,
               duration_min: float, target_mcg_per_ml: float) -> str:
        from painlab import pharmacology

        end_min = duration_min + 180.0
        self._set_frame(drug, end_min / 60.0)
        times = np.linspace(0.0, end_min, 600)
        concentration = pharmacology.infusion_plasma_concentration(drug, weight_kg, bolus_mg_per_kg,
                                                                   rate_mg_per_kg_per_h, duration_min, times)
        index = int(np.argmax(concentration))
        self.curve.set_data(times / 60.0, concentration)
        self.peak.set_data([times[index] / 60.0], [concentration[index]])
        self.stop.set_xdata([duration_min / 60.0] * 2)
        at_stop = float(pharmacology.infusion_plasma_concentration(drug, weight_kg, bolus_mg_per_kg,
                                                                   rate_mg_per_kg_per_h, duration_min,
                                                                   [duration_min])[0])
        rate = pharmacology.maintenance_rate_mg_per_h(drug, weight_kg, target_mcg_per_ml)
        peak = max(float(concentration[index]), at_stop)
        return (f"{drug}: peak <b>{peak:.2f} µg/mL</b> at {times[index]:.0f} min; "
                f"{at_stop:.2f} µg/mL when the infusion stops. To hold {target_mcg_per_ml:g} µg/mL: "
                f"{rate:.0f} mg/h ({rate / weight_kg:.2f} mg/kg/h). Teaching model; not for dosing.")


def infusion_explorer(**initial: Any) -> InfusionExplorer:
    """Plasma concentration of intravenous lidocaine or ketamine against the cited concentration bands."""
    return InfusionExplorer(**initial)



class IntrathecalRefillExplorer(Explorer):
    """An intrathecal pump's reservoir after a refill: daily volume, alarm date and empty date."""

    def __init__(self, *, filled_volume_ml: float = 20.0, concentration_mg_per_ml: float = 5.0,
                 daily_dose_mg: float = 1.5, low_reservoir_alarm_ml: float | None = None,
                 reservoir_capacity_ml: float = 20.0, refill_date: Any = None) -> None:
        from datetime import date

        from painlab.reference import intrathecal as ref

        alarm = ref.LOW_RESERVOIR_ALARM_ML.value if low_reservoir_alarm_ml is None else low_reservoir_alarm_ml
        self.refill_date = date(2026, 3, 2) if refill_date is None else refill_date
        controls = {
            "filled_volume_ml": _slider("Volume after refill (mL)", filled_volume_ml, 5.0, 40.0, 0.5),
            "concentration_mg_per_ml": _slider("Concentration (mg/mL)", concentration_mg_per_ml, 0.5, 25.0, 0.5),
            "daily_dose_mg": _slider("Daily dose (mg/day)", daily_dose_mg, 0.1, 20.0, 0.1),
            "low_reservoir_alarm_ml": _slider("Low-reservoir alarm (mL)", alarm, 1.0, 6.0, 0.5),
            "reservoir_capacity_ml": _dropdown("Reservoir (mL)", list(ref.RESERVOIR_SIZES_ML), reservoir_capacity_ml),
        }
        figure, (ax,) = new_figure(1, width_in=8.0, height_in=3.2, detached=True)
        self.ax = ax
        (self.line,) = ax.plot([], [], color=PALETTE["blue"], lw=2)
        self.alarm_line = ax.axhline(alarm, color=PALETTE["orange"], lw=1.2, ls="--")
        self.alarm_marker = ax.axvline(0.0, color=PALETTE["orange"], lw=1.2)
        self.empty_marker = ax.axvline(0.0, color=PALETTE["vermillion"], lw=1.2)
        self.alarm_text = ax.text(0.0, 0.0, "", fontsize=8, color=PALETTE["orange"], rotation=90, va="bottom",
                                  ha="right")
        self.empty_text = ax.text(0.0, 0.0, "", fontsize=8, color=PALETTE["vermillion"], rotation=90, va="bottom",
                                  ha="right")
        ax.set(ylim=(0, 42), xlabel=f"days after the refill on {self.refill_date:%d %b %Y}", ylabel="reservoir (mL)",
               title="Reservoir volume after a refill")
        from matplotlib.ticker import MaxNLocator
        ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))  # few tick labels: a new span redraws quickly
        figure.get_layout_engine().set(w_pad=0.12)  # room for the last day label when the span changes
        self._span_days: float | None = None
        super().__init__(controls, figure, [self.line, self.alarm_line, self.alarm_marker, self.empty_marker,
                                            self.alarm_text, self.empty_text])

    def update(self, *, filled_volume_ml: float, concentration_mg_per_ml: float, daily_dose_mg: float,
               low_reservoir_alarm_ml: float, reservoir_capacity_ml: float) -> str:
        from painlab import intrathecal

        if filled_volume_ml > reservoir_capacity_ml:
            self.line.set_visible(False)
            return (f"<b>{filled_volume_ml:g} mL does not fit a {reservoir_capacity_ml:g} mL reservoir.</b> "
                    "Lower the volume or choose the larger pump.")
        try:
            plan = intrathecal.plan_refill(filled_volume_ml, concentration_mg_per_ml, daily_dose_mg, self.refill_date,
                                           low_reservoir_alarm_ml, reservoir_capacity_ml)
        except ValueError as error:
            self.line.set_visible(False)
            return f"<b>Not a valid plan:</b> {error}"
        self.line.set_visible(True)
        span = float(min(max(30.0, 10.0 * np.ceil(plan.days_to_empty * 1.1 / 10.0)), 730.0))
        if span != self._span_days:
            self._span_days = span
            self.ax.set_xlim(0.0, span)
            self._redraw_static_parts(relayout=False)
        days = np.array([0.0, min(plan.days_to_empty, span)])
        self.line.set_data(days, filled_volume_ml - plan.daily_volume_ml * days)
        self.alarm_line.set_ydata([low_reservoir_alarm_ml] * 2)
        for marker, text, day, label in ((self.alarm_marker, self.alarm_text, plan.days_to_alarm,
                                          f"alarm {plan.alarm_date:%d %b}"),
                                         (self.empty_marker, self.empty_text, plan.days_to_empty,
                                          f"empty {plan.empty_date:%d %b}")):
            marker.set_xdata([day] * 2)
            text.set_position((day, 22.0))
            text.set_text(label)
        needed = intrathecal.concentration_for_interval(daily_dose_mg, 60, filled_volume_ml, low_reservoir_alarm_ml)
        return (f"{plan.daily_volume_ml:.2f} mL/day: alarm after {plan.days_to_alarm:.1f} days "
                f"(<b>{plan.alarm_date:%d %b %Y}</b>), empty after {plan.days_to_empty:.1f} days "
                f"({plan.empty_date:%d %b %Y}); refill by {plan.refill_by:%d %b %Y} at the latest. "
                f"For a 60-day interval at this dose: {needed:.2f} mg/mL. Drug-stability limits and maximum "
                f"concentrations were not verified here: check the pump manual, the label and the current guideline.")


def intrathecal_refill_explorer(**initial: Any) -> IntrathecalRefillExplorer:
    """Reservoir volume against days after a refill, with the low-reservoir alarm and empty dates."""
    return IntrathecalRefillExplorer(**initial)



def _show_own_numbers(preset: widgets.Dropdown, handler: Any, custom: str) -> None:
    """A learner moved a number by hand: show the preset menu as "your own numbers" without reloading a preset."""
    if preset.value != custom:
        preset.unobserve(handler, names="value")
        preset.value = custom
        preset.observe(handler, names="value")


class TrialExplorer(Explorer):
    """Responder counts of a two-arm trial: risk difference, NNT with its interval, Fisher's p and fragility."""

    CUSTOM = "your own numbers"

    def __init__(self, *, preset: str | None = None, excluded_or_lost: int | None = None) -> None:
        from painlab.reference import evidence as ref

        self.presets = {t.trial: t for t in ref.DEVICE_TRIALS}
        first = ref.DEVICE_TRIALS[0] if preset is None else self.presets[preset]
        if excluded_or_lost is None:
            excluded_or_lost = first.excluded_or_lost or 0

        def count(description: str, value: int, high: int) -> widgets.IntSlider:
            return widgets.IntSlider(value=value, min=0, max=high, description=description, continuous_update=True,
                                     style={"description_width": "170px"}, layout=widgets.Layout(width="100%"))

        controls = {
            "preset": _dropdown("Trial", [*self.presets, self.CUSTOM], first.trial),
            "events_treatment": count("Responders, treatment", first.events_treatment, 300),
            "n_treatment": count("Patients, treatment", first.n_treatment, 300),
            "events_control": count("Responders, control", first.events_control, 300),
            "n_control": count("Patients, control", first.n_control, 300),
            "excluded_or_lost": count("Excluded or lost", excluded_or_lost, 100),
        }
        figure, (ax_rates, ax_p) = new_figure(2, width_in=9.5, height_in=3.3, detached=True)
        self.rate_bars = ax_rates.bar([0, 1], [0, 0], color=[PALETTE["blue"], PALETTE["grey"]], width=0.6)
        self.rate_errors = [ax_rates.plot([i, i], [0, 0], color="black", lw=1.5)[0] for i in (0, 1)]
        self.rate_labels = [ax_rates.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in (0, 1)]
        ax_rates.set(xticks=[0, 1], ylim=(0, 1.12), ylabel="responders (95 % CI)", title="Responders per arm")
        ax_rates.set_xticklabels(["treatment", "control"])
        flips = np.arange(0, 21)
        self.flips = flips
        (self.p_curve,) = ax_p.plot(flips, np.ones_like(flips, dtype=float), "o-", color=PALETTE["blue"], ms=3)
        (self.fi_marker,) = ax_p.plot([], [], "o", color=PALETTE["vermillion"], ms=9)
        self.lost_line = ax_p.axvline(0, color=PALETTE["orange"], lw=1.5, ls="--")
        ax_p.axhline(0.05, color=PALETTE["vermillion"], lw=1, ls=":")
        ax_p.set(yscale="log", ylim=(1e-6, 1.5), xlim=(-0.5, 20.5), xlabel="patients whose outcome is flipped",
                 ylabel="Fisher exact p", title="How many patients decide significance?")
        ax_p.text(20, 0.06, "p = 0.05", ha="right", fontsize=8, color=PALETTE["vermillion"])
        ax_p.text(20, 3e-6, "dot: fragility index; dashed: excluded or lost", ha="right", fontsize=8)
        super().__init__(controls, figure, [*self.rate_bars, *self.rate_errors, *self.rate_labels, self.p_curve,
                                            self.fi_marker, self.lost_line])

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if change.get("owner") is self.controls["preset"] and change["new"] in self.presets:
            trial = self.presets[change["new"]]
            self.set(events_treatment=trial.events_treatment, n_treatment=trial.n_treatment,
                     events_control=trial.events_control, n_control=trial.n_control)
            return
        if change.get("owner") is not self.controls["preset"] and change.get("owner") is not \
                self.controls["excluded_or_lost"]:
            _show_own_numbers(self.controls["preset"], self._on_change, self.CUSTOM)
        self.refresh()

    def update(self, *, preset: str, events_treatment: int, n_treatment: int, events_control: int, n_control: int,
               excluded_or_lost: int) -> str:
        from painlab import evidence

        try:
            arms = evidence.TrialArms(events_treatment, n_treatment, events_control, n_control)
        except ValueError as error:
            return f"<b>Not a valid trial:</b> {error}"
        summary = evidence.summarise_trial(arms)
        lower, upper = summary.risk_difference_interval
        for i, (events, n) in enumerate(((events_treatment, n_treatment), (events_control, n_control))):
            low, high = evidence.proportion_interval(events, n)
            self.rate_bars[i].set_height(events / n)
            self.rate_errors[i].set_ydata([low, high])
            self.rate_labels[i].set_text(f"{events}/{n}")
            self.rate_labels[i].set_y(high + 0.02)
        p_values = evidence.p_values_after_flips(arms, len(self.flips) - 1)
        p_values += [np.nan] * (len(self.flips) - len(p_values))
        self.p_curve.set_ydata(np.clip(p_values, 1e-6, 1.0))
        index = summary.fragility_index
        shown = index < len(p_values) and np.isfinite(p_values[index])
        self.fi_marker.set_data(([index], [max(p_values[index], 1e-6)]) if shown else ([], []))
        self.lost_line.set_xdata([excluded_or_lost] * 2)
        note = ""
        trial = self.presets.get(preset)
        if trial is not None and trial.note:
            note = f" <i>{trial.note}.</i>"
        verdict = ("smaller than" if index < excluded_or_lost else "at least") + f" the {excluded_or_lost} excluded or lost"
        return (f"Risk difference {summary.risk_difference:+.3f} (95 % CI {lower:+.3f} to {upper:+.3f}); "
                f"{summary.nnt_text()}; Fisher p = {summary.p_value:.2g}; fragility index <b>{index}</b>, "
                f"{verdict}.{note}")


def trial_explorer(**initial: Any) -> TrialExplorer:
    """NNT, its confidence interval, Fisher's p and the fragility index from two arms' responder counts."""
    return TrialExplorer(**initial)



class SIProvocationExplorer(Explorer):
    """Sacroiliac provocation tests: likelihood ratios multiplied as if independent, against validated clusters."""

    def __init__(self, *, pretest_probability: float | None = None, positive: Sequence[str] = ()) -> None:
        from painlab.reference import evidence as ref

        self.tests = {test.name: test for test in ref.SI_PROVOCATION_TESTS}
        prior = ref.SI_BLOCK_PREVALENCE.value if pretest_probability is None else pretest_probability
        controls: dict[str, widgets.ValueWidget] = {
            "pretest_probability": _slider("Pre-test probability", prior, 0.05, 0.8, 0.01)}
        for name in self.tests:
            controls[name] = widgets.Checkbox(value=name in positive, description=f"{name} positive",
                                              indent=False, layout=widgets.Layout(width="100%"))
        figure, (ax,) = new_figure(1, width_in=8.0, height_in=2.8, detached=True)
        labels = ["independent tests\n(LRs multiplied)", "Laslett 2005 cluster", "van der Wurff 2006 cluster"]
        self.bars = ax.barh(range(3), [0, 0, 0], color=[PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"]])
        self.bar_labels = [ax.text(0, i, "", va="center", fontsize=9) for i in range(3)]
        self.prior_line = ax.axvline(prior, color=PALETTE["grey"], ls="--", lw=1)
        ax.set_yticks(range(3), labels=labels)
        ax.invert_yaxis()
        ax.set(xlim=(0, 1.12), xlabel="probability of SI joint pain after the tests (dashed: before)",
               title="Five provocation tests: one patient, three answers")
        super().__init__(controls, figure, [*self.bars, *self.bar_labels, self.prior_line])

    def update(self, *, pretest_probability: float, **positive: bool) -> str:
        from painlab import evidence
        from painlab.reference import evidence as ref

        results = [(self.tests[name].sensitivity, self.tests[name].specificity, bool(positive[name]))
                   for name in self.tests]
        count = sum(flag for *_, flag in results)
        probabilities = [evidence.post_test_probability_from_tests(pretest_probability, results)]
        for cluster in (ref.SI_CLUSTER_LASLETT, ref.SI_CLUSTER_VAN_DER_WURFF):
            probabilities.append(evidence.cluster_rule_probability(pretest_probability, count, len(results),
                                                                   ref.SI_CLUSTER_THRESHOLD, cluster.sensitivity,
                                                                   cluster.specificity))
        for bar, label, probability in zip(self.bars, self.bar_labels, probabilities):
            bar.set_width(probability)
            label.set_text(f"{100 * probability:.1f} %")
            label.set_x(probability + 0.01)
        self.prior_line.set_xdata([pretest_probability] * 2)
        return (f"{count} of 5 positive. Multiplying the five likelihood ratios gives <b>{100 * probabilities[0]:.1f} %</b>"
                f" (valid only if the tests were independent, which they are not); the measured clusters give "
                f"<b>{100 * probabilities[1]:.1f} %</b> and <b>{100 * probabilities[2]:.1f} %</b>. Applying the clusters "
                f"to these five tests is an approximation (their test sets differ).")


def si_provocation_explorer(**initial: Any) -> SIProvocationExplorer:
    """Post-test probability of SI joint pain from five provocation tests: naive product against clusters."""
    return SIProvocationExplorer(**initial)


class SympatheticBlockExplorer(Explorer):
    """Fingertip temperature after a stellate block (blocked and other hand), and the illustrative spread."""

    def __init__(self, *, room_temperature_c: float = 22.0, baseline_flow_ml_per_100ml_min: float | None = None,
                 blocked_flow_ml_per_100ml_min: float | None = None, block_reaches_hand: bool = True,
                 volume_ml: float = 5.0) -> None:
        from painlab import sympathetic
        from painlab.reference import sympathetic as ref

        baseline = ref.FINGER_FLOW_COLD_ML_PER_100ML_MIN.value if baseline_flow_ml_per_100ml_min is None \
            else baseline_flow_ml_per_100ml_min
        blocked = ref.FINGER_FLOW_HOT_ML_PER_100ML_MIN.value if blocked_flow_ml_per_100ml_min is None \
            else blocked_flow_ml_per_100ml_min
        controls = {
            "room_temperature_c": _slider("Room (°C)", room_temperature_c, 15.0, 30.0, 0.5),
            "baseline_flow_ml_per_100ml_min": _slider("Flow before (mL/100 mL/min)", baseline, 0.5, 15.0, 0.5),
            "blocked_flow_ml_per_100ml_min": _slider("Flow after (mL/100 mL/min)", blocked, 0.5, 30.0, 0.5),
            "volume_ml": _slider("Volume at C6 (mL)", volume_ml, 1.0, 10.0, 0.5),
            "block_reaches_hand": widgets.Checkbox(value=block_reaches_hand, description="block reaches the hand",
                                                   indent=False, layout=widgets.Layout(width="100%")),
        }
        self.block_time_min, self.times_min = 5.0, np.linspace(0.0, 40.0, 161)
        self.relative_rise_c = ref.RELATIVE_RISE_C.value
        figure, (ax, spread_ax) = new_figure(2, width_in=8.0, height_in=3.4, detached=True, width_ratios=(4.0, 1.0))
        (self.blocked_line,) = ax.plot([], [], color=PALETTE["vermillion"], lw=2, label="blocked hand")
        (self.other_line,) = ax.plot([], [], color=PALETTE["blue"], lw=2, label="other hand")
        (self.relative_line,) = ax.plot([], [], color=PALETTE["vermillion"], lw=1, ls=":",
                                        label=f"other hand + {ref.RELATIVE_RISE_C.value:g} °C")
        ax.axhline(ref.MALMQVIST_BLOCKED_MIN_C.value, color=PALETTE["grey"], lw=1, ls="--",
                   label=f"{ref.MALMQVIST_BLOCKED_MIN_C.value:g} °C (Malmqvist)")
        ax.axvline(self.block_time_min, color=PALETTE["grey"], lw=0.8)
        ax.text(self.block_time_min + 0.5, 15.6, "block", fontsize=8, color=PALETTE["grey"])
        ax.set(xlim=(0, 40), ylim=(15, 37), xlabel="minutes", ylabel="fingertip temperature (°C)",
               title="Fingertip heat balance (one lump; flow switched at the block)")
        ax.legend(loc="lower right", fontsize=8)
        levels = sympathetic.CERVICOTHORACIC_LEVELS
        for index, level in enumerate(levels):
            spread_ax.add_patch(mpl_patches.Rectangle((0.1, index + 0.08), 0.8, 0.84, facecolor="white",
                                                      edgecolor=PALETTE["grey"], lw=0.8))
        spread_ax.set_yticks([i + 0.5 for i in range(len(levels))], labels=list(levels))
        spread_ax.set(xlim=(0, 1), ylim=(len(levels), 0), xticks=[], title="Spread from C6\n(illustrative)")
        self.spread_patch = mpl_patches.Rectangle((0.3, 0.0), 0.4, 0.0, facecolor=PALETTE["sky"], alpha=0.8)
        spread_ax.add_patch(self.spread_patch)
        spread_ax.plot([0.5], [levels.index("C6") + 0.5], marker="x", color=PALETTE["black"], ms=8)
        super().__init__(controls, figure, [self.blocked_line, self.other_line, self.relative_line, self.spread_patch])

    def update(self, *, room_temperature_c: float, baseline_flow_ml_per_100ml_min: float,
               blocked_flow_ml_per_100ml_min: float, volume_ml: float, block_reaches_hand: bool) -> str:
        from painlab import sympathetic

        after = blocked_flow_ml_per_100ml_min if block_reaches_hand else baseline_flow_ml_per_100ml_min
        blocked = sympathetic.skin_temperature_after_block_c(self.times_min, baseline_flow_ml_per_100ml_min, after,
                                                             room_temperature_c, block_time_min=self.block_time_min)
        other = np.full_like(self.times_min, blocked[0])
        self.blocked_line.set_data(self.times_min, blocked)
        self.other_line.set_data(self.times_min, other)
        self.relative_line.set_data(self.times_min, other + self.relative_rise_c)
        spread = sympathetic.injectate_spread_levels(volume_ml)
        centre = sympathetic.CERVICOTHORACIC_LEVELS.index("C6") + 0.5
        self.spread_patch.set_y(centre - spread.cranial_levels)
        self.spread_patch.set_height(spread.cranial_levels + spread.caudal_levels)
        at_30 = float(np.interp(self.block_time_min + 30.0, self.times_min, blocked))
        assessment = sympathetic.assess_hand_temperatures(blocked[0], at_30, other[0], other[0])
        return (f"Before: {blocked[0]:.1f} °C. Thirty minutes after the block: <b>{at_30:.1f} °C</b>. "
                f"{assessment.summary()} Illustrative spread of {volume_ml:g} mL: {spread.upper_level} to "
                f"{spread.lower_level} (geometry not calibrated).")


def sympathetic_block_explorer(**initial: Any) -> SympatheticBlockExplorer:
    """Fingertip temperature of the blocked and the other hand after a stellate block, with the criteria."""
    return SympatheticBlockExplorer(**initial)


_LAYER_COLOURS = {"skin": "#f3d3bd", "subcutaneous fat": "#fbeeb0", "supraspinous ligament": "#9fc5e8",
                  "interspinous ligament": "#cfe2f3", "ligamentum flavum": "#e6b8af", "epidural space": "#d9ead3",
                  "dura and arachnoid": "#b4a7d6", "CSF": "#e8f4fb"}


class EpiduralNeedleExplorer(Explorer):
    """An interlaminar needle in the lumbar midline: the layer at the tip and the pressure on the syringe."""

    def __init__(self, *, needle_depth_mm: float = 30.0, skin_to_epidural_mm: float | None = None,
                 angle_deg: float = 0.0, degenerate_interspinous: bool = False, medium: str = "saline") -> None:
        from painlab import epidural
        from painlab.reference import epidural as ref

        depth = ref.SKIN_TO_EPIDURAL_L34_MM.value if skin_to_epidural_mm is None else skin_to_epidural_mm
        controls = {
            "needle_depth_mm": _slider("Needle inserted (mm)", needle_depth_mm, 0.0, 80.0, 0.5),
            "skin_to_epidural_mm": _slider("Skin to space centre (mm)", depth, 30.0, 70.0, 0.5),
            "angle_deg": _slider("Paramedian angle (°)", angle_deg, 0.0, 30.0, 1.0),
            "medium": _dropdown("Syringe", ["saline", "air"], medium),
            "degenerate_interspinous": widgets.Checkbox(value=degenerate_interspinous, indent=False,
                                                        description="interspinous ligament degenerate",
                                                        layout=widgets.Layout(width="100%")),
        }
        figure, (strip_ax, ax) = new_figure(1, 2, width_in=8.0, height_in=4.0, detached=True, height_ratios=(1.0, 2.2),
                                            sharex=True)
        self.patches, self.labels = {}, {}
        for index, name in enumerate(epidural.LAYER_NAMES):
            patch = mpl_patches.Rectangle((0.0, 0.0), 0.0, 1.0, facecolor=_LAYER_COLOURS[name], edgecolor="white")
            strip_ax.add_patch(patch)
            self.patches[name] = patch
            self.labels[name] = strip_ax.text(0.0, 0.5 + (0.28 if index % 2 else -0.28), "", ha="center",
                                              va="center", fontsize=7, rotation=0)
        (self.needle,) = strip_ax.plot([], [], color=PALETTE["black"], lw=2.5, solid_capstyle="butt")
        strip_ax.set(ylim=(0, 1), yticks=[], title="Straight depth from the skin (lumbar midline, schematic)")
        (self.trace,) = ax.plot([], [], color=PALETTE["blue"], lw=2, drawstyle="steps-post")
        (self.tip,) = ax.plot([], [], marker="o", color=PALETTE["vermillion"], ms=8)
        self.bands = {}
        for name, pressure in ref.INJECTION_PRESSURE_MMHG.items():
            if pressure.ci95_mmhg is not None:
                low, high = pressure.ci95_mmhg
                band = mpl_patches.Rectangle((0.0, low), 0.0, high - low, facecolor=PALETTE["orange"], alpha=0.35)
                ax.add_patch(band)
                self.bands[name] = band
        ax.set(xlim=(0, 80), ylim=(0, 110), xlabel="straight depth (mm)", ylabel="pressure to inject (mmHg)")
        ax.text(1, 102, "orange: measured 95 % CI (Ghelber 2008); other layers assumed", fontsize=7.5,
                color=PALETTE["grey"])
        super().__init__(controls, figure, [*self.patches.values(), *self.labels.values(), self.needle, self.trace,
                                            self.tip, *self.bands.values()])

    def update(self, *, needle_depth_mm: float, skin_to_epidural_mm: float, angle_deg: float, medium: str,
               degenerate_interspinous: bool) -> str:
        from painlab import epidural

        layers = epidural.midline_layers(skin_to_epidural_mm, degenerate_interspinous=degenerate_interspinous)
        by_name = {layer.name: layer for layer in layers}
        for name, patch in self.patches.items():
            layer = by_name[name]
            patch.set_x(layer.start_mm)
            patch.set_width(layer.thickness_mm)
            short = {"subcutaneous fat": "fat", "supraspinous ligament": "supra-\nspinous",
                     "interspinous ligament": "interspinous", "ligamentum flavum": "flavum",
                     "epidural space": "epidural", "dura and arachnoid": "", "CSF": "CSF"}.get(name, "")
            self.labels[name].set_text(short)
            self.labels[name].set_x((layer.start_mm + min(layer.end_mm, 80.0)) / 2.0)
        for name, band in self.bands.items():
            band.set_x(by_name[name].start_mm)
            band.set_width(by_name[name].thickness_mm)
        tip = epidural.straight_depth_mm(needle_depth_mm, angle_deg)
        self.needle.set_data([0.0, tip], [0.5, 0.5])
        depths = np.linspace(0.0, tip, max(2, int(tip * 4) + 1))
        self.trace.set_data(depths, epidural.pressure_trace_mmhg(depths, layers))
        here = epidural.layer_at_depth(tip, layers)
        self.tip.set_data([tip], [here.pressure_mmhg])
        space = by_name["epidural space"]
        travel = epidural.plunger_travel_ml(here.pressure_mmhg, medium, 2.0)
        feel = (f"plunger travels {travel:.2f} mL (2 mL of air compressing) before anything is injected"
                if medium == "air" else "saline does not compress: the plunger stops dead or gives way")
        text = (f"Needle {needle_depth_mm:.1f} mm at {angle_deg:.0f}° = <b>{tip:.1f} mm straight depth</b>: tip in "
                f"<b>{here.name}</b> ({here.pressure_mmhg:.0f} mmHg, {'measured' if here.measured else 'assumed'}; "
                f"{feel}). The space lies {space.start_mm:.1f}–{space.end_mm:.1f} mm straight "
                f"({epidural.path_length_mm(space.start_mm, angle_deg):.1f} mm of needle at this angle).")
        if here.name in ("dura and arachnoid", "CSF"):
            text += " <b style='color:#D55E00'>DURAL PUNCTURE: stop. CSF at the hub?</b>"
        elif here.pressure_mmhg < epidural.LOW_PRESSURE_MMHG and here.name != "epidural space":
            text += (f" <b style='color:#D55E00'>Low pressure in {here.name}: a false loss of resistance.</b> "
                     "Only a lateral or contralateral oblique view shows the tip is short of the space.")
        return text


def epidural_needle_explorer(**initial: Any) -> EpiduralNeedleExplorer:
    """Advance an epidural needle through the lumbar midline layers and read the loss-of-resistance syringe."""
    return EpiduralNeedleExplorer(**initial)


# --------------------------------------------------------------------------------------------
# Module 03: following a plan, reading a trial, explaining a result
# --------------------------------------------------------------------------------------------


class ProgressMonitor(Explorer):
    """Pain and disability at baseline and three follow-ups, judged against the minimal important change."""

    def __init__(self, *, nrs: Sequence[float] = (7, 4, 5, 6), odi: Sequence[float] = (46, 36, 38, 42)) -> None:
        from painlab.plotting import PROGRESS_VISITS, draw_progress_panel

        def score(description: str, value: float, high: float, step: float) -> widgets.FloatSlider:
            return _slider(description, value, 0.0, high, step, readout_format=".0f")

        controls: dict[str, widgets.ValueWidget] = {}
        for i, visit in enumerate(PROGRESS_VISITS):
            controls[f"nrs_{i}"] = score(f"Pain (NRS), {visit}", nrs[i], 10.0, 1.0)
            controls[f"odi_{i}"] = score(f"ODI %, {visit}", odi[i], 100.0, 2.0)
        figure, (ax_nrs, ax_odi) = new_figure(2, width_in=9.0, height_in=3.2, detached=True)
        self.panels = {"nrs": draw_progress_panel(ax_nrs, "nrs"), "odi": draw_progress_panel(ax_odi, "odi")}
        dynamic = [a for p in self.panels.values() for a in (p.improvement_zone, p.worse_zone, p.line, p.verdict)]
        super().__init__(controls, figure, dynamic)

    def update(self, **values: float) -> str:
        from painlab import assessment
        from painlab.plotting import update_progress_panel

        from painlab.plotting import PROGRESS_VISITS

        lines = []
        for instrument, name in (("nrs", "Pain"), ("odi", "Disability")):
            scores = [values[f"{instrument}_{i}"] for i in range(len(PROGRESS_VISITS))]
            review = assessment.review_progress(instrument, scores)
            update_progress_panel(self.panels[instrument], review)
            changes = ", ".join(f"{change:+g}" for change in review.changes)
            lines.append(f"{name}: <b>{review.verdict}</b> (improvement at each follow-up: {changes})")
        return "<br>".join(lines)


def progress_monitor(**initial: Any) -> ProgressMonitor:
    """Follow a plan's outcomes: move the scores and see when a change is important, sustained or lost."""
    return ProgressMonitor(**initial)


class RiskCommunicationExplorer(Explorer):
    """A two-arm result as 100 people (an icon array), with its relative and absolute statements."""

    CUSTOM = "your own numbers"

    def __init__(self, *, preset: str | None = None) -> None:
        from painlab.plotting import ICON_COLOURS, draw_icon_array

        self.presets = risk_communication_presets()
        name = preset if preset is not None else next(iter(self.presets))
        control, treatment = self.presets[name]
        controls = {
            "preset": _dropdown("Result", [*self.presets, self.CUSTOM], name),
            "control_percent": _slider("Control: % with outcome", round(100 * control), 0.0, 100.0, 1.0,
                                       readout_format=".0f"),
            "treatment_percent": _slider("Treatment: % with outcome", round(100 * treatment), 0.0, 100.0, 1.0,
                                         readout_format=".0f"),
        }
        figure, (ax,) = new_figure(1, width_in=7.0, height_in=3.4, detached=True)
        self.icons = draw_icon_array(ax)
        handles = [plt.Line2D([], [], marker="o", ls="", ms=9, color=colour) for colour in ICON_COLOURS.values()]
        figure.legend(handles, list(ICON_COLOURS), loc="outside right center", frameon=False, fontsize=9)
        super().__init__(controls, figure, [self.icons])

    def _on_change(self, change: Mapping[str, Any]) -> None:
        owner = change.get("owner")
        if owner is self.controls["preset"] and change["new"] in self.presets:
            control, treatment = self.presets[change["new"]]
            self.set(control_percent=round(100 * control), treatment_percent=round(100 * treatment))
            return
        if owner is not self.controls["preset"]:
            _show_own_numbers(self.controls["preset"], self._on_change, self.CUSTOM)
        self.refresh()

    def update(self, *, preset: str, control_percent: float, treatment_percent: float) -> str:
        from painlab import evidence
        from painlab.plotting import colour_icon_array

        exact = self.presets.get(preset)
        control, treatment = exact if exact else (control_percent / 100, treatment_percent / 100)
        frequencies = evidence.natural_frequencies(control, treatment)
        colour_icon_array(self.icons, frequencies)
        return risk_statements(frequencies)


def risk_communication_presets() -> dict[str, tuple[float, float]]:
    """Responder rates (control, treatment) of the course's trials that report them, by trial name."""
    from painlab.reference import evidence as ref
    from painlab.reference import neuromodulation as scs

    presets = {f"{t.trial} (responders)": (t.events_control / t.n_control, t.events_treatment / t.n_treatment)
               for t in ref.DEVICE_TRIALS}
    presets |= {f"{t.name}: {t.primary_outcome}": t.responders for t in scs.TRIALS.values() if t.responders}
    return presets


def risk_statements(frequencies: Any) -> str:
    """The same result stated three ways: relative, absolute, and as a number needed to treat."""
    extra = frequencies.better_because_of_treatment
    relative = ("relative risk not defined (no control patient had the outcome)" if frequencies.control_rate == 0
                else f"relative risk {frequencies.relative_risk:.2f} ({100 * frequencies.relative_increase:+.0f} %)")
    absolute = f"absolute difference {100 * frequencies.absolute_difference:+.1f} percentage points"
    if frequencies.absolute_difference == 0:
        count = "no difference: NNT not defined"
    else:
        label = "NNT" if frequencies.absolute_difference > 0 else "the control does better: NNT for the control"
        count = f"{label} {frequencies.number_needed_to_treat:.1f}"
    return (f"Out of {frequencies.per}: {frequencies.better_anyway} with the outcome either way, "
            f"<b>{abs(extra)}</b> {'only with the treatment' if extra >= 0 else 'only with the control'}, "
            f"{frequencies.not_better} with neither. Relative: {relative}. Absolute: {absolute}. {count}.")


def risk_communication_explorer(**initial: Any) -> RiskCommunicationExplorer:
    """Show a trial's responder result as 100 people, and as relative risk, absolute difference and NNT."""
    return RiskCommunicationExplorer(**initial)


class TrialReplicationExplorer(Explorer):
    """One trial design run 400 times: power, exaggerated significant results, and the responder analysis."""

    RESPONDER_CHOICES = {"≥ 30 % less pain": 0.3, "≥ 50 % less pain": 0.5}

    def __init__(self, *, patients_per_arm: int = 25, true_treatment_effect_nrs: float = 1.0,
                 placebo_response_nrs: float = 1.0, enrolment_threshold_nrs: float = 6.0,
                 responder: str = "≥ 30 % less pain") -> None:
        from painlab.plotting import draw_replication_panels

        controls = {
            "patients_per_arm": widgets.IntSlider(value=patients_per_arm, min=10, max=300, step=5,
                                                  description="Patients per arm", continuous_update=False,
                                                  style={"description_width": "170px"},
                                                  layout=widgets.Layout(width="100%")),
            "true_treatment_effect_nrs": _slider("True effect (NRS points)", true_treatment_effect_nrs, 0.0, 3.0, 0.1),
            "placebo_response_nrs": _slider("Placebo response (points)", placebo_response_nrs, 0.0, 3.0, 0.1),
            "enrolment_threshold_nrs": _slider("Enrol if NRS ≥", enrolment_threshold_nrs, 0.0, 8.0, 1.0,
                                               readout_format=".0f"),
            "responder": _dropdown("Responder", list(self.RESPONDER_CHOICES), responder),
        }
        figure, axes = new_figure(2, width_in=9.0, height_in=3.4, detached=True, width_ratios=(2.6, 1))
        self.artists = draw_replication_panels(*axes)
        a = self.artists
        super().__init__(controls, figure, [*a.other_bars, *a.significant_bars, a.true_line, *a.power_bars,
                                            *a.power_labels])

    def update(self, *, patients_per_arm: int, true_treatment_effect_nrs: float, placebo_response_nrs: float,
               enrolment_threshold_nrs: float, responder: str) -> str:
        from painlab import evidence
        from painlab.plotting import update_replication_panels

        runs = evidence.replicate_trial(patients_per_arm=patients_per_arm,
                                        true_treatment_effect_nrs=true_treatment_effect_nrs,
                                        placebo_response_nrs=placebo_response_nrs,
                                        enrolment_threshold_nrs=enrolment_threshold_nrs,
                                        responder_improvement=self.RESPONDER_CHOICES[responder])
        update_replication_panels(self.artists, runs)
        exaggeration = ("" if not np.isfinite(runs.exaggeration_ratio) else
                        f"; significant trials report on average <b>{runs.exaggeration_ratio:.1f} x</b> the true effect")
        return (f"{runs.runs} trials of {patients_per_arm} per arm: power {100 * runs.power_continuous:.0f} % "
                f"(mean change), {100 * runs.power_responders:.0f} % (responders){exaggeration}. Responders: "
                f"{100 * runs.responder_rate_treated:.0f} % treated vs {100 * runs.responder_rate_control:.0f} % "
                f"control.")


def trial_replication_explorer(**initial: Any) -> TrialReplicationExplorer:
    """Run one trial design many times: how size, effect and the responder analysis decide what it finds."""
    return TrialReplicationExplorer(**initial)


EXPLORERS: dict[str, tuple[Any, str, tuple[Any, ...]]] = {
    "membrane": (membrane_explorer, "stimulus_ua_per_cm2", (5.0, 6.0, 7.0, 8.0, 12.0)),
    "axon block": (axon_block_explorer, "sodium_block_fraction", (0.5, 0.6, 0.7, 0.8, 0.9)),
    "dermatome": (dermatome_explorer, "segment", ("C6", "T10", "L4", "L5", "S1")),
    "regression to the mean": (regression_to_mean_explorer, "enrolment_threshold_nrs", (5.0, 6.0, 7.0, 8.0, 9.0)),
    "dose planner": (dose_planner_explorer, "volume_ml", (10.0, 20.0, 30.0, 40.0, 50.0)),
    "epidural kinetics": (epidural_kinetics_explorer, "dose_mg", (100.0, 200.0, 300.0, 400.0, 500.0)),
    "C-arm": (carm_explorer, "oblique_deg", (-30.0, -15.0, 0.0, 15.0, 30.0)),
    "operator dose": (operator_dose_explorer, "distance_m", (0.5, 1.0, 1.5, 2.0, 2.5)),
    "ultrasound": (ultrasound_explorer, "frequency_mhz", (3.0, 5.0, 8.0, 12.0, 15.0)),
    "RF lesion": (rf_lesion_explorer, "duration_s", (30.0, 60.0, 90.0, 120.0, 150.0)),
    "SCS field": (scs_field_explorer, "csf_thickness_mm", (2.0, 3.0, 4.0, 5.0, 6.0)),
    "diagnostic blocks": (diagnostic_block_explorer, "pretest_probability", (0.1, 0.15, 0.3, 0.54, 0.7)),
    "facet funnel": (facet_funnel_explorer, "pretest_probability", (0.1, 0.15, 0.3, 0.4, 0.6)),
    "infusion": (infusion_explorer, "rate_mg_per_kg_per_h", (1.0, 2.0, 3.0, 5.0, 10.0)),
    "intrathecal refill": (intrathecal_refill_explorer, "daily_dose_mg", (0.5, 1.0, 1.5, 3.0, 6.0)),
    "trial": (trial_explorer, "events_treatment", (5, 7, 9, 11, 12)),
    "SI provocation": (si_provocation_explorer, "pretest_probability", (0.13, 0.2, 0.3, 0.45, 0.6)),
    "sympathetic block": (sympathetic_block_explorer, "room_temperature_c", (16.0, 19.0, 22.0, 25.0, 28.0)),
    "epidural needle": (epidural_needle_explorer, "needle_depth_mm", (20.0, 35.0, 43.0, 46.0, 55.0)),
    "progress monitor": (progress_monitor, "nrs_3", (2.0, 4.0, 6.0, 8.0, 10.0)),
    "risk communication": (risk_communication_explorer, "treatment_percent", (20.0, 40.0, 60.0, 80.0, 95.0)),
    "trial replication": (trial_replication_explorer, "patients_per_arm", (10, 25, 50, 100, 300)),
}
"""Every explorer the lessons use: factory, the control a learner moves most, and values to move it through.
``make bench`` times a slider move for each; ``tests/test_widgets.py`` checks none is missing."""


# --------------------------------------------------------------------------------------------
# Module 03: branching cases
# --------------------------------------------------------------------------------------------

FINDINGS = (("History", "history"), ("Examination", "examination"), ("Imaging", "imaging"))


class CasePlayer:
    """A case in JupyterLab: reveal the findings, decide, read the cited feedback, continue; the score as you go.

    The book shows the case report instead (``text/markdown`` in the same output, see the module docstring).
    """

    def __init__(self, case: Any, on_finish: Any = None) -> None:
        from painlab import cases

        self.case = case
        self.session = cases.CaseSession(case)
        self.revealed = 0
        self.on_finish = on_finish
        self.findings = widgets.HTML(self._findings_html())
        self.reveal_button = widgets.Button(description=f"Reveal: {FINDINGS[0][0].lower()}", icon="eye")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.prompt = widgets.HTML()
        self.choices = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="max-content"))
        self.number = widgets.FloatText(value=0.0, description="Your answer", style={"description_width": "100px"})
        self.yes_no = widgets.ToggleButtons(options=[("Yes", True), ("No", False)], value=None)
        self.submit_button = widgets.Button(description="Submit", button_style="primary")
        self.submit_button.on_click(lambda _b: self.submit())
        self.feedback = widgets.HTML()
        self.continue_button = widgets.Button(description="Continue", icon="arrow-right")
        self.continue_button.on_click(lambda _b: self.show_decision())
        self.score = widgets.HTML()
        self.answer_area = widgets.VBox([])
        self.widget = widgets.VBox([
            widgets.HTML(f"<h3>{html.escape(case.title)}</h3>"), self.findings, self.reveal_button, self.prompt,
            self.answer_area, self.feedback, self.continue_button, self.score])
        self._update()

    # -- state ---------------------------------------------------------------------------------
    def _findings_html(self) -> str:
        case = self.case
        parts = [f"<p><b>Patient.</b> {html.escape(case.patient.describe())}. {html.escape(case.presentation)}</p>"]
        for title, attribute in FINDINGS[:self.revealed]:
            parts.append(f"<p><b>{title}.</b> {html.escape(getattr(case, attribute))}</p>")
        return "".join(parts)

    def reveal(self) -> None:
        """Show the next group of findings (history, examination, imaging); the first decision follows."""
        if self.revealed < len(FINDINGS):
            self.revealed += 1
            self.findings.value = self._findings_html()
            if self.revealed == len(FINDINGS):
                self.show_decision()
        self._update()

    def show_decision(self) -> None:
        self.feedback.value = ""
        if self.session.finished:
            self.prompt.value = self._debrief_html()
            self.answer_area.children = []
            if self.on_finish is not None:
                self.on_finish(self)
        else:
            from painlab.cases import STAGE_TITLES

            decision = self.session.current
            number = len(self.session.steps) + 1
            self.prompt.value = (f"<p><b>Decision {number}: {STAGE_TITLES[decision.stage]}.</b> "
                                 f"{html.escape(decision.prompt)}</p>")
            if decision.calculation is None:
                self.choices.options = [(f"{LETTERS[i]}. {o.text}", o.id) for i, o in enumerate(decision.options)]
                self.choices.value = None
                self.answer_area.children = [self.choices, self.submit_button]
            elif isinstance(decision.calculation.answer, bool):
                self.yes_no.value = None
                self.answer_area.children = [self.yes_no, self.submit_button]
            else:
                self.number.value = 0.0
                unit = widgets.Label(decision.calculation.unit)
                self.answer_area.children = [widgets.HBox([self.number, unit]), self.submit_button]
        self._update()

    def submit(self) -> None:
        """Answer the current decision with what the controls hold (nothing happens without an answer)."""
        if self.session.finished or self.revealed < len(FINDINGS):
            return
        decision = self.session.current
        if decision.calculation is None:
            if self.choices.value is None:
                return
            step = self.session.choose(self.choices.value)
        elif isinstance(decision.calculation.answer, bool):
            if self.yes_no.value is None:
                return
            step = self.session.answer(bool(self.yes_no.value))
        else:
            step = self.session.answer(float(self.number.value))
        self.feedback.value = self._feedback_html(step)
        self.answer_area.children = []
        self._update()

    # -- display -------------------------------------------------------------------------------
    def _feedback_html(self, step: Any) -> str:
        from painlab.cases import citation_label

        verdict = "Best choice." if step.correct else ("Partly right." if step.points else "Not the best choice.")
        colour = PALETTE["green"] if step.correct else PALETTE["vermillion"]
        sources = "; ".join(citation_label(key) for key in step.cites)
        return (f"<p><b style='color:{colour}'>{verdict}</b> (+{step.points}) {html.escape(step.feedback)}"
                f"<br><small>Sources: {html.escape(sources)}</small></p>")

    def _debrief_html(self) -> str:
        from painlab.cases import citation_label

        points = "".join(f"<li>{html.escape(p.text)} <small>({html.escape('; '.join(citation_label(k) for k in p.cites))})"
                         f"</small></li>" for p in self.case.teaching_points)
        return (f"<p><b>Case complete: {self.session.score} of {self.session.max_score} points.</b></p>"
                f"<p><b>Teaching points</b></p><ul>{points}</ul>"
                f"<p><b>Multidisciplinary plan.</b> {html.escape(self.case.plan)}</p>")

    def _update(self) -> None:
        all_revealed = self.revealed >= len(FINDINGS)
        self.reveal_button.layout.display = "none" if all_revealed else None
        if not all_revealed:
            self.reveal_button.description = f"Reveal: {FINDINGS[self.revealed][0].lower()}"
        self.continue_button.layout.display = None if self.feedback.value else "none"  # after an answer
        self.score.value = f"<p><small>Score: {self.session.score} / {self.session.max_score}</small></p>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from painlab.cases import report_markdown

        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/markdown"] = report_markdown(self.case)
        bundle["text/plain"] = f"<CasePlayer: {self.case.title}>"
        return bundle


class CaseSetPlayer:
    """Several cases one after another, with a running mastery score; in the book, every case report in turn."""

    def __init__(self, case_list: Sequence[Any]) -> None:
        if not case_list:
            raise ValueError("a case set needs at least one case")
        self.cases = list(case_list)
        self.players: list[CasePlayer] = []
        self.mastery = widgets.HTML()
        self.next_case_button = widgets.Button(description="Next case", icon="forward", button_style="success")
        self.next_case_button.on_click(lambda _b: self.start_next())
        self.stage = widgets.VBox([])
        self.widget = widgets.VBox([self.mastery, self.stage, self.next_case_button])
        self.start_next()

    @property
    def score(self) -> int:
        return sum(player.session.score for player in self.players)

    @property
    def max_score_so_far(self) -> int:
        return sum(player.session.max_score for player in self.players if player.session.finished)

    def start_next(self) -> None:
        if len(self.players) < len(self.cases) and (not self.players or self.players[-1].session.finished):
            player = CasePlayer(self.cases[len(self.players)], on_finish=lambda _p: self._update())
            self.players.append(player)
            self.stage.children = [player.widget]
        self._update()

    def _update(self) -> None:
        finished = [p for p in self.players if p.session.finished]
        earned = sum(p.session.score for p in finished)
        possible = sum(p.session.max_score for p in finished)
        percent = f"{100 * earned / possible:.0f} %" if possible else "-"
        self.mastery.value = (f"<p><b>Case {len(self.players)} of {len(self.cases)}</b> · mastery so far: "
                              f"{earned} / {possible} points ({percent})</p>")
        more = len(self.players) < len(self.cases) and bool(self.players) and self.players[-1].session.finished
        self.next_case_button.layout.display = None if more else "none"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from painlab.cases import report_markdown

        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/markdown"] = "\n\n".join(report_markdown(case) for case in self.cases)
        bundle["text/plain"] = f"<CaseSetPlayer: {len(self.cases)} cases>"
        return bundle


def case_player(case_id: str) -> CasePlayer:
    """One case, by id: interactive in JupyterLab, a case report in the book."""
    from painlab import cases

    return CasePlayer(cases.load_case(case_id))


def case_set_player(case_set: str) -> CaseSetPlayer:
    """A lesson's case set (see ``painlab.cases.CASE_SETS``), played one case after another."""
    from painlab import cases

    return CaseSetPlayer(cases.cases_in_set(case_set))
