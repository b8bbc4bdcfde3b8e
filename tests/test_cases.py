"""The case engine: every case file loads, every branch is reachable and ends, every option has cited
feedback, scores are bounded; broken files are rejected with a clear message; the session, the report
and the JupyterLab player agree."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from painlab import cases, pharmacology
from painlab.widgets import CasePlayer, CaseSetPlayer

ROOT = Path(__file__).resolve().parents[1]
BIB_KEYS = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M))
CASE_IDS = cases.case_ids()
REQUIRED_CASES = {
    "lumbar_radicular", "lumbar_stenosis_doac", "lumbar_facet", "sacroiliac", "upper_limb_crps", "fbss_scs",
    "pancreatic_cancer", "refractory_cancer_intrathecal", "trigeminal_neuralgia", "knee_oa_ckd",
    "osteoporotic_fracture", "myofascial_neck"}


def raw_example() -> dict:
    return yaml.safe_load((cases.CASE_DIRECTORY / "lumbar_radicular.yml").read_text())


def test_the_twelve_cases_of_the_syllabus_exist_and_every_case_set_has_cases():
    assert REQUIRED_CASES <= set(CASE_IDS), sorted(REQUIRED_CASES - set(CASE_IDS))
    for case_set in cases.CASE_SETS:
        assert len(cases.cases_in_set(case_set)) >= 2, case_set


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_case_loads_cites_real_sources_and_meets_every_stage(case_id):
    case = cases.load_case(case_id)
    assert case.citation_keys() <= BIB_KEYS, sorted(case.citation_keys() - BIB_KEYS)
    for decision in case.decisions.values():
        for option in decision.options:
            assert option.feedback and option.cites
    paths = list(case.paths())
    assert paths
    for path in paths:  # every branch ends (paths are finite) and meets all seven stages
        assert {case.decisions[d].stage for d, _ in path} == set(cases.STAGES)
    reachable = {d for path in paths for d, _ in path}
    assert reachable == set(case.decisions)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_scores_are_bounded_and_the_best_path_earns_the_maximum(case_id):
    case = cases.load_case(case_id)
    scores = [cases.path_score(case, path) for path in case.paths()]
    assert 0 <= min(scores) and max(scores) == case.max_score
    assert min(cases.path_score(case, p, calculations_right=False) for p in case.paths()) < case.max_score
    session = cases.CaseSession(case)
    for decision_id, option_id in case.best_choices():
        assert session.current_id == decision_id
        if option_id is None:
            session.answer(session.current.calculation.answer)
        else:
            session.choose(option_id)
    assert session.finished and session.score == case.max_score


def test_calculations_are_done_by_the_library():
    case = cases.load_case("lumbar_radicular")
    dose = case.decisions["dose"].calculation
    label = pharmacology.dose_limit("lidocaine")
    weight_based_ml = label.mg_per_kg * 82 / pharmacology.mg_per_ml(1.0)  # above the label's ceiling at 82 kg
    assert dose.answer == pharmacology.max_volume_ml("lidocaine", 1.0, 82) < weight_based_ml
    assert dose.is_correct(dose.answer) and dose.is_correct(dose.answer * 1.015)
    assert not dose.is_correct(weight_based_ml)
    assert not dose.is_correct(True) and not dose.is_correct(float("nan"))
    outcome = case.decisions["outcome"].calculation
    assert outcome.answer is True and outcome.is_correct(True) and not outcome.is_correct(1.0)


def test_a_session_scores_wrong_answers_and_follows_the_branch():
    case = cases.load_case("lumbar_radicular")
    session = cases.CaseSession(case)
    assert session.choose("facet_rf").points == 0
    session.choose("full_consent")
    dose = case.decisions["dose"].calculation
    step = session.answer(dose.answer * 1.23)  # the weight-based figure, ignoring the label's ceiling
    assert step.points == 0 and f"The library gives {dose.answer_text()}" in step.feedback
    session.choose("tf_particulate_aspirate")
    session.choose("inject_anyway")
    assert session.current_id == "abandon_after_injection"  # the complication branch
    with pytest.raises(ValueError, match="use choose"):
        session.answer(1.0)
    session.choose("stop_assess")
    session.answer(True)
    session.choose("long_opioids")
    assert session.finished and session.score == 2 + 2 + 1  # consent, managing the complication, the outcome
    with pytest.raises(ValueError, match="finished"):
        session.current


@pytest.mark.parametrize("change, message", [
    (lambda r: r["decisions"][0]["options"][0].update(next="nowhere"), "leads to 'nowhere'"),
    (lambda r: r["decisions"][-1]["options"][0].update(next="selection"), "loop"),
    (lambda r: r["decisions"][0]["options"][0].pop("feedback"), "'feedback' must be non-empty text"),
    (lambda r: r["decisions"][0]["options"][0].update(cites=[]), "at least one citation"),
    (lambda r: r["decisions"][0]["options"][0].update(score=7), "'score' must be an integer from 0 to 3"),
    (lambda r: r["decisions"][0]["options"][0].update(score=True), "'score' must be an integer"),
    (lambda r: r["decisions"][2]["calculation"].update(call="os.system"), "'call' must be one of"),
    (lambda r: r["decisions"][2]["calculation"]["args"].update(weight_kg=-5), "failed: weight_kg"),
    (lambda r: r["decisions"][2]["calculation"]["args"].update(drug="cocaine"), "failed: unknown"),
    (lambda r: r["decisions"].pop(4), "leads to 'vascular_pattern'"),
    (lambda r: r["decisions"][1].update(stage="triage"), "'stage' must be one of"),
    (lambda r: r["patient"].update(weight_kg=900), "weight_kg"),
    (lambda r: r.update(case_set="hips"), "'case_set' must be one of"),
    (lambda r: [o.update(score=0) for o in r["decisions"][0]["options"]], "at least one option must score"),
    (lambda r: r["decisions"].append({"id": "orphan", "stage": "plan", "prompt": "x", "options": [
        {"id": "a", "text": "a", "score": 1, "feedback": "f", "cites": ["k"], "next": "end"},
        {"id": "b", "text": "b", "score": 0, "feedback": "f", "cites": ["k"], "next": "end"}]}), "no path reaches: orphan"),
    (lambda r: r["decisions"][4]["options"][0].update(next="plan"), "never meets: outcome"),
])
def test_broken_case_files_are_rejected_with_a_clear_message(change, message):
    raw = copy.deepcopy(raw_example())
    change(raw)
    with pytest.raises(cases.CaseError, match=re.escape(message) if "'" not in message else message.replace("(", r"\(")):
        cases.parse_case(raw, "broken.yml")


def test_report_shows_the_case_the_decisions_and_the_citations():
    case = cases.load_case("lumbar_radicular")
    report = cases.report_markdown(case)
    assert report.startswith("### Lumbar disc herniation with radicular pain")
    for decision_id, option_id in case.best_choices():
        if option_id:
            assert f"{case.decisions[decision_id].option(option_id).text} **(best choice)**" in report
    answer = case.decisions["dose"].calculation.answer_text()
    assert f"`pharmacology.max_volume_ml(drug='lidocaine', percent=1.0, weight_kg=82)` gives **{answer}**" in report
    assert "{cite:p}`furman2000intravascular,rathmell2015safeguards,derby2008size`" in report
    assert "Where other choices lead" in report and "abandon after injection" in report
    assert f"*Maximum score: {case.max_score} points.*" in report


def test_citation_labels_read_the_bibliography():
    assert cases.citation_label("pinto2012sciatica") == "Pinto et al. 2012"
    assert cases.citation_label("fda2014epidural") == "U.S. Food and Drug Administration 2014"
    assert cases.citation_label("not-a-key") == "not-a-key"


def test_player_reveals_then_plays_the_case_to_the_debrief():
    player = CasePlayer(cases.load_case("lumbar_radicular"))
    assert "History" not in player.findings.value and player.answer_area.children == ()
    for _ in range(3):
        player.reveal()
    assert "Imaging." in player.findings.value and "Decision 1: Selection" in player.prompt.value
    player.submit()  # nothing chosen yet: nothing happens
    assert player.session.steps == []
    for decision_id, option_id in player.case.best_choices():
        if option_id is None:
            calculation = player.case.decisions[decision_id].calculation
            if isinstance(calculation.answer, bool):
                player.yes_no.value = calculation.answer
            else:
                player.number.value = calculation.answer
        else:
            player.choices.value = option_id
        player.submit()
        assert "Best choice." in player.feedback.value and "Sources:" in player.feedback.value
        assert player.continue_button.layout.display is None
        player.show_decision()
    assert f"Case complete: {player.case.max_score} of {player.case.max_score} points" in player.prompt.value
    bundle = player._repr_mimebundle_()
    assert bundle["text/markdown"].startswith("### Lumbar disc herniation")


def test_case_set_player_keeps_a_running_mastery_score():
    case = cases.load_case("lumbar_radicular")
    player = CaseSetPlayer([case, case])
    assert "Case 1 of 2" in player.mastery.value and player.next_case_button.layout.display == "none"
    first = player.players[0]
    for _ in range(3):
        first.reveal()
    for decision_id, option_id in case.best_choices():
        if option_id is None:
            first.yes_no.value = True
            first.number.value = 30.0
        else:
            first.choices.value = "esi" if decision_id == "selection" else option_id
        first.submit()
        first.show_decision()
    assert f"{case.max_score} / {case.max_score} points (100 %)" in player.mastery.value
    assert player.next_case_button.layout.display is None
    player.start_next()
    assert "Case 2 of 2" in player.mastery.value and len(player.players) == 2


def test_case_map_draws_every_decision_once_and_the_best_path_on_top():
    from painlab import plotting

    case = cases.load_case("lumbar_radicular")
    figure = plotting.figure_case_map(case)
    ax = figure.axes[0]
    numbers = sorted(int(t.get_text()) for t in ax.texts if t.get_text().isdigit())
    assert numbers == list(range(1, len(case.decisions) + 1))
    assert "maximum 14 points" in " ".join(ax.get_title().split())
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert sum(a.get_linewidth() > 2 for a in arrows) == len(case.best_path())  # the best path, drawn thick


def test_calculation_arguments_can_be_read_from_the_cited_reference_data():
    from painlab.reference import evidence as evidence_data
    from painlab.reference import intrathecal as intrathecal_data

    facet = cases.load_case("lumbar_facet").decisions["block_result"].calculation
    assert facet.args["pretest"] == evidence_data.LUMBAR_FACET_PRETEST.value
    assert facet.args["specificity"] == 1 - evidence_data.SINGLE_BLOCK_FALSE_POSITIVE_RATE.value
    pump = next(d.calculation for d in cases.load_case("refractory_cancer_intrathecal").decisions.values()
                if d.calculation and d.calculation.call == "intrathecal.concentration_for_interval")
    assert pump.args["filled_volume_ml"] == intrathecal_data.RESERVOIR_SIZES_ML[0]
    assert pump.args["low_reservoir_alarm_ml"] == intrathecal_data.LOW_RESERVOIR_ALARM_ML.value
    si = cases.load_case("sacroiliac").decisions["cluster"].calculation
    assert si.args["sensitivity"] == evidence_data.SI_CLUSTER_LASLETT.sensitivity
    assert "pretest=0.302" in cases.report_markdown(cases.load_case("sacroiliac"))


@pytest.mark.parametrize("spec, message", [
    ({"ref": "evidence.NO_SUCH_VALUE"}, "no reference value"),
    ({"ref": "evidence.SI_CLUSTER_LASLETT.name"}, "is not a number"),
    ({"ref": "evidence.LUMBAR_FACET_PRETEST", "scale": 2}, "a reference argument must be"),
])
def test_bad_reference_arguments_are_rejected(spec, message):
    raw = copy.deepcopy(raw_example())
    raw["decisions"][2]["calculation"]["args"]["weight_kg"] = spec
    with pytest.raises(cases.CaseError, match=message):
        cases.parse_case(raw, "broken.yml")
