"""One plotting style for the course, and the figures the lessons draw from the models.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies).
Figure functions take data or a model result, draw on given axes, and return the artists they made
so widgets can update them in place instead of re-plotting.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from painlab import neuro
from painlab.neuro import SPIKE_DETECTION_MV, AxonResponse, MembraneResponse
from painlab.reference import FibreClass

PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7f7f7f",
}

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=[PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky")]),
}


def apply_style() -> None:
    """Use the course style for every figure drawn afterwards."""
    mpl.rcParams.update(STYLE)


def new_figure(ncols: int = 1, nrows: int = 1, *, width_in: float = 8.0, height_in: float = 3.2,
               detached: bool = False, width_ratios: Sequence[float] | None = None,
               height_ratios: Sequence[float] | None = None, sharex: bool = False) -> tuple[Figure, np.ndarray]:
    """A figure in the course style with a flat array of axes (constrained layout).

    ``detached=True`` makes a figure that pyplot does not know about (for widgets, which show their
    own image; a pyplot figure would also be shown by the notebook's inline backend).
    """
    grid = {"width_ratios": width_ratios, "height_ratios": height_ratios, "sharex": sharex, "squeeze": False}
    with mpl.rc_context(STYLE):
        if detached:
            fig = Figure(figsize=(width_in, height_in), layout="constrained")
            FigureCanvasAgg(fig)
            axes = fig.subplots(nrows, ncols, **grid)
        else:
            fig, axes = plt.subplots(nrows, ncols, figsize=(width_in, height_in), layout="constrained", **grid)
    return fig, axes.ravel()


# --------------------------------------------------------------------------------------------
# Nerve fibres
# --------------------------------------------------------------------------------------------


def plot_fibre_classes(fibres: Sequence[FibreClass], ax: Axes | None = None) -> Axes:
    """Conduction-velocity ranges of fibre classes on a log axis, annotated with diameters."""
    if ax is None:
        _, axes = new_figure(width_in=8.0, height_in=3.6)
        ax = axes[0]
    for row, fibre in enumerate(reversed(list(fibres))):
        slow, fast = fibre.conduction_velocity_m_per_s
        colour = PALETTE["blue"] if fibre.myelinated else PALETTE["vermillion"]
        ax.barh(row, fast - slow, left=slow, height=0.6, color=colour, alpha=0.85)
        low_d, high_d = fibre.diameter_um
        ax.text(fast * 1.12, row, f"{low_d:g}-{high_d:g} µm", va="center", fontsize=9)
    names = [fibre.name for fibre in reversed(list(fibres))]
    ax.set_yticks(range(len(names)), names)
    ax.set_xscale("log")
    ax.set_xlim(0.3, 400)
    ax.set_xlabel("conduction velocity (m/s, log scale)")
    ax.grid(axis="y", visible=False)
    handles = [mpl.patches.Patch(color=PALETTE["blue"], label="myelinated"),
               mpl.patches.Patch(color=PALETTE["vermillion"], label="unmyelinated")]
    ax.legend(handles=handles, loc="lower right")
    ax.set_title("Peripheral nerve fibre classes: velocity range, diameter")
    return ax


# --------------------------------------------------------------------------------------------
# Membrane and axon
# --------------------------------------------------------------------------------------------


def plot_membrane_response(response: MembraneResponse, ax: Axes, *, label: str = "", colour: str | None = None) -> Line2D:
    """Membrane potential against time; returns the line so a widget can update it."""
    (line,) = ax.plot(response.time_ms, response.voltage_mv, label=label, color=colour, lw=1.8)
    ax.axhline(SPIKE_DETECTION_MV, color=PALETTE["grey"], lw=0.8, ls=":")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane potential (mV)")
    ax.set_ylim(-90, 60)
    return line


def plot_axon_snapshot(response: AxonResponse, ax: Axes, *, recording_positions_cm: Sequence[float]) -> list[Line2D]:
    """Voltage traces recorded at several positions along the axon, with the blocked segment named."""
    lines = []
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["green"]]
    for colour, position in zip(colours, recording_positions_cm):
        index = int(np.argmin(np.abs(response.position_cm - position)))
        inside = " (in block)" if response.blocked[index] else ""
        (line,) = ax.plot(response.time_ms, response.voltage_mv[:, index], color=colour, lw=1.6,
                          label=f"{position:.1f} cm{inside}")
        lines.append(line)
    ax.axhline(SPIKE_DETECTION_MV, color=PALETTE["grey"], lw=0.8, ls=":")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane potential (mV)")
    ax.set_ylim(-90, 60)
    ax.legend(loc="upper right", fontsize=8)
    return lines


def plot_axon_space_time(response: AxonResponse, ax: Axes) -> mpl.image.AxesImage:
    """Membrane potential over position (x) and time (y): a propagating impulse is a diagonal stripe."""
    image = ax.imshow(response.voltage_mv, aspect="auto", origin="lower", cmap="magma", vmin=-80, vmax=45,
                      extent=(response.position_cm[0], response.position_cm[-1], response.time_ms[0], response.time_ms[-1]))
    if response.blocked.any():
        blocked = response.position_cm[response.blocked]
        ax.axvspan(blocked[0], blocked[-1], color=PALETTE["sky"], alpha=0.25, lw=0)
    ax.set_xlabel("position along axon (cm)")
    ax.set_ylabel("time (ms)")
    ax.grid(False)
    return image


# --------------------------------------------------------------------------------------------
# Lesson figures (computed from the models)
# --------------------------------------------------------------------------------------------

STRENGTH_DURATION_MS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
BLOCK_FRACTIONS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
EXPOSED_LENGTHS_CM = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5)


def figure_excitability() -> Figure:
    """Three panels: all-or-none threshold, the strength-duration curve, and threshold under block."""
    fig, (ax_a, ax_b, ax_c) = new_figure(3, width_in=11.0, height_in=3.4)
    threshold = neuro.threshold_stimulus_ua_per_cm2(1.0)
    for factor, colour in ((0.97, PALETTE["vermillion"]), (1.03, PALETTE["blue"])):
        response = neuro.simulate_membrane(factor * threshold, 1.0, duration_ms=20.0)
        plot_membrane_response(response, ax_a, label=f"{factor * threshold:.2f} µA/cm² ({factor:.0%} of threshold)",
                               colour=colour)
    ax_a.set_title("A. All or none at threshold (1 ms pulse)")
    ax_a.legend(loc="upper right", fontsize=8)

    thresholds = [neuro.threshold_stimulus_ua_per_cm2(d) for d in STRENGTH_DURATION_MS]
    ax_b.plot(STRENGTH_DURATION_MS, thresholds, "o-", color=PALETTE["blue"])
    ax_b.set(xscale="log", yscale="log", xlabel="pulse duration (ms)", ylabel="threshold (µA/cm²)",
             title="B. Strength-duration curve")

    block_thresholds = [neuro.threshold_stimulus_ua_per_cm2(1.0, sodium_block_fraction=f) for f in BLOCK_FRACTIONS]
    finite = [(f, t) for f, t in zip(BLOCK_FRACTIONS, block_thresholds) if np.isfinite(t)]
    ax_c.plot([f for f, _ in finite], [t for _, t in finite], "o-", color=PALETTE["vermillion"])
    ceiling = 1.6 * max(t for _, t in finite)
    for f, t in zip(BLOCK_FRACTIONS, block_thresholds):
        if not np.isfinite(t):
            ax_c.plot([f], [ceiling], "x", color=PALETTE["black"], ms=8)
            ax_c.annotate("inexcitable", (f, ceiling), xytext=(-6, 0), textcoords="offset points",
                          ha="right", va="center", fontsize=8)
    ax_c.set(yscale="log", xlabel="fraction of Na⁺ channels blocked", ylabel="threshold, 1 ms pulse (µA/cm²)",
             title="C. Block raises threshold", xlim=(-0.02, 1.0))
    return fig


def figure_block_length() -> Figure:
    """Smallest fraction of sodium channels blocked that stops conduction, against length exposed."""
    fig, (ax,) = new_figure(1, width_in=6.5, height_in=3.6)
    critical = [neuro.critical_block_fraction(length) for length in EXPOSED_LENGTHS_CM]
    lengths = [L for L, c in zip(EXPOSED_LENGTHS_CM, critical) if np.isfinite(c)]
    values = [c for c in critical if np.isfinite(c)]
    ax.fill_between(lengths, values, 1.05, color=PALETTE["green"], alpha=0.15, lw=0)
    ax.fill_between(lengths, 0, values, color=PALETTE["vermillion"], alpha=0.10, lw=0)
    ax.axvspan(0, lengths[0], color=PALETTE["vermillion"], alpha=0.10, lw=0)
    ax.plot(lengths, values, "o-", color=PALETTE["black"])
    for length, c in zip(EXPOSED_LENGTHS_CM, critical):
        if not np.isfinite(c):
            ax.plot([length], [1.0], "x", color=PALETTE["vermillion"], ms=9)
            ax.annotate(f"{length:g} cm: not blocked\neven at 100 %", (length, 1.0), xytext=(0.06, 0.45), fontsize=8,
                        arrowprops={"arrowstyle": "->", "color": PALETTE["grey"]})
    ax.text(max(lengths) - 0.05, 0.95, "conduction blocked", ha="right", va="top", color=PALETTE["green"])
    ax.text(max(lengths) - 0.05, 0.1, "impulse gets through", ha="right", color=PALETTE["vermillion"])
    ax.set(xlabel="length of axon exposed (cm)", ylabel="fraction of Na⁺ channels blocked",
           ylim=(0, 1.05), xlim=(0, max(EXPOSED_LENGTHS_CM) + 0.1),
           title="Block needs enough channels over enough length")
    return fig


def figure_needle_views() -> Figure:
    """The schematic medial-branch needle seen in AP, down the needle (tunnel view) and lateral."""
    from painlab import imaging

    parts = imaging.schematic_lumbar_vertebra()
    needle = np.array([imaging.MEDIAL_BRANCH_ENTRY_RIGHT_MM, imaging.MEDIAL_BRANCH_TARGET_RIGHT_MM])
    oblique, tilt = imaging.needle_axis_angles(*needle)
    views = (("AP", imaging.CArm()), (f"Tunnel view (oblique {oblique:.0f}°, tilt {tilt:.0f}°)",
                                      imaging.CArm(oblique_deg=oblique, tilt_deg=tilt)),
             ("Lateral", imaging.CArm(oblique_deg=-90)))
    fig, axes = new_figure(3, width_in=11.0, height_in=3.8)
    for ax, (title, carm) in zip(axes, views):
        isocentre = needle[1] if "Tunnel" in title else np.zeros(3)  # the tunnel view is centred on the target
        for points in parts.values():
            projected = imaging.project_points(points, carm, isocentre_mm=isocentre)
            ax.plot(projected[:, 0], projected[:, 1], color=PALETTE["grey"], lw=1.2)
        projected_needle = imaging.project_points(needle, carm, isocentre_mm=isocentre)
        ax.plot(projected_needle[:, 0], projected_needle[:, 1], color=PALETTE["vermillion"], lw=2.5)
        ax.plot(projected_needle[1, 0], projected_needle[1, 1], "o", color=PALETTE["vermillion"], ms=6)
        ax.set(title=title, aspect="equal", xlim=(-110, 110), ylim=(-80, 80))
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def figure_epidural_kinetics(dose_mg: float = 100.0) -> Figure:
    """Plasma concentration after the same epidural dose of lidocaine and of bupivacaine (Burm et al. 1987)."""
    from painlab import pharmacology

    fig, (ax,) = new_figure(1, width_in=7.0, height_in=3.2)
    times = np.arange(0.0, 481.0, 2.0)
    for drug, colour in (("lidocaine", PALETTE["blue"]), ("bupivacaine", PALETTE["vermillion"])):
        ax.plot(times, pharmacology.epidural_plasma_concentration_mcg_per_ml(drug, dose_mg, times), color=colour,
                lw=2, label=f"{drug}, {dose_mg:g} mg")
    ax.set(xlabel="time after epidural injection (min)", ylabel="plasma concentration (µg/mL)", xlim=(0, 480),
           title="Same dose, different kinetics (one-compartment teaching model)")
    ax.legend()
    return fig


def figure_lesion_growth(gauges: Sequence[int] = (22, 18, 16), set_temperature_c: float = 80.0,
                         active_tip_mm: float = 10.0) -> Figure:
    """Lesion width against time for three needle gauges (conventional RF), and the cooled electrode."""
    from painlab import rf

    fig, (ax_width, ax_capture) = new_figure(2, width_in=10.0, height_in=3.5)
    colours = (PALETTE["sky"], PALETTE["blue"], PALETTE["purple"])
    for gauge, colour in zip(gauges, colours):
        lesion = rf.simulate_lesion(set_temperature_c=set_temperature_c, duration_s=rf.MAX_DURATION_S, gauge=gauge,
                                    active_tip_mm=active_tip_mm)
        ax_width.plot(lesion.time_s, lesion.width_history_mm, color=colour, lw=2, label=f"{gauge} G")
    ax_width.set(xlabel="time (s)", ylabel="lesion width across the needle (mm)", xlim=(0, rf.MAX_DURATION_S),
                 ylim=(0, 9), title=f"Conventional RF at {set_temperature_c:g} °C, {active_tip_mm:g} mm tip")
    ax_width.legend(title="needle", loc="lower right")
    lesion = rf.simulate_lesion(set_temperature_c=set_temperature_c, duration_s=90.0, active_tip_mm=active_tip_mm)
    offsets = np.linspace(0.0, 4.0, 41)
    for orientation, colour in (("parallel", PALETTE["green"]), ("perpendicular", PALETTE["vermillion"])):
        ax_capture.plot(offsets, [rf.nerve_capture_mm(lesion, d, orientation) for d in offsets], color=colour, lw=2,
                        label=f"nerve {orientation} to the needle")
    ax_capture.set(xlabel="distance of the nerve from the electrode (mm)", ylabel="length of nerve lesioned (mm)",
                   xlim=(0, 4), ylim=(0, 14), title="Why the needle lies along the nerve (18 G, 90 s)")
    ax_capture.legend(loc="upper right")
    return fig


def figure_scs_selectivity(spacings_mm: Sequence[float] = (4.0, 7.0, 10.0)) -> Figure:
    """Root-to-column threshold ratio against dorsal CSF thickness for three contact spacings."""
    from painlab import neuromodulation

    fig, (ax,) = new_figure(1, width_in=7.0, height_in=3.4)
    thickness = np.linspace(1.0, 8.0, 71)
    for spacing, colour in zip(spacings_mm, (PALETTE["blue"], PALETTE["green"], PALETTE["orange"])):
        ratios = [neuromodulation.fibre_recruitment(t, spacing, "guarded").threshold_ratio for t in thickness]
        ax.plot(thickness, ratios, color=colour, lw=2, label=f"guarded, {spacing:g} mm spacing")
    ratios = [neuromodulation.fibre_recruitment(t, 7.0, "monopolar").threshold_ratio for t in thickness]
    ax.plot(thickness, ratios, color=PALETTE["grey"], lw=2, ls="--", label="monopolar")
    ax.axhline(1.0, color=PALETTE["black"], lw=0.8)
    ax.set(yscale="log", ylim=(0.3, 20), xlim=(1, 8), xlabel="dorsal CSF thickness (mm)",
           ylabel="root threshold ÷ column threshold", title="Selectivity for the dorsal columns (homogeneous model)")
    ax.set_yticks([0.5, 1, 2, 5, 10], labels=["0.5", "1", "2", "5", "10"])
    ax.minorticks_off()
    ax.legend(loc="upper right", fontsize=8)
    return fig


def figure_csf_thickness() -> Figure:
    """Dorsal CSF thickness by spinal level (ranges measured by MRI, supine; prone adds at T11 and T12)."""
    from painlab.reference import neuromodulation as ref

    fig, (ax,) = new_figure(1, width_in=7.0, height_in=3.0)
    levels = list(ref.DORSAL_CSF_THICKNESS_MM)
    for i, level in enumerate(levels):
        span = ref.DORSAL_CSF_THICKNESS_MM[level]
        ax.barh(i, span.high_mm - span.low_mm, left=span.low_mm, color=PALETTE["sky"], height=0.5,
                label="supine range" if i == 0 else None)
        if span.prone_increase_mm:
            ax.barh(i, span.prone_increase_mm, left=span.high_mm, color="none", edgecolor=PALETTE["blue"], hatch="//",
                    height=0.5, label="about this much more when prone" if level == "T11" else None)
    ax.set_yticks(range(len(levels)), labels=levels)
    ax.invert_yaxis()
    ax.set(xlabel="dorsal CSF thickness (mm)", xlim=(0, 10), title="Distance from the dura to the cord (MRI, 26 volunteers)")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def figure_block_strategies() -> Figure:
    """Probability that a positive block is true against pre-test probability: one block, two independent
    blocks (the model) and comparative blocks as measured against placebo-controlled blocks."""
    from painlab import evidence
    from painlab.reference import evidence as ref

    fpr, sens = ref.SINGLE_BLOCK_FALSE_POSITIVE_RATE.value, ref.ILLUSTRATIVE_BLOCK_SENSITIVITY.value
    fig, (ax,) = new_figure(1, width_in=7.5, height_in=3.8)
    pretests = np.linspace(0.01, 0.9, 90)
    for blocks, colour, label in ((1, PALETTE["vermillion"], "one block"),
                                  (2, PALETTE["blue"], "two blocks (model: independent)")):
        ax.plot(pretests, [evidence.block_strategy_probabilities(p, fpr, sens, blocks).positive_predictive_value
                           for p in pretests], color=colour, lw=2, label=label)
    measured = [evidence.post_test_probability(p, ref.COMPARATIVE_BLOCK_SENSITIVITY.value,
                                               ref.COMPARATIVE_BLOCK_SPECIFICITY.value) for p in pretests]
    ax.plot(pretests, measured, color=PALETTE["green"], lw=2, ls="--", label="comparative blocks (measured accuracy)")
    ax.plot([0, 1], [0, 1], color=PALETTE["grey"], lw=0.8, ls=":")
    cervical = next(p for p in ref.PREVALENCE if p.population.startswith("chronic neck pain")).proportion
    for prevalence, text in ((ref.LUMBAR_FACET_PRETEST.value, "lumbar"), (cervical, "cervical after whiplash")):
        ax.axvline(prevalence, color=PALETTE["grey"], lw=1, ls=":")
        ax.text(prevalence + 0.01, 0.04, f"{text} {100 * prevalence:.0f} %", fontsize=8, color=PALETTE["grey"])
    ax.set(xlim=(0, 0.9), ylim=(0, 1), xlabel="pre-test probability",
           ylabel="probability the source is real", title="What a positive block is worth")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def figure_selection_funnel() -> Figure:
    """The model's funnel for 0, 1 and 2 blocks at the default (partly illustrative) inputs, beside the success
    rates the 2010 randomised trial of block paradigms reported."""
    from painlab import evidence
    from painlab.reference import evidence as ref

    inputs = (ref.FACET_REFERRAL_PRETEST.value, ref.SINGLE_BLOCK_FALSE_POSITIVE_RATE.value,
              ref.ILLUSTRATIVE_BLOCK_SENSITIVITY.value, ref.SUCCESS_IF_SOURCE.value, ref.SUCCESS_IF_NOT.value)
    funnels = [evidence.selection_funnel(*inputs, blocks=blocks) for blocks in (0, 1, 2)]
    fig, (ax_all, ax_treated) = new_figure(2, width_in=9.5, height_in=3.4)
    x = np.arange(3)
    labels = ["no block", "one block", "two blocks"]
    for ax, model, reported, title in (
            (ax_all, [f.successes_per_100 / 100 for f in funnels], [a.success_all_randomised for a in ref.COHEN_2010_ARMS],
             "Successes among all referred"),
            (ax_treated, [f.success_among_denervated for f in funnels],
             [a.success_among_denervated for a in ref.COHEN_2010_ARMS], "Successes among those denervated")):
        ax.bar(x - 0.2, model, width=0.4, color=PALETTE["blue"], label="model (illustrative inputs)")
        ax.bar(x + 0.2, reported, width=0.4, color=PALETTE["grey"], label="Cohen 2010 (reported)")
        ax.set_xticks(x, labels=labels)
        ax.set(ylim=(0, 1), ylabel="proportion", title=title)
    ax_all.legend(loc="upper right", fontsize=8)
    return fig


# --------------------------------------------------------------------------------------------
# Intravenous infusions
# --------------------------------------------------------------------------------------------


def figure_infusion_rates() -> Figure:
    """The same lidocaine dose given faster peaks higher; a 4-hour ketamine infusion stops well short of the
    steady state a continuous one approaches. Bands from :data:`painlab.reference.pharmacology.CONCENTRATION_BANDS`."""
    from painlab import pharmacology
    from painlab.reference import pharmacology as data

    fig, (ax_lido, ax_ket) = new_figure(2, width_in=10.0, height_in=3.6)
    lido_band = data.CONCENTRATION_BANDS["lidocaine"][0]
    ket_band = data.CONCENTRATION_BANDS["ketamine"][0]
    times = np.linspace(0.0, 240.0, 481)
    dose = data.LIDOCAINE_TRIAL_DOSE_MG_PER_KG.value
    for minutes, colour in ((30.0, PALETTE["vermillion"]), (60.0, PALETTE["blue"]), (120.0, PALETTE["green"])):
        rate = dose * 60.0 / minutes  # the trial dose over `minutes`
        concentration = pharmacology.infusion_plasma_concentration("lidocaine", 70.0, 0.0, rate, minutes, times)
        ax_lido.plot(times, concentration, color=colour, lw=2, label=f"{dose:g} mg/kg over {minutes:.0f} min")
    ax_lido.axhspan(lido_band.low_mcg_per_ml, lido_band.high_mcg_per_ml, color=PALETTE["orange"], alpha=0.25, lw=0,
                    label="minor side effects possible (secondary source)")
    ax_lido.axhline(data.LIDOCAINE_UPPER_RANGE_MCG_PER_ML, color=PALETTE["vermillion"], lw=1, ls="--")
    ax_lido.set(xlim=(0, 240), ylim=(0, 8.0), xlabel="time (min)", ylabel="plasma concentration (µg/mL)",
                title="Lidocaine, 70 kg: same dose, different rates")
    ax_lido.legend(loc="upper right", fontsize=8)
    hours = np.linspace(0.0, 24.0, 481)
    regimen, weight_kg = data.KETAMINE_CRPS_OUTPATIENT, 80.0
    rate_mg_per_h = regimen.rate_mg_per_h(weight_kg)
    course = pharmacology.infusion_plasma_concentration("ketamine", weight_kg, 0.0, rate_mg_per_h / weight_kg,
                                                        regimen.duration_min, hours * 60.0)
    continuous = pharmacology.infusion_plasma_concentration("ketamine", weight_kg, 0.0, rate_mg_per_h / weight_kg,
                                                            24 * 60.0, hours * 60.0)
    steady = rate_mg_per_h / pharmacology.clearance_l_per_h("ketamine", weight_kg)
    ax_ket.plot(hours, continuous, color=PALETTE["grey"], lw=1.5, ls="--", label=f"{rate_mg_per_h:g} mg/h continuously")
    ax_ket.plot(hours, course, color=PALETTE["blue"], lw=2,
                label=f"{rate_mg_per_h:g} mg/h for {regimen.duration_min / 60:g} h")
    ax_ket.axhline(steady, color=PALETTE["black"], lw=0.8, ls=":")
    ax_ket.text(23.5, steady + 0.01, "steady state = rate / clearance", ha="right", fontsize=8)
    ax_ket.axhspan(ket_band.low_mcg_per_ml, ket_band.high_mcg_per_ml, color=PALETTE["orange"], alpha=0.25, lw=0,
                   label="psychedelic effects rose across this range")
    ax_ket.set(xlim=(0, 24), ylim=(0, 0.4), xlabel="time (h)", ylabel="plasma concentration (µg/mL)",
               title="Ketamine, 80 kg (derived model)")
    ax_ket.legend(loc="upper right", fontsize=8)
    return fig


# --------------------------------------------------------------------------------------------
# Intrathecal pumps
# --------------------------------------------------------------------------------------------


def figure_refill_interval() -> Figure:
    """Days from refill to the low-reservoir alarm against daily dose, for several concentrations and both
    reservoir sizes: interval = (volume - alarm) x concentration / dose."""
    from painlab import intrathecal
    from painlab.reference import intrathecal as ref

    fig, (ax,) = new_figure(1, width_in=7.5, height_in=3.8)
    doses = np.geomspace(0.2, 20.0, 60)
    alarm = ref.LOW_RESERVOIR_ALARM_ML.value
    colours = (PALETTE["sky"], PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"])
    diluted = (2.0, 5.0)  # illustrative dilutions of the labelled strengths
    for concentration, colour in zip((*diluted, *ref.INFUMORPH_STRENGTHS_MG_PER_ML), colours):
        for volume, style in zip(ref.RESERVOIR_SIZES_ML, ("-", "--")):
            per_day = np.array([intrathecal.daily_volume_ml(d, concentration) for d in doses])
            label = f"{concentration:g} mg/mL" if volume == ref.RESERVOIR_SIZES_ML[0] else None
            ax.plot(doses, (volume - alarm) / per_day, color=colour, ls=style, lw=1.8, label=label)
    ax.set(xscale="log", yscale="log", xlim=(0.2, 20), ylim=(5, 3000), xlabel="daily dose (mg/day)",
           ylabel="days to the low-reservoir alarm",
           title=f"Refill interval: solid {ref.RESERVOIR_SIZES_ML[0]:g} mL, dashed {ref.RESERVOIR_SIZES_ML[1]:g} mL "
                 f"reservoir, alarm at {alarm:g} mL")
    ax.set_xticks([0.2, 0.5, 1, 2, 5, 10, 20], labels=["0.2", "0.5", "1", "2", "5", "10", "20"])
    ax.set_yticks([10, 30, 90, 180, 365, 1000], labels=["10", "30", "90", "180", "365", "1000"])
    ax.minorticks_off()
    for days in (30, 90, 180):
        ax.axhline(days, color=PALETTE["grey"], lw=0.6, ls=":")
        ax.text(0.21, days * 1.05, f"{days} days", fontsize=8, color=PALETTE["grey"])
    ax.legend(title="concentration", fontsize=8, loc="upper right")
    return fig


# --------------------------------------------------------------------------------------------
# Joints and the sacroiliac joint
# --------------------------------------------------------------------------------------------


def figure_si_clusters(pretest_probability: float | None = None) -> Figure:
    """Post-test probability against the number of positive SI provocation tests (of five): the naive product of
    likelihood ratios (a band over which tests are positive) against the two validated cluster rules."""
    from itertools import combinations

    from painlab import evidence
    from painlab.reference import evidence as ref

    prior = ref.SI_BLOCK_PREVALENCE.value if pretest_probability is None else pretest_probability
    tests = ref.SI_PROVOCATION_TESTS
    counts = np.arange(len(tests) + 1)
    low, high = [], []
    for count in counts:
        values = []
        for chosen in combinations(range(len(tests)), int(count)):
            results = [(t.sensitivity, t.specificity, i in chosen) for i, t in enumerate(tests)]
            values.append(evidence.post_test_probability_from_tests(prior, results))
        low.append(min(values))
        high.append(max(values))
    fig, (ax,) = new_figure(1, width_in=7.5, height_in=3.6)
    ax.fill_between(counts, low, high, color=PALETTE["vermillion"], alpha=0.3, lw=0,
                    label="LRs multiplied (range over which tests)")
    ax.plot(counts, [(a + b) / 2 for a, b in zip(low, high)], color=PALETTE["vermillion"], lw=1)
    for cluster, colour in ((ref.SI_CLUSTER_LASLETT, PALETTE["blue"]), (ref.SI_CLUSTER_VAN_DER_WURFF, PALETTE["green"])):
        probability = [evidence.cluster_rule_probability(prior, int(c), len(tests), ref.SI_CLUSTER_THRESHOLD,
                                                         cluster.sensitivity, cluster.specificity) for c in counts]
        ax.step(counts, probability, where="mid", color=colour, lw=2, label=cluster.name)
    ax.axhline(prior, color=PALETTE["grey"], ls="--", lw=1)
    ax.text(0.05, prior + 0.02, f"pre-test {100 * prior:.0f} %", fontsize=8, color=PALETTE["grey"])
    ax.set(xlim=(-0.2, 5.2), ylim=(0, 1), xlabel="positive provocation tests (of five)",
           ylabel="probability of SI joint pain", title="Correlated tests: the naive product overshoots")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def figure_joint_targets() -> Figure:
    """Schematic (not to scale) of the posterior sacrum with the SI joint's injection target and the lateral branch
    lesion targets, and of the right knee with the classic and revised genicular targets."""
    from matplotlib.patches import Circle, FancyBboxPatch, Polygon

    fig, (ax_si, ax_knee) = new_figure(2, width_in=10.0, height_in=4.4)
    # Posterior sacrum (a tapering shield) and right ilium; the joint line between them.
    sacrum = Polygon([(-2.2, 4.0), (2.2, 4.0), (1.3, -1.5), (0.0, -2.6), (-1.3, -1.5)], closed=True,
                     facecolor="#f2efe6", edgecolor=PALETTE["black"], lw=1.2)
    ilium = Polygon([(2.35, 4.3), (4.6, 5.0), (4.9, 1.0), (2.6, -1.0), (1.45, -1.3)], closed=True,
                    facecolor="#ece8dc", edgecolor=PALETTE["black"], lw=1.2)
    ax_si.add_patch(ilium)
    ax_si.add_patch(sacrum)
    ax_si.plot([2.25, 1.35], [4.1, -1.4], color=PALETTE["black"], lw=2.5)
    ax_si.plot([2.05, 1.5], [1.0, -1.2], color=PALETTE["orange"], lw=6, alpha=0.6, solid_capstyle="round")
    ax_si.text(2.3, -2.2, "inferior third of the joint:\ninjection target (x)", fontsize=8, color=PALETTE["orange"])
    ax_si.plot([1.6], [-0.75], marker="x", ms=10, mew=2.5, color=PALETTE["vermillion"])
    for level, y in (("S1", 2.4), ("S2", 1.0), ("S3", -0.3)):
        ax_si.add_patch(Circle((0.55, y), 0.22, facecolor="white", edgecolor=PALETTE["black"]))
        ax_si.text(0.05, y - 0.08, level, fontsize=8, ha="right")
        ax_si.plot([0.8, 1.85], [y, y + 0.2], color=PALETTE["blue"], lw=1.5)
        ax_si.plot([0.95, 1.25, 1.5], [y + 0.05, y + 0.1, y + 0.15], "o", color=PALETTE["green"], ms=5)
    ax_si.plot([0.9, 1.6], [3.5, 3.7], color=PALETTE["blue"], lw=1.5)
    ax_si.plot([1.05], [3.55], "o", color=PALETTE["green"], ms=5)
    ax_si.text(-0.1, 3.45, "L5 dorsal ramus", fontsize=8, ha="right")
    ax_si.text(-2.1, -2.9, "blue: lateral branches; green dots: lesion targets lateral to each foramen",
               fontsize=8, color=PALETTE["blue"])
    ax_si.set(xlim=(-2.6, 5.2), ylim=(-3.2, 5.4), aspect="equal", title="Right SI joint, posterior (schematic)")
    ax_si.axis("off")
    # Right knee, AP: femur, tibia, fibula; classic and revised genicular targets.
    ax_knee.add_patch(FancyBboxPatch((-1.0, 1.0), 2.0, 4.0, boxstyle="round,pad=0.1", facecolor="#f2efe6",
                                     edgecolor=PALETTE["black"]))
    ax_knee.add_patch(FancyBboxPatch((-1.8, -0.2), 3.6, 1.3, boxstyle="round,pad=0.2", facecolor="#f2efe6",
                                     edgecolor=PALETTE["black"]))
    ax_knee.add_patch(FancyBboxPatch((-1.7, -1.6), 3.4, 1.1, boxstyle="round,pad=0.2", facecolor="#ece8dc",
                                     edgecolor=PALETTE["black"]))
    ax_knee.add_patch(FancyBboxPatch((-0.9, -5.0), 1.8, 3.4, boxstyle="round,pad=0.1", facecolor="#ece8dc",
                                     edgecolor=PALETTE["black"]))
    ax_knee.add_patch(FancyBboxPatch((1.4, -4.6), 0.5, 2.6, boxstyle="round,pad=0.1", facecolor="#e4e0d2",
                                     edgecolor=PALETTE["black"]))
    classic = {"superomedial": (-1.05, 1.25, 0.35), "superolateral": (1.05, 1.25, 0.35),
               "inferomedial": (-0.95, -1.75, -0.45)}
    for name, (x, y, dy) in classic.items():
        ax_knee.plot(x, y, "o", color=PALETTE["vermillion"], ms=10)
        ax_knee.text(x + (-0.25 if x < 0 else 0.25), y + dy, name, fontsize=8, ha="right" if x < 0 else "left")
    revised = {"infrapatellar branch\nof the saphenous nerve": (-1.9, -0.5), "recurrent fibular nerve": (1.1, -2.1)}
    for name, (x, y) in revised.items():
        ax_knee.plot(x, y, "s", color=PALETTE["purple"], ms=9)
        ax_knee.text(x + (-0.3 if x < 0 else 0.3), y + (0.5 if x < 0 else -0.15), name, fontsize=8,
                     ha="right" if x < 0 else "left", va="top")
    ax_knee.plot([2.3, 1.9, 1.8], [-1.0, -2.6, -4.2], color=PALETTE["orange"], lw=2)
    ax_knee.text(2.4, -3.5, "common fibular\nnerve: avoid", fontsize=8, color=PALETTE["orange"])
    ax_knee.text(-3.45, -4.9, "circles: classic\ntargets\nsquares: added\nin revised\nprotocols", fontsize=8)
    ax_knee.set(xlim=(-3.5, 4.0), ylim=(-5.4, 5.4), aspect="equal", title="Right knee, AP (schematic)")
    ax_knee.axis("off")
    return fig


# --------------------------------------------------------------------------------------------
# Sympathetic blocks
# --------------------------------------------------------------------------------------------

# Row of each target on the schematic below (rows: C6, C7, T1, T2, …, T10, T11, T12, L1, L2, L3, L4, L5, sacrum,
# coccyx); .5 puts a marker on the boundary between two rows.
_TARGET_ROWS = {"stellate ganglion": 1.5, "splanchnic nerves": 7.0, "celiac plexus": 8.0,
                "lumbar sympathetic chain": 9.5, "superior hypogastric plexus": 12.5, "ganglion impar": 13.5}


def figure_sympathetic_targets() -> Figure:
    """A schematic column of vertebral levels from C6 to the coccyx with the six sympathetic targets
    (:data:`painlab.reference.anatomy.SYMPATHETIC_TARGETS`)."""
    from painlab.reference.anatomy import SYMPATHETIC_TARGETS

    fig, (ax,) = new_figure(1, width_in=8.0, height_in=5.2)
    # one row per drawn level; the ellipsis marks the thoracic levels left out
    rows = ["C6", "C7", "T1", "T2", "…", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S", "Co", ""]
    for index, name in enumerate(rows[:-1]):
        if name == "…":
            ax.text(0.55, index + 0.5, "⋮", ha="center", va="center", fontsize=12, color=PALETTE["grey"])
            continue
        height = 0.94 if name == "S" else 0.84
        ax.add_patch(FancyBboxPatch((0.3, index + 0.08), 0.5, height, boxstyle="round,pad=0.02",
                                                facecolor="#f2f2f2", edgecolor=PALETTE["grey"], lw=0.8))
        ax.text(0.55, index + 0.5, "sacrum" if name == "S" else ("coccyx" if name == "Co" else name), ha="center",
                va="center", fontsize=8)
    colours = (PALETTE["vermillion"], PALETTE["orange"], PALETTE["blue"], PALETTE["green"], PALETTE["purple"],
               PALETTE["sky"])
    for target, colour in zip(SYMPATHETIC_TARGETS.values(), colours):
        row = _TARGET_ROWS[target.name]
        level = "C6 injection; ganglion at C7–T1" if target.name == "stellate ganglion" else target.level
        ax.plot([0.92], [row + 0.5], marker="o", ms=9, color=colour)
        ax.plot([0.92, 1.25], [row + 0.5, row + 0.5], color=colour, lw=1)
        ax.text(1.3, row + 0.5, f"{target.name.capitalize()}: {level.replace('-', '–')}\n→ {target.serves}",
                va="center", fontsize=8.5)
    ax.set(xlim=(0, 3.6), ylim=(len(rows) - 0.5, 0), xticks=[], yticks=[],
           title="Sympathetic targets and what they serve (typical levels; they vary between people)")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def figure_sympathetic_warming() -> Figure:
    """Left: the rise a complete block can produce against the hand's temperature before it, for three rooms (the
    heat-balance model). Right: published volume-response data for stellate block at C6."""
    from painlab import sympathetic
    from painlab.reference import sympathetic as ref

    fig, (ax, data_ax) = new_figure(2, width_in=8.5, height_in=3.6)
    dilated = ref.FINGER_FLOW_HOT_ML_PER_100ML_MIN.value
    for room, colour in zip((18.0, 22.0, 26.0), (PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"])):
        top = sympathetic.steady_skin_temperature_c(dilated, room)
        before = np.linspace(room + 0.5, top - 0.05, 80)
        ax.plot(before, top - before, color=colour, lw=2, label=f"room {room:g} °C")
    ax.axvline(ref.MALMQVIST_PREBLOCK_MAX_C.value, color=PALETTE["grey"], ls="--", lw=1)
    ax.text(ref.MALMQVIST_PREBLOCK_MAX_C.value - 0.2, 15.5, f"{ref.MALMQVIST_PREBLOCK_MAX_C.value:g} °C", ha="right",
            fontsize=8, color=PALETTE["grey"])
    ax.axhline(ref.RELATIVE_RISE_C.value, color=PALETTE["grey"], ls=":", lw=1)
    ax.set(xlim=(18, 37), ylim=(0, 17), xlabel="fingertip before the block (°C)",
           ylabel="largest possible rise (°C)", title="A warm hand has little room to warm")
    ax.legend(fontsize=8)
    horner = [(r.volume_ml, r.fraction_with_sign) for r in ref.JUNG_2011_HORNER]
    data_ax.plot(*zip(*horner), marker="o", color=PALETTE["blue"], lw=1.5, label="Horner syndrome, 0.2 % ropivacaine")
    data_ax.plot(*zip(*ref.YOO_2019_SUCCESS), marker="s", color=PALETTE["vermillion"], lw=1.5,
                 label=f"relative rise ≥ {ref.RELATIVE_RISE_C.value:g} °C, 1 % lidocaine")
    data_ax.set(xlim=(1, 9), ylim=(0, 1.05), xlabel="volume at C6 (mL)", ylabel="fraction of blocks",
                title="Volume: the head is easy, the hand is not")
    data_ax.legend(fontsize=7.5, loc="lower right")
    return fig


# --------------------------------------------------------------------------------------------
# Epidural steroid injections
# --------------------------------------------------------------------------------------------


def figure_epidural_pressures() -> Figure:
    """Left: the loss-of-resistance trace for three body-mass groups (the drop moves by centimetres). Right: how far
    the plunger moves before injecting, air against saline, at the measured tissue pressures."""
    from painlab import epidural
    from painlab.reference import epidural as ref

    fig, (ax, syringe_ax) = new_figure(2, width_in=8.5, height_in=3.6)
    depths = np.linspace(0.0, 75.0, 1501)
    for (group, depth), colour in zip(ref.habitus_depths_mm().items(),
                                      (PALETTE["green"], PALETTE["blue"], PALETTE["vermillion"])):
        layers = epidural.midline_layers(depth)
        ax.plot(depths, epidural.pressure_trace_mmhg(depths, layers), color=colour, lw=1.8,
                label=f"{group}: space at {epidural.loss_of_resistance_depth_mm(layers):.0f} mm")
    ax.set(xlim=(15, 75), ylim=(0, 110), xlabel="straight depth from the skin (mm)", ylabel="pressure to inject (mmHg)",
           title="Same needle mark, different layer")
    ax.legend(fontsize=7.5, loc="center right")
    pressures = np.linspace(0.0, 110.0, 221)
    for content, style in ((2.0, "-"), (5.0, "--")):
        syringe_ax.plot(pressures, [epidural.plunger_travel_ml(p, "air", content) for p in pressures],
                        color=PALETTE["orange"], ls=style, lw=1.8, label=f"{content:g} mL air")
    syringe_ax.plot(pressures, [epidural.plunger_travel_ml(p, "saline", 5.0) for p in pressures],
                    color=PALETTE["blue"], lw=1.8, label="5 mL saline (about zero)")
    for name, label, height in (("epidural space", "epidural", 0.52), ("supraspinous ligament", "supraspinous", 0.52),
                                ("ligamentum flavum", "flavum", 0.46)):
        value = ref.INJECTION_PRESSURE_MMHG[name].mean_mmhg
        syringe_ax.axvline(value, color=PALETTE["grey"], lw=0.8, ls=":")
        syringe_ax.text(value + 1, height, f"{label}\n{value:g}", fontsize=7, color=PALETTE["grey"], va="top")
    syringe_ax.set(xlim=(0, 110), ylim=(0, 0.55), xlabel="tissue pressure at the tip (mmHg)",
                   ylabel="plunger travel before injecting (mL)", title="Why air bounces and saline does not")
    syringe_ax.legend(fontsize=7.5, loc="center right")
    return fig


def figure_block_check(room_temperature_c: float, blocked_before_c: float, blocked_after_c: float,
                       other_before_c: float, other_after_c: float, *, measured_at_min: float,
                       partial_flow_ml_per_100ml_min: float) -> Figure:
    """Measured hand temperatures after a block against the heat-balance model: the baseline flow that holds the
    blocked finger at its starting temperature, then a complete block (fully dilated flow) and a partial one."""
    from painlab import sympathetic
    from painlab.reference import sympathetic as ref

    baseline = sympathetic.flow_for_skin_temperature(blocked_before_c, room_temperature_c)
    minutes = np.linspace(0.0, max(30.0, measured_at_min + 10.0), 121)
    fig, (ax,) = new_figure(1, width_in=7.0, height_in=3.2)
    for label, flow, colour in (("complete block", ref.FINGER_FLOW_HOT_ML_PER_100ML_MIN.value, PALETTE["vermillion"]),
                                ("partial block", partial_flow_ml_per_100ml_min, PALETTE["orange"])):
        ax.plot(minutes, sympathetic.skin_temperature_after_block_c(minutes, baseline, flow, room_temperature_c),
                color=colour, lw=2, label=f"model, {label} ({flow:g} mL/(100 mL·min))")
    ax.plot([0, measured_at_min], [blocked_before_c, blocked_after_c], "o", color=PALETTE["black"],
            label="blocked hand, measured")
    ax.plot([0, measured_at_min], [other_before_c, other_after_c], "s", color=PALETTE["blue"],
            label="other hand, measured")
    ax.axhline(ref.MALMQVIST_BLOCKED_MIN_C.value, color=PALETTE["grey"], ls="--", lw=1)
    ax.set(xlabel="minutes after the block", ylabel="fingertip temperature (°C)",
           ylim=(min(blocked_before_c, other_before_c) - 3.0, 37.0))
    ax.legend(fontsize=8, loc="lower right")
    return fig


def figure_case_map(case: Any) -> Figure:
    """A branching case as a map: its decisions in columns by stage of care, an arrow for every place an
    option leads (green when a best choice leads there, orange otherwise); the best path is drawn thicker."""
    from painlab.cases import END, STAGE_TITLES

    order = list(case.decisions)
    best = case.best_path()
    x_of: dict[str, float] = {d: float(i) for i, d in enumerate(best)}
    y_of: dict[str, float] = {d: 0.0 for d in best}
    x_of[END], y_of[END] = float(len(best)), 0.0
    branches = [d for d in order if d not in best]
    for _ in range(len(branches)):  # place each branch between where it comes from and where it goes
        for decision_id in branches:
            if decision_id in x_of:
                continue
            sources = [d for d in order if d in x_of and decision_id in case.decisions[d].successors()]
            if not sources:
                continue
            after = [x_of[t] for t in case.decisions[decision_id].successors() if t in x_of]
            start = min(x_of[d] for d in sources)
            x = (start + min(after)) / 2 if after and min(after) > start else start + 0.5
            taken = [y_of[d] for d in x_of if d != END and abs(x_of[d] - x) < 0.3 and y_of[d] < 0]
            x_of[decision_id], y_of[decision_id] = x, min(taken, default=0.0) - 1.0
    numbering = {d: i for i, d in enumerate(sorted((d for d in order if d in x_of),
                                                    key=lambda d: (y_of[d] < 0, x_of[d], -y_of[d])), 1)}
    depth = -min(y_of.values())
    figure, axes = new_figure(width_in=10.0, height_in=1.6 + 0.9 * depth)
    ax = axes[0]
    best_edges = set(zip(best, best[1:] + [END]))
    for decision_id in numbering:
        decision = case.decisions[decision_id]
        leads: dict[str, bool] = {}  # target -> whether a best choice leads there
        if decision.calculation is not None:
            leads[decision.calculation.next] = True
        for option in decision.options:
            leads[option.next] = leads.get(option.next, False) or option.score == decision.points
        for target, good in leads.items():
            colour = PALETTE["green"] if good else PALETTE["orange"]
            width = 2.6 if (decision_id, target) in best_edges else 1.2
            ax.annotate("", xy=(x_of[target], y_of[target]), xytext=(x_of[decision_id], y_of[decision_id]),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": width, "shrinkA": 14, "shrinkB": 14,
                                    "connectionstyle": "arc3,rad=0.15" if y_of[target] != y_of[decision_id] else
                                    "arc3,rad=0.0"})
    for decision_id in numbering:
        stage = case.decisions[decision_id].stage
        ax.plot(x_of[decision_id], y_of[decision_id], "o", ms=22, color="white", mec=PALETTE["blue"], mew=2)
        ax.text(x_of[decision_id], y_of[decision_id] + 0.42, STAGE_TITLES[stage].split(" ")[0], ha="center",
                fontsize=7, color=PALETTE["blue"])
        ax.text(x_of[decision_id], y_of[decision_id], str(numbering[decision_id]), ha="center", va="center",
                fontsize=9)
    ax.plot(x_of[END], 0.0, "s", ms=16, color=PALETTE["black"])
    ax.text(x_of[END], 0.42, "End", ha="center", fontsize=7)
    ax.set_xlim(-0.7, x_of[END] + 0.7)
    ax.set_ylim(min(y_of.values()) - 0.6, 0.8)
    ax.axis("off")
    ax.set_title(textwrap.fill(f"{case.title}: best path on the top row, where other choices lead below "
                               f"(maximum {case.max_score} points)", 110), fontsize=9)
    return figure


# --------------------------------------------------------------------------------------------
# Module 03: following a plan, reading a trial, explaining a result
# --------------------------------------------------------------------------------------------

PROGRESS_VISITS = ("baseline", "6 weeks", "3 months", "6 months")
"""The follow-up points of the plan monitor (any number of visits can be drawn)."""


@dataclass
class ProgressArtists:
    """The changing parts of one progress panel: the scores and the two zones around baseline."""

    line: Line2D
    improvement_zone: Rectangle
    worse_zone: Rectangle
    verdict: Any


def draw_progress_panel(ax: Axes, instrument: str, visits: Sequence[str] = PROGRESS_VISITS) -> ProgressArtists:
    """Axes for one outcome measure over the visits of a plan (lower is better), ready for
    :func:`update_progress_panel`."""
    from painlab.reference.assessment import MINIMAL_IMPORTANT_CHANGE

    scale_max = MINIMAL_IMPORTANT_CHANGE[instrument].scale_max
    improvement = Rectangle((-0.5, 0), len(visits), 0, color=PALETTE["green"], alpha=0.15, lw=0)
    worse = Rectangle((-0.5, 0), len(visits), 0, color=PALETTE["vermillion"], alpha=0.12, lw=0)
    ax.add_patch(improvement)
    ax.add_patch(worse)
    (line,) = ax.plot(range(len(visits)), np.zeros(len(visits)), "o-", color=PALETTE["blue"], lw=2, ms=6)
    names = {"nrs": "Pain (NRS 0-10)", "vas": "Pain (VAS 0-100 mm)", "odi": "Disability (ODI %)"}
    ax.set(xlim=(-0.5, len(visits) - 0.5), ylim=(0, scale_max * 1.02), xticks=range(len(visits)),
           ylabel=names.get(instrument, instrument), title=names.get(instrument, instrument))
    ax.set_xticklabels(visits)
    ax.text(-0.4, 0.02 * scale_max, "important improvement", fontsize=7, color=PALETTE["green"], va="bottom")
    ax.text(-0.4, 1.0 * scale_max, "important worsening", fontsize=7, color=PALETTE["vermillion"], va="top")
    verdict = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=8,
                      bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    return ProgressArtists(line, improvement, worse, verdict)


def update_progress_panel(artists: ProgressArtists, review: Any) -> None:
    """Show a :class:`painlab.assessment.ProgressReview`: green below the score an important improvement
    needs, red above the score that counts as worse."""
    from painlab.assessment import improvement_needed
    from painlab.reference.assessment import MINIMAL_IMPORTANT_CHANGE

    threshold = MINIMAL_IMPORTANT_CHANGE[review.instrument]
    baseline = review.scores[0]
    artists.line.set_data(range(len(review.scores)), review.scores)
    artists.improvement_zone.set_height(max(baseline - improvement_needed(review.instrument, baseline), 0.0))
    worse_from = min(baseline + threshold.points, threshold.scale_max * 1.02)
    artists.worse_zone.set_y(worse_from)
    artists.worse_zone.set_height(threshold.scale_max * 1.02 - worse_from)
    artists.verdict.set_text(review.verdict)


def figure_progress(*reviews: Any, visits: Sequence[str] = PROGRESS_VISITS) -> Figure:
    """One panel per :class:`painlab.assessment.ProgressReview`: the scores over the visits, the zone of an
    important improvement (green) and of an important worsening (red)."""
    fig, axes = new_figure(len(reviews), width_in=4.5 * len(reviews), height_in=3.2)
    for ax, review in zip(axes, reviews):
        update_progress_panel(draw_progress_panel(ax, review.instrument, visits[:len(review.scores)]), review)
    return fig


ICON_COLOURS = {"better anyway": PALETTE["sky"], "better only with the treatment": PALETTE["green"],
                "better only with the control": PALETTE["vermillion"], "not better": "#dddddd"}
"""Colours of the groups in an icon array (the same in every lesson)."""


def draw_icon_array(ax: Axes, per: int = 100, columns: int = 10) -> Any:
    """``per`` round icons in rows of ``columns``, filled later by :func:`colour_icon_array`."""
    rows = int(np.ceil(per / columns))
    index = np.arange(per)
    icons = ax.scatter(index % columns, rows - 1 - index // columns, s=260, c=["#dddddd"] * per,
                       edgecolors="white", linewidths=1.0)
    ax.set(xlim=(-0.7, columns - 0.3), ylim=(-0.7, rows - 0.3), aspect="equal", xticks=[], yticks=[])
    for side in ax.spines.values():
        side.set_visible(False)
    return icons


def icon_groups(frequencies: Any) -> list[tuple[str, int]]:
    """The groups of a :class:`painlab.evidence.NaturalFrequencies`, in the order they fill the array."""
    extra = frequencies.better_because_of_treatment
    return [("better anyway", frequencies.better_anyway),
            ("better only with the treatment" if extra >= 0 else "better only with the control", abs(extra)),
            ("not better", frequencies.not_better)]


def colour_icon_array(icons: Any, frequencies: Any) -> None:
    colours = [ICON_COLOURS[name] for name, count in icon_groups(frequencies) for _ in range(count)]
    icons.set_facecolors(colours)


def figure_icon_array(frequencies: Any, *, labels: Sequence[str] | None = None) -> Figure:
    """An icon array of :class:`painlab.evidence.NaturalFrequencies` with a legend that gives the counts
    (``labels`` renames the three groups, e.g. for an adverse outcome)."""
    fig, (ax,) = new_figure(1, width_in=7.0, height_in=3.6)
    icons = draw_icon_array(ax, frequencies.per)
    colour_icon_array(icons, frequencies)
    groups = icon_groups(frequencies)
    handles = [Line2D([], [], marker="o", ls="", ms=10, color=ICON_COLOURS[name]) for name, _ in groups]
    names = labels if labels is not None else [name for name, _ in groups]
    texts = [f"{count} {label}" for (_, count), label in zip(groups, names)]
    fig.legend(handles, texts, loc="outside right center", frameon=False, fontsize=9)
    ax.set_title(f"Out of {frequencies.per} people", fontsize=10)
    return fig


REPLICATION_BINS = np.arange(-2.0, 5.01, 0.25)
"""Bins (NRS points of benefit) of the histogram of estimated effects."""


@dataclass
class ReplicationArtists:
    significant_bars: Any
    other_bars: Any
    true_line: Line2D
    power_bars: Any
    power_labels: list[Any]


def draw_replication_panels(ax_estimates: Axes, ax_power: Axes) -> ReplicationArtists:
    """A histogram of each run's estimated benefit (significant runs in colour) and the power of two analyses."""
    centres = (REPLICATION_BINS[:-1] + REPLICATION_BINS[1:]) / 2
    width = REPLICATION_BINS[1] - REPLICATION_BINS[0]
    other = ax_estimates.bar(centres, np.zeros(centres.size), width=width * 0.95, color=PALETTE["grey"], alpha=0.6,
                             label="not significant")
    significant = ax_estimates.bar(centres, np.zeros(centres.size), width=width * 0.95, color=PALETTE["blue"],
                                   label="significant (p < 0.05)")
    true_line = ax_estimates.axvline(0, color=PALETTE["vermillion"], lw=2, label="true effect")
    ax_estimates.set(xlim=(REPLICATION_BINS[0], REPLICATION_BINS[-1]), ylim=(0, 0.6),
                     xlabel="estimated benefit, treated vs control (NRS points)", ylabel="share of trials",
                     title="The same trial, run many times")
    ax_estimates.legend(loc="upper right", fontsize=8)
    power = ax_power.bar([0, 1], [0, 0], color=[PALETTE["blue"], PALETTE["orange"]], width=0.6)
    ax_power.set(xticks=[0, 1], ylim=(0, 1.1), ylabel="share of trials significant (power)", title="Power")
    ax_power.set_xticklabels(["mean change\n(t-test)", "responders\n(z-test)"], fontsize=8)
    labels = [ax_power.text(i, 0.02, "", ha="center", va="bottom", fontsize=9) for i in (0, 1)]
    return ReplicationArtists(significant, other, true_line, power, labels)


