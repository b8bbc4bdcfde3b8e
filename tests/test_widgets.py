"""Explorers and self-checks: the controls start where the lesson says, react, and carry a static fallback."""

import base64

import pytest

from painlab import widgets
from painlab.widgets import WIDGET_VIEW_MIME, Question, SelfCheck


def test_membrane_explorer_starts_at_the_requested_values():
    explorer = widgets.membrane_explorer()
    assert explorer.values() == {"stimulus_ua_per_cm2": 10.0, "stimulus_duration_ms": 1.0, "temperature_c": 6.3,
                                 "sodium_block_fraction": 0.0}
    custom = widgets.membrane_explorer(temperature_c=18.5, sodium_block_fraction=0.37)
    assert custom.values()["temperature_c"] == 18.5 and custom.values()["sodium_block_fraction"] == 0.37


def test_membrane_slider_move_updates_status_and_image():
    explorer = widgets.membrane_explorer()
    assert "Action potential" in explorer.status.value
    before = bytes(explorer.image.value)
    explorer.controls["stimulus_ua_per_cm2"].value = 3.0  # subthreshold for a 1 ms pulse
    assert "No action potential" in explorer.status.value
    after = bytes(explorer.image.value)
    assert after != before and after.startswith(b"\x89PNG")
    explorer.set(stimulus_ua_per_cm2=20.0, sodium_block_fraction=0.9)
    assert "No action potential" in explorer.status.value
    with pytest.raises(ValueError, match="unknown control 'voltage'"):
        explorer.set(voltage=3.0)


def test_axon_explorer_blocks_and_conducts():
    explorer = widgets.axon_block_explorer()
    assert "Conduction blocked" in explorer.status.value  # 80 % over 1 cm
    explorer.set(blocked_length_cm=0.25, sodium_block_fraction=1.0)
    assert "got through" in explorer.status.value
    assert explorer.span.get_visible()
    explorer.set(blocked_length_cm=0.0)
    assert not explorer.span.get_visible()


def test_explorer_display_carries_widget_view_and_static_png():
    bundle = widgets.membrane_explorer()._repr_mimebundle_()
    assert WIDGET_VIEW_MIME in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "Action potential" in bundle["text/plain"]


def test_self_check_feedback_and_book_html():
    check = widgets.lesson_self_check("01_pain_physiology")
    assert len(check.questions) == 4
    question = check.questions[1]
    assert "Correct." in SelfCheck.feedback_html(question, question.correct)
    wrong = (question.correct + 1) % len(question.options)
    assert "Not quite." in SelfCheck.feedback_html(question, wrong)
    assert SelfCheck.feedback_html(question, None) == ""
    page = check.to_html()
    assert page.count("<details>") == 4 and "Answer: <b>C</b>" in page
    bundle = check._repr_mimebundle_()
    assert WIDGET_VIEW_MIME in bundle and bundle["text/html"] == page


def test_self_check_data_is_validated():
    with pytest.raises(ValueError, match="no self-check for lesson 'nope'"):
        widgets.load_questions("nope")
    with pytest.raises(ValueError, match="one feedback text per option"):
        Question("q?", ["a", "b"], 0, ["only one"])
    with pytest.raises(ValueError, match="correct must index an option"):
        Question("q?", ["a", "b"], 2, ["x", "y"])


def test_every_explorer_is_registered_for_the_benchmarks():
    explorer_classes = {cls for cls in vars(widgets).values()
                        if isinstance(cls, type) and issubclass(cls, widgets.Explorer) and cls is not widgets.Explorer}
    registered = {type(factory()) for factory, _, _ in widgets.EXPLORERS.values()}
    assert explorer_classes == registered, f"not in widgets.EXPLORERS (so not benchmarked): {explorer_classes - registered}"
    for name, (factory, control, values) in widgets.EXPLORERS.items():
        explorer = factory()
        before = bytes(explorer.image.value)
        explorer.controls[control].value = values[0] if explorer.controls[control].value != values[0] else values[1]
        assert bytes(explorer.image.value) != before, f"moving {control} of the {name} explorer changed nothing"


