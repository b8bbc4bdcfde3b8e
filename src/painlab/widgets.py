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
    return [Question(text=e["text"], options=e["options"], correct=e["correct"], feedback=e["feedback"])
            for e in entries]


def lesson_self_check(lesson: str) -> SelfCheck:
    """The self-check of a lesson: interactive in JupyterLab, collapsible answers in the book."""
    return SelfCheck(load_questions(lesson))


def close_figures(*explorers: Explorer) -> None:
    """Release the figures held by explorers (each keeps one open figure)."""
    for explorer in explorers:
        plt.close(explorer.figure)