def update_replication_panels(artists: ReplicationArtists, replications: Any) -> None:
    """Show a :class:`painlab.evidence.TrialReplications` (benefit = minus the between-arm difference)."""
    benefit = -replications.difference_nrs
    clipped = np.clip(benefit, REPLICATION_BINS[0], REPLICATION_BINS[-1] - 1e-9)
    hits = replications.significant
    significant = np.histogram(clipped[hits], bins=REPLICATION_BINS)[0] / replications.runs
    everything = np.histogram(clipped, bins=REPLICATION_BINS)[0] / replications.runs
    for bar, height in zip(artists.other_bars, everything):
        bar.set_height(height)
    for bar, height in zip(artists.significant_bars, significant):
        bar.set_height(height)
    artists.true_line.set_xdata([replications.true_effect_nrs] * 2)
    for bar, label, value in zip(artists.power_bars, artists.power_labels,
                                 (replications.power_continuous, replications.power_responders)):
        bar.set_height(value)
        label.set_text(f"{100 * value:.0f} %")
        label.set_y(value + 0.02)


def figure_trial_replications(replications: Any) -> Figure:
    """:func:`draw_replication_panels` filled with one set of replications."""
    fig, axes = new_figure(2, width_in=9.0, height_in=3.4, width_ratios=(2.6, 1))
    artists = draw_replication_panels(*axes)
    update_replication_panels(artists, replications)
    return fig