def test_rf_explorer_reports_the_lesion_and_switches_temperature_range_with_the_mode():
    explorer = widgets.rf_lesion_explorer()
    conventional = widgets._strip_tags(explorer.status.value)
    assert conventional.startswith(f"Lesion {explorer.lesion.width_mm:.1f} mm across")
    explorer.controls["mode"].value = "pulsed"
    slider = explorer.controls["set_temperature_c"]
    assert (slider.min, slider.max, slider.value) == (38.0, 42.0, 42.0)
    assert widgets._strip_tags(explorer.status.value).startswith("No thermal lesion")
    before = explorer.png()
    explorer.controls["mode"].value = "conventional"
    assert (slider.min, slider.max, slider.value) == (60.0, 95.0, 80.0)
    assert explorer.png() != before
    widgets.close_figures(explorer)


def test_scs_explorer_says_which_fibres_fire():
    explorer = widgets.scs_field_explorer(csf_thickness_mm=2.0, amplitude_multiple=1.2)
    assert "dorsal columns fire." in widgets._strip_tags(explorer.status.value)
    explorer.set(csf_thickness_mm=7.0)
    status = widgets._strip_tags(explorer.status.value)
    assert "dorsal columns and dorsal roots fire" in status and "dorsal roots fire first" in status
    explorer.set(amplitude_multiple=0.7)
    assert "no fibre fires." in widgets._strip_tags(explorer.status.value)
    widgets.close_figures(explorer)


def test_diagnostic_block_explorer_counts_patients_per_hundred():
    explorer = widgets.diagnostic_block_explorer()
    assert widgets._strip_tags(explorer.status.value).startswith(
        "Of 45.8 patients per 100 positive on the block, 13.5 truly have the source: probability 29 %")
    explorer.set(blocks=2)
    assert "Of 24.4 patients per 100 positive on both blocks, 12.2 truly have the source: probability 50 %" in \
        widgets._strip_tags(explorer.status.value)
    widgets.close_figures(explorer)


def test_facet_funnel_explorer_compares_the_three_strategies():
    explorer = widgets.facet_funnel_explorer()
    assert widgets._strip_tags(explorer.status.value) == (
        "Per 100 referred: no block treats 100 and 34 succeed (34 %); two blocks treat 34 after 154 blocks and 21 "
        "succeed (61 % of those treated), missing 5.7 true sources.")
    explorer.set(pretest_probability=0.6)
    assert "no block treats 100 and 54 succeed (54 %)" in widgets._strip_tags(explorer.status.value)
    widgets.close_figures(explorer)


def test_progress_monitor_reports_both_verdicts_and_follows_the_sliders():
    monitor = widgets.progress_monitor()
    text = widgets._strip_tags(monitor.status.value)
    assert "Pain: improvement lost (improvement at each follow-up: +3, +2, +1)" in text
    assert "Disability: improvement lost (improvement at each follow-up: +10, +8, +4)" in text
    monitor.set(nrs_3=4, nrs_2=4)
    assert "Pain: important improvement, sustained" in widgets._strip_tags(monitor.status.value)
    monitor.set(odi_3=58)
    assert "Disability: worse" in widgets._strip_tags(monitor.status.value)


def test_risk_communication_explorer_states_a_trial_three_ways_and_switches_to_own_numbers():
    explorer = widgets.risk_communication_explorer(preset="EVOKE 36 months (responders)")
    text = widgets._strip_tags(explorer.status.value)
    assert "49 with the outcome either way, 29 only with the treatment, 22 with neither" in text
    assert "relative risk 1.58 (+58 %)" in text and "+28.4 percentage points" in text and "NNT 3.5" in text
    explorer.controls["treatment_percent"].value = 30
    assert explorer.controls["preset"].value == explorer.CUSTOM
    text = widgets._strip_tags(explorer.status.value)
    assert "19 only with the control" in text and "NNT for the control 5.3" in text
    presets = widgets.risk_communication_presets()
    assert presets["PROCESS: ≥ 50 % leg pain relief at 6 months"] == (0.09, 0.48)


def test_trial_replication_explorer_reports_power_and_exaggeration():
    explorer = widgets.trial_replication_explorer()
    text = widgets._strip_tags(explorer.status.value)
    assert text.startswith("400 trials of 25 per arm: power ")
    assert "x the true effect" in text
    explorer.controls["true_treatment_effect_nrs"].value = 0.0
    assert "x the true effect" not in widgets._strip_tags(explorer.status.value)
