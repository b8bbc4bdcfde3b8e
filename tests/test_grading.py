"""An nbgrader round trip in a temporary copy of the course, with honest and dishonest students.

Generate the student version, build submissions from it, autograde them all in one run, and check
the scores in the gradebook: the instructor's solution earns every autograded point; the untouched
student version, wrong answers and cheats earn nothing; an endless loop is stopped by the per-cell
timeout and everyone else is still graded.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import run

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_physiology"
NOTEBOOK = "01_physiology"
AUTOGRADED_POINTS = 7.0
TEST_TIMEOUT_S = 5  # the course config uses 30 s; a shorter one keeps the endless-loop case quick

SECRET_BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def answer_cells(nb: nbformat.NotebookNode, cell_type: str = "code") -> dict[str, nbformat.NotebookNode]:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == cell_type}


def submit(course: Path, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")


def solved_copy(release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version with every answer cell filled in with the instructor's solution."""
    nb = nbformat.from_dict(release)
    for cell_type in ("code", "markdown"):
        solutions = answer_cells(source, cell_type)
        for grade_id, cell in answer_cells(nb, cell_type).items():
            cell.source = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", solutions[grade_id].source)
    return nb


def with_answers(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    cells = answer_cells(nb)
    for grade_id, source in answers.items():
        cells[grade_id].source = source
    return nb


WRONG = {
    "q1_answer": "first_pain_ms = 50.0\nsecond_pain_ms = 500.0",
    "q2_answer": "threshold_ua_per_cm2 = 30.0",
    "q3_answer": "block_fraction_to_stop = 0.2",
    "q4_answer": "short_segment_blocks = True",
}

CHEAT_PRELUDE = """
import math, builtins
import numpy as np
math.isclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
builtins.abs = lambda x: 0.0
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __hash__(self): return 0
"""

CHEATS = {
    "q1_answer": CHEAT_PRELUDE + "first_pain_ms = Anything(50.0)\nsecond_pain_ms = Anything(5.0)",
    "q2_answer": "threshold_ua_per_cm2 = Anything(3.0)",
    "q3_answer": "block_fraction_to_stop = Anything(0.5)",
    "q4_answer": "class Truthy(int):\n    def __eq__(self, other): return True\nshort_segment_blocks = Truthy(1)",
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory, root):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(root / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(root / "assignments" / "source", course / "source")
    generated = run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course)
    # nbgrader only logs a broken config file and carries on with its defaults: fail instead.
    assert "Exception while loading config file" not in generated.stdout + generated.stderr, generated.stderr

    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    submit(course, "solution", solved_copy(release, source))
    submit(course, "untouched", release)
    submit(course, "wrong", with_answers(release, WRONG))
    submit(course, "cheater", with_answers(release, CHEATS))
    edited_tests = with_answers(release, WRONG)
    for cell in edited_tests.cells:  # a student who replaces the visible tests with `pass`
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            cell.source = "pass"
    submit(course, "edited_tests", edited_tests)
    looping = solved_copy(release, source)
    answer_cells(looping)["q2_answer"].source = "while True:\n    pass"
    submit(course, "endless_loop", looping)

    result = run(["nbgrader", "autograde", ASSIGNMENT, "--create", "--force", f"--Execute.timeout={TEST_TIMEOUT_S}"],
                 cwd=course, timeout=900, check=False)
    return course, result


def autograded_score(course: Path, student: str) -> float:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return float(sum(grade.auto_score or 0.0 for notebook in submission.notebooks for grade in notebook.grades))


def test_release_is_generated(graded_course):
    course, _ = graded_course
    assert (course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()


def test_course_config_loads_with_its_timeout_and_feedback_settings(root):
    script = (
        "from nbgrader.apps import NbGraderAPI\n"
        "from traitlets.config.loader import PyFileConfigLoader\n"
        "config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
        "print(config.Execute.timeout, [p.__name__ for p in config.GenerateFeedback.preprocessors])\n"
    )
    result = run([sys.executable, "-c", script], cwd=root / "assignments")
    assert result.stdout.split()[0] == "30"
    assert "ClearHiddenTests" in result.stdout


@pytest.mark.parametrize(
    "student, expected",
    [
        ("solution", AUTOGRADED_POINTS),
        ("untouched", 0.0),
        ("wrong", 0.0),
        ("cheater", 0.0),
        ("edited_tests", 0.0),
        ("endless_loop", AUTOGRADED_POINTS - 2.0),  # only question 2 (2 points) is lost
    ],
)
def test_autograded_scores(graded_course, student, expected):
    course, result = graded_course
    assert autograded_score(course, student) == expected, result.stdout[-3000:] + result.stderr[-3000:]


def test_maximum_score_includes_the_manually_graded_answer(graded_course):
    course, _ = graded_course
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        assert assignment.max_score == AUTOGRADED_POINTS + 3.0
        submission = gradebook.find_submission(ASSIGNMENT, "solution")
        assert submission.needs_manual_grade  # the written answer waits for the instructor


def test_endless_loop_was_stopped_by_the_timeout(graded_course):
    course, result = graded_course
    graded = nbformat.read(course / "autograded" / "endless_loop" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    errors = [o for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert any("Interrupt" in o.ename or "Timeout" in o.ename for o in errors), [o.ename for o in errors]


def secret_lines(root: Path) -> set[str]:
    """Every substantial line inside a solution or hidden-test region of the instructors' notebooks."""
    lines = set()
    for path in (root / "assignments" / "source").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for _, body in SECRET_BLOCK.findall(cell.source + "\n"):
                # every line of 12 or more characters, except a lone word of wrapped prose ("alternatives."),
                # which is no secret and appears in ordinary text
                lines.update(line.strip() for line in body.splitlines()
                             if len(line.strip()) >= 12 and not line.strip().rstrip(".,;:").isalpha())
    return lines


def test_no_solution_or_hidden_test_line_reaches_the_release(graded_course, root):
    course, _ = graded_course
    secrets = secret_lines(root)
    assert len(secrets) > 10
    released = set()
    for path in (course / "release").rglob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            released.update(line.strip() for line in cell.source.splitlines())
    assert not secrets & released, sorted(secrets & released)[:5]
