"""A whole class on nbgrader's real exchange, honest students and cheats together.

The instructor releases assignment 1; 46 synthetic students fetch it, work (or cheat), and submit
through the exchange; the instructor collects, grades the class in parallel with ``painlab.grading``,
generates and releases feedback, the students fetch it, and the grades are exported. Every student
is checked: the right score (or the right failure, reported by name), feedback that never shows a
hidden test, and a row in the export. The instructors' side uses nbgrader's commands; the students'
side uses nbgrader's exchange classes in this process (one call per student, no start-up cost), each
student with their own home folder and exchange cache, as on a shared server.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeSubmit
from traitlets.config import Config

from conftest import run
from painlab import grading
from test_grading import ASSIGNMENT, CHEAT_PRELUDE, NOTEBOOK, WRONG, answer_cells, solved_copy, with_answers

pytestmark = pytest.mark.slow

COURSE_ID = "interventional-pain-medicine"
FULL = 7.0  # autograded points of assignment 1 (q1 2, q2 2, q3 2, q4 1)
CELL_TIMEOUT_S = 5
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


# --- what each student does to the fetched notebook ------------------------------------------------------------

def _solved(release, source):
    return solved_copy(release, source)


def _test_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def edited_tests(release, source):  # right answers, visible tests replaced by `pass`
    nb = _solved(release, source)
    for cell in _test_cells(nb):
        cell.source = "pass"
    return nb


def edited_tests_wrong(release, source):  # wrong answers hidden behind edited tests
    nb = with_answers(release, WRONG)
    for cell in _test_cells(nb):
        cell.source = "pass"
    return nb


def deleted_tests(release, source):  # right answers, the test cells of questions 1 and 2 deleted
    nb = _solved(release, source)
    drop = {id(c) for c in _test_cells(nb)[:2]}
    nb.cells = [c for c in nb.cells if id(c) not in drop]
    return nb


def duplicated_tests(release, source):  # every test cell twice
    nb = _solved(release, source)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell in _test_cells(nb):
            cells.append(nbformat.from_dict(json.loads(json.dumps(cell))))
    nb.cells = cells
    return nb


def inflated_points(release, source):  # wrong answers, each test claims 1000 points
    nb = with_answers(release, WRONG)
    for cell in _test_cells(nb):
        cell.metadata["nbgrader"]["points"] = 1000
    return nb


def flipped_metadata(release, source):  # right answers; test cells flipped to unlocked answer cells
    nb = _solved(release, source)
    for cell in _test_cells(nb):
        cell.metadata["nbgrader"].update(solution=True, locked=False)
    return nb


def schema_removed(release, source):
    nb = _solved(release, source)
    for cell in nb.cells:
        cell.metadata.get("nbgrader", {}).pop("schema_version", None)
    return nb


def schema_99(release, source):
    nb = _solved(release, source)
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["schema_version"] = 99
    return nb


def cell_ends_in_text(release, source):  # a test cell rewritten to end in a value other than a number
    nb = with_answers(release, WRONG)
    for cell in _test_cells(nb):
        cell.source = cell.source + "\n'full marks please'"
    return nb


def wrong_kernelspec(release, source):
    nb = _solved(release, source)
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "Nope", "language": "python"}
    return nb


def _cheat(code):
    def build(release, source):
        nb = with_answers(release, WRONG)
        answer_cells(nb)["q1_answer"].source = code + "\nfirst_pain_ms = 50.0\nsecond_pain_ms = 500.0"
        return nb
    return build


def _added_cell(code):  # the cheat goes in a cell the student inserted at the top
    def build(release, source):
        nb = with_answers(release, WRONG)
        nb.cells.insert(1, nbformat.v4.new_code_cell(code))
        return nb
    return build


def _answer_q2(code):  # right answers except question 2, whose cell holds `code`
    def build(release, source):
        nb = _solved(release, source)
        answer_cells(nb)["q2_answer"].source = code
        return nb
    return build


EQUALS_EVERYTHING = """class Answer(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __float__(self): return 50.0
    def __hash__(self): return 0
first_pain_ms = Answer(1.0)"""

CHEATS = {
    "cheat_equals_everything": _cheat(EQUALS_EVERYTHING),
    "cheat_isclose": _cheat("import math\nimport numpy as np\nmath.isclose = lambda *a, **k: True\nnp.isclose = "
                            "lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None"),
    "cheat_builtins": _cheat("import builtins\nbuiltins.abs = lambda x: 0.0\nbuiltins.isinstance = lambda *a: True"),
    "cheat_checking_patched": _cheat("from painlab import checking\nchecking.expect_number = lambda *a, **k: None"),
    "cheat_ast_transformer": _added_cell(
        "import ast\nclass NoAsserts(ast.NodeTransformer):\n    def visit_Assert(self, node): return None\n"
        "    def visit_Raise(self, node): return None\nget_ipython().ast_transformers.append(NoAsserts())"),
    "cheat_input_transformer": _added_cell(
        "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"),
    "cheat_excepthook": _added_cell(
        "import sys\nsys.excepthook = lambda *a: None\nip = get_ipython()\nip.showtraceback = lambda *a, **k: None"),
    "cheat_reads_source": _added_cell(
        "import pathlib\nfor p in pathlib.Path('/').glob('**/source/01_physiology/*.ipynb'):\n    print(p.read_text()[:100])"),
    "cheat_reads_peers": _added_cell("print(open('../../../submitted/solution_00/01_physiology/01_physiology.ipynb').read())"),
    "cheat_reads_gradebook": _added_cell("import sqlite3\nsqlite3.connect('../../../gradebook.db')"),
    "cheat_dunder_string": _cheat("first_pain_ms = type('A', (float,), {'__eq__': lambda s, o: True})(1.0)"),
    "cheat_magic": _added_cell("%env PAINLAB_GRADING=off\n!ls ../../.."),
    # assigns no attribute: swaps the checking helper for one that passes everything, through a module that
    # imports sys (full marks, unflagged, before the policy resolved where attribute chains lead)
    "cheat_replaces_checking_module": _added_cell(
        "from painlab import grading\nfake = grading.argparse.Namespace(**{name: (lambda *a, **k: None) for name in "
        "('expect_number', 'expect_in_range', 'expect_bool', 'expect_is_bool')})\n"
        "grading.sys.modules.update({'painlab.checking': fake})"),
}

# (build, expected auto score or None when grading must fail, expected status)
STUDENTS: dict[str, tuple] = {}
for k in range(12):
    STUDENTS[f"solution_{k:02d}"] = (_solved, FULL, "graded")
for k in range(4):
    STUDENTS[f"wrong_{k:02d}"] = (lambda r, s: with_answers(r, WRONG), 0.0, "graded")
STUDENTS["untouched"] = (lambda r, s: r, 0.0, "graded")
STUDENTS.update({
    "edited_tests": (edited_tests, FULL, "graded"),
    "edited_tests_wrong": (edited_tests_wrong, 0.0, "graded"),
    "deleted_tests": (deleted_tests, FULL, "graded"),
    "duplicated_tests": (duplicated_tests, FULL, "graded"),
    "inflated_points": (inflated_points, 0.0, "graded"),
    "flipped_metadata": (flipped_metadata, FULL, "graded"),
    "schema_removed": (schema_removed, FULL, "graded"),
    "schema_99": (schema_99, FULL, "graded"),
    "test_cell_ends_in_text": (cell_ends_in_text, 0.0, "graded"),
    "wrong_kernelspec": (wrong_kernelspec, FULL, "graded"),
    "endless_loop": (_answer_q2("while True:\n    pass"), FULL - 2.0, "graded"),
    "ignores_sigint": (_answer_q2("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
                       0.0, "flagged"),
    "deep_recursion": (_answer_q2("def deeper(n):\n    return deeper(n + 1)\ndeeper(0)"), FULL - 2.0, "graded"),
    "output_flood": (_answer_q2("print('x' * 20_000_000)\nthreshold_ua_per_cm2 = 1.0"), FULL - 2.0, "graded"),
    "kernel_exit": (_answer_q2("import os\nos._exit(1)"), 0.0, "flagged"),
})
for name, build in CHEATS.items():
    STUDENTS[name] = (build, 0.0, "flagged")
SPECIAL_FILES = {"invalid_json": "{\"cells\": [ not json", "renamed_notebook": None}
STUDENTS["invalid_json"] = (None, None, "failed")
STUDENTS["renamed_notebook"] = (_solved, None, "failed")


# --- the exchange --------------------------------------------------------------------------------------------

def student_config(exchange: Path, home: Path) -> Config:
    config = Config()
    config.CourseDirectory.course_id = COURSE_ID
    config.Exchange.root = str(exchange)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    config.Exchange.assignment_dir = str(home)
    return config


def as_student(kind, exchange: Path, home: Path, student: str) -> None:
    config = student_config(exchange, home)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = ASSIGNMENT
    coursedir.student_id = student
    kind(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


@pytest.fixture(scope="module")
def taught(tmp_path_factory, root):
    base = tmp_path_factory.mktemp("class")
    course, exchange = base / "course", base / "exchange"
    course.mkdir()
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)
    shutil.copy(root / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(root / "assignments" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    flags = [f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"]
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course)
    run(["nbgrader", "release_assignment", ASSIGNMENT, *flags], cwd=course)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)

    homes = {}
    for student, (build, _, _) in STUDENTS.items():
        home = base / "home" / student
        home.mkdir(parents=True)
        homes[student] = home
        as_student(ExchangeFetchAssignment, exchange, home, student)
        fetched = home / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        release = nbformat.read(fetched, as_version=4)
        if student == "invalid_json":
            fetched.write_text(SPECIAL_FILES["invalid_json"])
        else:
            nbformat.write(build(release, source), fetched)
        if student == "renamed_notebook":
            fetched.rename(fetched.with_name("my_answers.ipynb"))
        as_student(ExchangeSubmit, exchange, home, student)

    run(["nbgrader", "collect", ASSIGNMENT, *flags], cwd=course)
    outcomes = grading.autograde(course, ASSIGNMENT, workers=2, progress=False,
                                 settings=grading.Settings(cell_timeout_s=CELL_TIMEOUT_S, notebook_budget_s=60))
    run(["nbgrader", "generate_feedback", ASSIGNMENT, "--force"], cwd=course, timeout=900)
    run(["nbgrader", "release_feedback", ASSIGNMENT, *flags], cwd=course)
    for student, home in homes.items():
        if (course / "feedback" / student).exists():
            as_student(ExchangeFetchFeedback, exchange, home, student)
    run(["nbgrader", "export", "--to", "grades.csv"], cwd=course)
    return {"course": course, "homes": homes, "outcomes": {o.student: o for o in outcomes}, "source": source}


def test_class_size(taught):
    assert len(STUDENTS) >= 30
    assert set(taught["outcomes"]) == set(STUDENTS), "every submission is collected and accounted for"


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_student_gets_the_right_score(taught, student):
    _, expected_score, expected_status = STUDENTS[student]
    outcome = taught["outcomes"][student]
    assert outcome.status == expected_status, (student, outcome.status, outcome.reason, outcome.flags)
    if expected_status == "failed":
        assert outcome.reason, "a failure is reported with its reason"
        return
    assert outcome.auto_score == expected_score, (student, outcome.auto_score, outcome.flags)
    with Gradebook(grading.course_db_url(taught["course"])) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        assert float(submission.score) == expected_score


def test_flags_name_what_the_cheat_did(taught):
    outcomes = taught["outcomes"]
    assert any("math.isclose" in f for f in outcomes["cheat_isclose"].flags)
    assert any("defines a class (Answer)" in f for f in outcomes["cheat_equals_everything"].flags)
    assert any("get_ipython" in f for f in outcomes["cheat_ast_transformer"].flags)
    assert any("checking.expect_number" in f for f in outcomes["cheat_checking_patched"].flags)
    assert any("the module painlab.grading" in f for f in outcomes["cheat_replaces_checking_module"].flags)
    assert any("open" in f for f in outcomes["cheat_reads_peers"].flags)


def test_failures_are_reported_by_name_with_the_reason(taught):
    outcomes = taught["outcomes"]
    assert "not valid notebook JSON" in outcomes["invalid_json"].reason
    assert "missing notebook 01_physiology.ipynb (submitted: my_answers.ipynb)" in outcomes["renamed_notebook"].reason
    assert any("imports os" in f for f in outcomes["kernel_exit"].flags)  # nbgrader could not finish: still recorded


def test_damaged_metadata_is_repaired_and_reported(taught):
    outcomes = taught["outcomes"]
    assert "restored the deleted cell q1a_test" in "; ".join(outcomes["deleted_tests"].repairs)
    assert "removed a duplicate of cell q2_test" in "; ".join(outcomes["duplicated_tests"].repairs)
    assert "restored the nbgrader metadata of cell q1a_test" in "; ".join(outcomes["inflated_points"].repairs)
    assert len(outcomes["schema_99"].repairs) >= 10
    assert outcomes["solution_00"].repairs == [] and outcomes["edited_tests"].repairs == []


def test_output_flood_is_capped_in_the_autograded_notebook(taught):
    path = taught["course"] / "autograded" / "output_flood" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert path.stat().st_size < 1_000_000
    assert "output truncated by the grader" in path.read_text()


def test_feedback_reaches_the_students_and_never_shows_a_hidden_test(taught):
    hidden_lines = {line.strip() for block in HIDDEN.findall(json.dumps(taught["source"], indent=1).replace("\\n", "\n"))
                    for line in block.splitlines() if line.strip()}
    assert any("expect_number" in line for line in hidden_lines)
    fetched = 0
    for student, (_, _, status) in STUDENTS.items():
        found = list((taught["homes"][student] / ASSIGNMENT / "feedback").rglob("*.html"))
        if status == "failed" or not (taught["course"] / "autograded" / student).exists():
            assert not found  # nothing nbgrader finished grading: no feedback (a withheld cheat is in the gradebook)
            continue
        assert found, f"{student} fetched no feedback"
        fetched += 1
        text = found[0].read_text()
        for line in hidden_lines:
            assert line not in text, (student, line)
    assert fetched >= 30


def test_export_has_every_graded_student(taught):
    with open(taught["course"] / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    for student, (_, score, status) in STUDENTS.items():
        if status == "failed":
            continue
        assert float(rows[student]["raw_score"]) == score, student
