"""Every lesson notebook runs top to bottom in a fresh kernel and shows what it promises."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def text_of(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in outputs(nb) if o.output_type == "stream")


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    return {path.stem: execute(path) for path in LESSONS}


def test_there_are_lessons():
    assert any(p.stem == "01_pain_physiology" for p in LESSONS)


def test_lessons_are_committed_without_outputs():
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), path


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_without_errors(executed, path):
    errors = [o for o in outputs(executed[path.stem]) if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_follows_the_template(path):
    headings = [line for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    for required in ("Learning objectives", "Clinical context", "Worked example", "pearls", "Self-check",
                     "Key points", "References"):
        assert any(required.lower() in h.lower() for h in headings), f"{path.stem}: no '{required}' section"


def test_pain_physiology_outputs(executed):
    nb = executed["01_pain_physiology"]
    text = text_of(nb)
    assert "Model resting potential: -65.0 mV" in text
    velocity_line = next(line for line in text.splitlines() if line.startswith("Conduction velocity in this model"))
    assert 18.0 <= float(velocity_line.split()[-2]) <= 19.2
    assert "Gap between first and second pain: 300 to 1,967 ms" in text

    bundles = [o.data for o in outputs(nb) if o.output_type in ("display_data", "execute_result")]
    explorers = [b for b in bundles if WIDGET_VIEW in b]
    # Two model widgets plus the self-check; each model carries a static figure for the book.
    assert sum("image/png" in b for b in explorers) == 2
    self_checks = [b for b in explorers if "text/html" in b and "painlab-selfcheck" in b["text/html"]]
    assert len(self_checks) == 1 and self_checks[0]["text/html"].count("<details>") == 4
    figures = [b for b in bundles if "image/png" in b]
    assert len(figures) >= 5  # fibre classes, two explorers, excitability, block length


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_a_self_check_and_static_figures_for_its_models(executed, path):
    bundles = [o.data for o in outputs(executed[path.stem]) if o.output_type in ("display_data", "execute_result")]
    checks = [b for b in bundles if "painlab-selfcheck" in b.get("text/html", "")]
    assert len(checks) == 1 and checks[0]["text/html"].count("<details>") == 4
    models = [b for b in bundles if WIDGET_VIEW in b and ("image/png" in b or "text/markdown" in b)]
    assert models, "a lesson needs at least one model with a static figure (or, for a case player, its report)"


def test_neuroanatomy_outputs(executed):
    text = text_of(executed["02_neuroanatomy"])
    assert "Lateral heel -> S1" in text and "ankle plantar flexors" in text and "S1 sacral foramen" in text
    assert "L4-5 facet joint: block the L3 and the L4." in text
    assert "L5-S1 facet joint: block the L4 and the L5 dorsal ramus." in text


def test_assessment_outputs(executed):
    text = text_of(executed["03_assessment"])
    assert "All ten sections: 28 / 50 -> ODI 56.0 %" in text
    assert "Section 8 blank:  26 / 45 -> ODI 57.8 %" in text
    assert "NRS    4 -> 2.8 : important improvement? True" in text
    assert "ODI   40 -> 31  : important improvement? False" in text


def test_pharmacology_outputs(executed):
    text = text_of(executed["04_pharmacology"])
    assert "4.5 mg/kg x 58 kg = 261 mg; cap 300 mg -> maximum 261 mg (the per-kilogram figure binds)" in text
    assert "at most 26.1 mL of 1 %" in text and "at most 40.6 mL of 1 %" in text
    assert "oxycodone 40 mg/day x 1.5 = 60 MME/day" in text
    assert "1. intercostal" in text and "7. subcutaneous" in text


def test_imaging_outputs(executed):
    text = text_of(executed["05_imaging"])
    assert "2. Unshielded at 0.5 m: 133.3 µSv (4 times more)" in text
    assert "The NRC lens limit is 7.5 times ICRP's recommended lens limit." in text


def test_radiofrequency_outputs(executed):
    text = text_of(executed["05_radiofrequency_ablation"])
    assert "18 G: lesion 6.2 mm wide, 12.5 mm long; nerve in the lesion at 1.5 mm: parallel 10.2 mm, perpendicular 0.2 mm" in text
    assert "18 G is 25 % wider than 22 G in the model." in text
    assert "22 G: lesion 5.0 mm wide, 11.8 mm long" in text and "at 3 mm parallel 0.0 mm" in text


def test_spinal_cord_stimulation_outputs(executed):
    text = text_of(executed["06_spinal_cord_stimulation"])
    assert "NRS 8 -> 5: 37.5 % relief, does not meet the pain criterion" in text
    assert "10 kHz  2.5 mA x 30 us = 0.075 uC per pulse; x 10000/s = mean current 0.750 mA (10.0 x tonic)" in text
    assert "PROCESS    responders 48.0% vs 9.0%: NNT 2.6 (kumar2007process)" in text
    assert "4. Roots need 1.27 x the column threshold at 3 mm (dorsal columns first) and 0.81 x at 6 mm (dorsal roots first)" in text


def test_nerve_block_outputs(executed):
    text = text_of(executed["01_nerve_blocks"])
    assert "1. One block: 13.5 true and 32.3 false positives per 100; P(source | positive) = 0.29" in text
    assert "the second block lost 1.3 true positives per 100" in text
    assert "3. Measured comparative-block accuracy: P = 0.44" in text
    assert "4. Correlated false positives (60 % repeat, illustrative): P = 0.39" in text
    assert "5. At 54 % prevalence: one block P = 0.74, two blocks P = 0.87" in text


def test_facet_outputs(executed):
    text = text_of(executed["04_facet_interventions"])
    assert "1. No block: 100 denervated, 34.5 succeed (24.0 with facet pain, 10.5 without)" in text
    assert "3. Two blocks: 153.6 block sessions, 34.4 denervated, 21.0 succeed (60.9 %), 5.7 true sources missed" in text
    assert "4. Two blocks avoid 65.6 ablations for 153.6 block sessions: 2.3 sessions per ablation avoided" in text
    assert "5. After one positive block P = 0.50; after two (independent) P = 0.71" in text


def test_scs_trial_numbers_in_the_prose_match_the_reference_data():
    """The evidence section narrates each trial; its numbers must be the ones painlab.reference stores."""
    import re

    from painlab.reference import neuromodulation as scs

    nb = nbformat.read(ROOT / "notebooks" / "02_techniques" / "06_spinal_cord_stimulation.ipynb", as_version=4)
    prose = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    paragraphs = prose.split("\n\n")
    for trial in scs.TRIALS.values():
        label = re.sub(r" (\d{4})$", r" et al. \1", trial.name)
        paragraph = next(p for p in paragraphs if f"**{label}**" in p)
        for number in re.findall(r"\d+(?:\.\d+)?", trial.result):
            assert number in paragraph, (trial.name, number)


def markdown_of(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/markdown", "") for o in outputs(nb))


def test_infusion_outputs(executed):
    nb = executed["09_trigger_points_and_infusions"]
    text = text_of(nb)
    assert "2. Model concentration after 4 h: 0.197 mcg/mL" in text
    assert "3. Clearance at 80 kg: 90.3 L/h; steady state 25 / 90.3 = 0.277 mcg/mL; after 4 h 71 % of it" in text
    assert "Lidocaine 5 mg/kg over 30 min, 70 kg: model peak 4.8 mcg/mL" in text
    assert "Lidocaine 5 mg/kg over 60 min, 70 kg: model peak 3.3 mcg/mL" in text
    assert "| lidocaine | 57 L/h | 99 L | 12 min | 100 min | 41 L (derived); reported 43 L | burm1987epidural |" in markdown_of(nb)


def test_intrathecal_outputs(executed):
    nb = executed["07_intrathecal_drug_delivery"]
    tables, text = markdown_of(nb), text_of(nb)
    assert "| 0.30 mL/day | 60.0 | 66.7 | 01 May 2026 | 07 May 2026 | 30 Apr 2026 |" in tables
    assert "| 2 mg/day at 5 mg/mL | 0.40 mL/day | 45.0 | 16 Apr 2026 | 50.0 |" in tables
    assert "Concentration for 60 days at 2 mg/day: 6.67 mg/mL" in text
    assert "Refused: low_reservoir_alarm_ml must be in [0, 20) mL (below the filled volume), got 25" in text
    assert "| Morphine | daily dose, opioid-naive | 0.2–1 mg/day | {cite:p}`infumorph_label` |" in tables
    assert "| Total |  | 210 |" in tables


def test_emerging_technology_outputs(executed):
    nb = executed["10_emerging_technologies"]
    table, text = markdown_of(nb), text_of(nb)
    assert ("| PNS 2019, primary (weeks 1–4) | percutaneous PNS vs placebo stimulation, ≥ 50 % less pain | 7/12 | 2/14 | "
            "+0.44 (+0.07 to +0.69) | 2.3 (95 % CI 1.5 to 13.8) | 0.038 | 1 |") in table
    assert "| 45/65 | 11/53 | +0.48 (+0.31 to +0.62) | 2.1 (95 % CI 1.6 to 3.2) | 1.4e-07 | 16 |" in table
    assert "EVOKE 36 months (reconstructed)" in table
    assert "Fisher p = 0.0375; fragility index = 1; excluded from the efficacy analysis: 2" in text


def test_joint_injection_outputs(executed):
    nb = executed["08_joint_and_sacroiliac_injections"]
    tables, text = markdown_of(nb), text_of(nb)
    assert "| thigh thrust | 0.88 | 0.69 | 2.84 | 0.17 |" in tables
    assert "| 2. Mrs D (3 of 5) | 30 % | 73.6 % | 64.7 % | 63.2 % |" in tables
    assert "| 3. all positive | 30 % | 97.5 % | 64.7 % | 63.2 % |" in tables
    assert "Step 2: product of the five LRs = 6.52; post-test odds = 0.30/0.70 x 6.52 = 2.79; probability 73.6 %" in text


def test_sympathetic_block_outputs(executed):
    nb = executed["02_sympathetic_blocks"]
    tables, text = markdown_of(nb), text_of(nb)
    assert "| 1 mL/(100 mL·min) | 26.3 °C | 25.3 min |" in tables
    assert "| 27 mL/(100 mL·min) | 35.7 °C | 3.0 min |" in tables
    assert "| 2 mL 0.2 % ropivacaine | Horner syndrome | 23/29 |" in tables
    assert "hazard ratio 1.56 (95 % CI 1.03 to 2.35)" in tables
    # the worked example: the numbers the prose quotes
    assert "in a 21 °C room: 1.5 mL/(100 mL·min)" in text
    assert "Model at 20 min, complete block (27 mL/(100 mL·min)): 35.6 °C" in text
    assert "Model at 20 min, partial block (5 mL/(100 mL·min)): 30.8 °C" in text
    assert "Relative rise +4.2 °C (blocked +4.5, other +0.3): the 1.5 °C criterion is met; 34 °C not reached." in text


def test_epidural_outputs(executed):
    nb = executed["03_epidural_steroid_injections"]
    tables, text = markdown_of(nb), text_of(nb)
    assert "| ligamentum flavum | 41.4 | 44.8 | 3.4 | 92 | measured (Ghelber 2008) |" in tables
    assert "| epidural space | 44.8 | 51.6 | 6.9 | 8 | measured (Ghelber 2008) |" in tables
    assert "normal weight (space centre at 40.4 mm): a tip at 45 mm is in the CSF" in text
    assert "obese (space centre at 55.2 mm): a tip at 45 mm is in the interspinous ligament" in text
    assert "Path to a straight depth of 55 mm at 15°: 56.9 mm of needle" in text
    assert "| Friedly 2014 (LESS) | Leg pain (0-10), 6 weeks | -0.2 (95 % CI -0.8 to 0.4), P = 0.48 |" in tables


@pytest.mark.parametrize("lesson, module, findings", [
    ("02_techniques/02_sympathetic_blocks", "sympathetic", "NEUROLYSIS_FINDINGS"),
    ("02_techniques/03_epidural_steroid_injections", "epidural", "EVIDENCE"),
    ("03_mastery/01_consultation_to_recovery", "assessment", "STRATIFIED_CARE_FINDINGS"),
])
def test_trial_numbers_in_the_prose_match_the_reference_data(lesson, module, findings):
    """Each trial finding the reference data stores is also narrated in the prose with the same numbers."""
    import importlib
    import re

    findings = getattr(importlib.import_module(f"painlab.reference.{module}"), findings)
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    prose = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown").replace("−", "-")
    for finding in findings:
        for number in re.findall(r"\d+(?:\.\d+)?", finding.result.replace(",", "")):
            assert number in prose.replace(",", ""), (finding.trial, finding.outcome, number)


def test_case_set_worked_examples(executed):
    from painlab import pharmacology
    from painlab.reference import intrathecal as intrathecal_data

    lumbar = text_of(executed["02_lumbar_cases"])
    ceiling_ml = pharmacology.dose_limit("lidocaine").cap_mg / pharmacology.mg_per_ml(1.0)
    assert f"82 kg: 1 % lidocaine up to {ceiling_ml:.1f} ml" in lumbar  # the label's ceiling binds
    assert "ODI 44 % -> 40 %: not yet important" in lumbar and "ODI 48 % -> 30 %: important improvement" in lumbar
    assert "After one positive block: 0.29" in lumbar
    assert "NRS 7 -> 6: not yet important" in text_of(executed["03_head_neck_cases"])
    cancer = text_of(executed["04_sympathetic_cancer_cases"])
    assert "Oxycodone 120 mg a day = 180 MME a day" in cancer
    assert (f"from a {intrathecal_data.RESERVOIR_SIZES_ML[0]:g} ml fill, alarm at "
            f"{intrathecal_data.LOW_RESERVOIR_ALARM_ML.value:g} ml: 5.0 mg/ml") in cancer
    joints = text_of(executed["05_neuromodulation_joint_cases"])
    assert "Trial relief: 56 % (meets the 50 % convention: True)" in joints
    assert "Sacroiliac joint pain after a positive cluster: 0.65" in joints


def test_mastery_lesson_outputs(executed):
    from painlab.reference import assessment as assessment_data

    consultation = text_of(executed["01_consultation_to_recovery"])
    assert "Pain, NRS: scores 7, 4, 5, 6; falls from baseline 3, 2, 1; important: yes, yes, no" in consultation
    assert "Function, ODI %: scores 46, 36, 38, 42; falls from baseline 10, 8, 4; important: yes, no, no" in consultation
    assert consultation.count("verdict: improvement lost") == 2
    assert "Tramadol 200 mg + codeine 240 mg a day = 76 MME a day" in consultation
    assert "STarT Back total 7, psychosocial subscale 5: high risk" in consultation
    assert "NRS [7, 7, 6, 5]: important improvement, not yet sustained" in consultation
    assert "ODI [44, 40, 33, 30]: important improvement, sustained" in consultation

    evidence_lesson = text_of(executed["06_evidence_based_practice"])
    assert "Ineffective treatment, 606 patients: mean change -2.6 points; 54% improved by at least 30 %" in evidence_lesson
    assert "25 per arm: power 42% (mean change), 33% (responders); significant runs overstate the effect 1.5-fold" \
        in evidence_lesson
    assert "150 per arm: power 99% (mean change), 93% (responders)" in evidence_lesson
    assert "PNS 2019, primary (weeks 1–4): 7/12 vs 2/14; NNT 2.3 (95 % CI 1.5 to 13.8); p = 0.038; fragility index 1" \
        in evidence_lesson
    assert "EVOKE 36 months: 52/67 vs 33/67; NNT 3.5 (95 % CI 2.3 to 8.3); p = 0.0011; fragility index 8" in evidence_lesson
    assert f"Minimal important change for the ODI: {assessment_data.MINIMAL_IMPORTANT_CHANGE['odi'].points:g} points" \
        in evidence_lesson
    tables = markdown_of(executed["06_evidence_based_practice"])
    assert "| Hara 2022 | burst SCS vs placebo stimulation | randomised, placebo-controlled crossover" in tables

    ethics = text_of(executed["07_ethics_and_team_care"])
    assert "Relative risk 1.58 (58% more responders)" in ethics and "Absolute difference 28.4%; NNT 3.5" in ethics
    assert "Out of 100: 49 better with open loop anyway, 29 better because of closed loop, 22 not better" in ethics
    assert "NNT 3.5 (95 % CI 2.3 to 8.3)" in ethics


def test_mastery_prose_quotes_the_numbers_the_library_computes():
    """Numbers the prose of lessons 06 and 07 states must be those the reference data holds or the code prints."""
    import re

    from painlab.reference import neuromodulation as scs

    def prose(stem: str) -> str:
        nb = nbformat.read(ROOT / "notebooks" / "03_mastery" / f"{stem}.ipynb", as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")

    from painlab.reference import assessment as assessment_data
    from painlab.reference import evidence as evidence_data

    evidence_prose = prose("06_evidence_based_practice")
    burst, placebo = (float(n) for n in re.findall(r"\d+\.\d+", scs.TRIALS["Hara 2022"].result))
    assert f"by {burst} points with burst stimulation" in evidence_prose and f"by {placebo} points" in evidence_prose
    # The prose says the burst arm's fall reaches the minimal important change on its own.
    assert f"The {burst}-point fall with burst stimulation reaches the minimal important change" in evidence_prose
    assert burst >= assessment_data.MINIMAL_IMPORTANT_CHANGE["odi"].points
    # "Only two of these trials had a placebo or sham control": count them in the table the lesson shows.
    table_rows = evidence_data.trial_designs_markdown().splitlines()[2:]
    controlled = [row for row in table_rows if re.search(r"placebo|sham", row.split("|")[2], re.I)]
    assert len(controlled) == 2 and "Only two of these trials had a placebo or sham control" in evidence_prose
    assert "one patient with a\ndifferent outcome would have removed the significance" in evidence_prose
    ethics_prose = prose("07_ethics_and_team_care")
    assert "about 49 respond\nwith open-loop stimulation anyway, about 29 more respond" in ethics_prose
    assert "28 more" not in ethics_prose
