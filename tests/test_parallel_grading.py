"""The parallel grader: same scores as serial nbgrader, and one broken submission never stops the others."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import run
from painlab import grading
from test_grading import ASSIGNMENT, CHEATS, NOTEBOOK, WRONG, answer_cells, solved_copy, with_answers

pytestmark = pytest.mark.slow
CELL_TIMEOUT_S = 5


def class_of(release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> dict[str, object]:
    """Students and their submissions: notebooks, or raw text for a file that is not a notebook."""
    looping = solved_copy(release, source)
    answer_cells(looping)["q2_answer"].source = "while True:\n    pass"
    crashing = solved_copy(release, source)
    answer_cells(crashing)["q3_answer"].source = "import os\nos._exit(1)"
    stripped = solved_copy(release, source)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
    return {
        "solution": solved_copy(release, source),
        "solution_2": solved_copy(release, source),
        "untouched": release,
        "wrong": with_answers(release, WRONG),
        "cheater": with_answers(release, CHEATS),
        "endless_loop": looping,
        "kernel_killer": crashing,
        "metadata_stripped": stripped,
        "invalid_json": '{"cells": [ this is not json',
    }


def make_course(root, destination, students):
    shutil.copy(root / "assignments" / "nbgrader_config.py", destination)
    shutil.copytree(root / "assignments" / "source" / ASSIGNMENT, destination / "source" / ASSIGNMENT)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=destination)
    for student, submission in students.items():
        folder = destination / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        target = folder / f"{NOTEBOOK}.ipynb"
        if isinstance(submission, str):
            target.write_text(submission)
        else:
            nbformat.write(submission, target)


def scores(course, students) -> dict[str, float]:
    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(ASSIGNMENT, student)
            except Exception:  # noqa: BLE001 - not graded
                continue
            found[student] = float(sum(g.auto_score or 0.0 for n in submission.notebooks for g in n.grades))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory, root):
    probe = tmp_path_factory.mktemp("probe")
    shutil.copy(root / "assignments" / "nbgrader_config.py", probe)
    shutil.copytree(root / "assignments" / "source" / ASSIGNMENT, probe / "source" / ASSIGNMENT)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=probe)
    source = nbformat.read(probe / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    release = nbformat.read(probe / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    students = class_of(release, source)

    parallel = tmp_path_factory.mktemp("parallel")
    make_course(root, parallel, students)
    outcomes = grading.autograde(parallel, ASSIGNMENT, workers=2, progress=False,
                                 settings=grading.Settings(cell_timeout_s=CELL_TIMEOUT_S, notebook_budget_s=180))

    serial = tmp_path_factory.mktemp("serial")
    make_course(root, serial, students)
    run(["nbgrader", "autograde", ASSIGNMENT, "--create", "--force", f"--Execute.timeout={CELL_TIMEOUT_S}"],
        cwd=serial, timeout=900, check=False)
    return {o.student: o for o in outcomes}, scores(parallel, students), scores(serial, students)


def test_every_student_is_accounted_for(graded):
    outcomes, _, _ = graded
    assert set(outcomes) == {"solution", "solution_2", "untouched", "wrong", "cheater", "endless_loop",
                             "kernel_killer", "metadata_stripped", "invalid_json"}


def test_expected_scores(graded):
    outcomes, parallel, _ = graded
    assert {"solution", "solution_2", "untouched", "wrong", "cheater", "endless_loop"} <= set(parallel), \
        {s: o.reason for s, o in outcomes.items() if not o.ok}
    assert parallel["solution"] == parallel["solution_2"] == 7.0
    assert parallel["untouched"] == parallel["wrong"] == parallel["cheater"] == 0.0
    assert parallel["endless_loop"] == 5.0  # only question 2 lost to the timeout


def test_broken_submissions_fail_alone_with_a_reason(graded):
    outcomes, parallel, _ = graded
    assert not outcomes["invalid_json"].ok and "not valid notebook JSON" in outcomes["invalid_json"].reason
    assert "invalid_json" not in parallel
    killer = outcomes["kernel_killer"]  # os._exit kills the kernel: nbgrader cannot finish, the policy names why
    assert killer.status == "flagged" and parallel["kernel_killer"] == 0.0
    assert killer.flags == ["01_physiology.ipynb: q3_answer, line 1: imports os",
                            "01_physiology.ipynb: q3_answer, line 2: uses the private attribute _exit"]
    assert outcomes["metadata_stripped"].ok and parallel["metadata_stripped"] == 0.0  # no cells nbgrader can grade


def test_same_scores_as_serial_nbgrader(graded):
    _, parallel, serial = graded
    common = set(parallel) & set(serial)
    assert {"solution", "untouched", "wrong", "cheater", "endless_loop"} <= common
    assert {s: parallel[s] for s in common} == {s: serial[s] for s in common}


def test_summary_and_csv(graded, tmp_path):
    outcomes, _, _ = graded
    ordered = sorted(outcomes.values(), key=lambda o: o.student)
    text = grading.summary(ordered)
    assert "invalid_json" in text and "FAILED" in text and "graded" in text
    grading.write_csv(ordered, tmp_path / "grades.csv")
    rows = (tmp_path / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("student,status,auto_score") and len(rows) == len(ordered) + 1
