"""Every assignment: the solution earns all autograded points; the untouched version and cheats earn none.

(The detailed class, with wrong answers, edited tests and an endless loop, is in test_grading.py.)
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import ROOT, run
from test_grading import CHEAT_PRELUDE as BASE_CHEAT_PRELUDE
from test_grading import answer_cells, solved_copy

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir()
                     if p.is_dir() and p.name != "01_physiology")

CHEAT_PRELUDE = BASE_CHEAT_PRELUDE + """
class AnyText(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def upper(self): return self
    def strip(self): return self
    def __hash__(self): return 0
"""


def assigned_names(source: str) -> list[str]:
    body = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", source)
    names = []
    for node in ast.parse(body).body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def cheating_copy(release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    solutions = answer_cells(source)
    for grade_id, cell in answer_cells(nb).items():
        lines = [CHEAT_PRELUDE]
        for name in assigned_names(solutions[grade_id].source):
            lines.append(f"{name} = Anything(1.0)")
            lines.append(f"{name}_text = AnyText('x')")
        cell.source = "\n".join(lines)
    return nb


def text_cheating_copy(release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    solutions = answer_cells(source)
    for grade_id, cell in answer_cells(nb).items():
        names = assigned_names(solutions[grade_id].source)
        cell.source = CHEAT_PRELUDE + "\n".join(f"{n} = AnyText('x') if True else None" for n in names)
    return nb


def autograded_points(nb: nbformat.NotebookNode) -> float:
    return float(sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells
                     if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")))


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory, root):
    assignment = request.param
    course = tmp_path_factory.mktemp(f"course-{assignment}")
    shutil.copy(root / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(root / "assignments" / "source" / assignment, course / "source" / assignment)
    generated = run(["nbgrader", "generate_assignment", assignment, "--force"], cwd=course)
    assert "Exception while loading config file" not in generated.stdout + generated.stderr
    notebook = next((course / "source" / assignment).glob("*.ipynb")).name
    source = nbformat.read(course / "source" / assignment / notebook, as_version=4)
    release = nbformat.read(course / "release" / assignment / notebook, as_version=4)
    for student, nb in (("solution", solved_copy(release, source)), ("untouched", release),
                        ("cheater", cheating_copy(release, source)), ("text_cheater", text_cheating_copy(release, source))):
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / notebook)
    result = run(["nbgrader", "autograde", assignment, "--create", "--force", "--Execute.timeout=60"], cwd=course,
                 timeout=900, check=False)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in ("solution", "untouched", "cheater", "text_cheater"):
            submission = gradebook.find_submission(assignment, student)
            scores[student] = float(sum(g.auto_score or 0.0 for n in submission.notebooks for g in n.grades))
    return assignment, autograded_points(source), scores, result


def test_solution_earns_every_autograded_point(graded):
    assignment, points, scores, result = graded
    assert points >= 6
    assert scores["solution"] == points, (assignment, scores, result.stdout[-2000:])


@pytest.mark.parametrize("student", ["untouched", "cheater", "text_cheater"])
def test_untouched_and_cheating_submissions_earn_nothing(graded, student):
    assignment, _, scores, _ = graded
    assert scores[student] == 0.0, (assignment, scores)


def test_every_assignment_is_worth_ten_points(root):
    """Ten points each, except the capstone: 14 automatic points and a 4-point written plan."""
    for assignment in ["01_physiology", *ASSIGNMENTS]:
        source = next((root / "assignments" / "source" / assignment).glob("*.ipynb"))
        nb = nbformat.read(source, as_version=4)
        total = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade"))
        assert total == (18 if assignment == "14_capstone" else 10), (assignment, total)
