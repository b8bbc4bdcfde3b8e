"""The submission policy: every course solution passes, every known cheat is named; the grading
preprocessors cap output and scrub hidden tests from feedback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from painlab import submission_policy
from painlab.grading_preprocessors import LimitOutputBytes, ScrubGradeCellOutputs

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))


def solved(source: dict) -> dict:
    copy = json.loads(json.dumps(source))
    for cell in copy["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", text)
    return copy


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_every_course_solution_passes_the_policy(path):
    source = json.loads(path.read_text())
    assert submission_policy.notebook_violations(solved(source), source) == []


@pytest.mark.parametrize("code, reason", [
    ("import math\nmath.isclose = lambda *a, **k: True", "changes an attribute (math.isclose)"),
    ("import numpy as np\nnp.testing.assert_allclose = print", "changes an attribute (np.testing.assert_allclose)"),
    ("import builtins", "imports builtins"),
    ("from builtins import abs", "imports from builtins"),
    ("class Answer(float):\n    pass", "defines a class (Answer)"),
    ("x = (1.0).__class__", "uses the attribute __class__"),
    ("get_ipython().ast_transformers.append(None)", "uses get_ipython"),
    ("%env A=1", "uses get_ipython"),
    ("!ls ../../..", "uses get_ipython"),
    ("import sys\nsys.excepthook = print", "imports sys"),
    ("import os\nos._exit(0)", "imports os"),
    ("print(open('gradebook.db').read())", "uses open"),
    ("exec('x = 1')", "uses exec"),
    ("getattr(__import__('math'), 'pi')", "uses __import__"),
    ("A = type('A', (float,), {'__eq__': lambda s, o: True})", "names __eq__ in a string"),
    ("from painlab import checking\nchecking.expect_number = print", "changes an attribute (checking.expect_number)"),
    ("import signal", "imports signal"),
    ("from . import x", "imports from ."),
    # routes out of the allowed modules that assign nothing (found in review: the first was a full-marks cheat)
    ("from painlab import grading\ngrading.sys.modules.update({})", "imports grading from painlab, which is the module "
     "painlab.grading"),
    ("from painlab import grading\ngrading.sys.modules.update({})", "uses the attribute sys"),
    ("import painlab.grading", "imports painlab.grading"),
    ("from painlab.grading import sys", "imports from painlab.grading"),
    ("from painlab import widgets", "imports widgets from painlab"),
    ("from painlab import neuro\nm = neuro.np.ctypeslib", "uses the attribute ctypeslib"),
    ("import numpy as np\nnp.load('x.npy', allow_pickle=True)", "uses the attribute load"),
    ("import numpy as np\nnp.array([1.0]).ctypes.data", "uses the attribute ctypes"),
    ("import numpy as np\nnp.lib.stride_tricks.as_strided", "uses the attribute as_strided"),
    ("from numpy import load", "imports load from numpy"),
    ("from numpy import ctypeslib", "imports ctypeslib from numpy"),
    ("import numpy.ctypeslib", "imports numpy.ctypeslib"),
    ("x = [1]\nx._secret", "uses the private attribute _secret"),
    ("from painlab import rf\nrf.spla.spsolve", "reaches the module scipy.sparse.linalg through rf.spla"),
    ("import numpy as np\nm = np\nm.os", "uses the attribute os"),
])
def test_each_cheat_is_named(code, reason):
    found = [v.reason for v in submission_policy.cell_violations(code, "q1_answer")]
    assert reason in found, found


@pytest.mark.parametrize("code", [
    "first_pain_ms = 1.0 / 10.0 * 1000.0",
    "import numpy as np\nfrom painlab import neuro, pharmacology\nvalue = float(np.mean([1.0, 2.0]))",
    "answers = {}\nanswers['a'] = 3\nvalues = [x ** 2 for x in range(3)]",
    "def helper(x):\n    return 2 * x\nresult = helper(3.0)",
    "this is not valid python (",
    "import numpy as np\nx = np.linalg.norm([3.0, 4.0])\ny = np.array([1.0]).copy()\nz = np.trace(np.eye(2))",
    "value = '{:.1f}'.format(2.0)\nxs = [3, 1]\nxs.sort()",
    "import datetime\nimport statistics\nd = datetime.date(2024, 1, 1)\nm = statistics.mean([1, 2])",
    "from painlab.reference import FIBRE_CLASSES\nfrom painlab import pharmacology as ph\nf = ph.max_dose_mg",
])
def test_honest_code_passes(code):
    assert submission_policy.cell_violations(code, "q1_answer") == []


def test_names_imported_by_a_locked_cell_are_resolved_in_later_cells():
    source = {"cells": [{"cell_type": "code", "source": "from painlab import rf",
                         "metadata": {"nbgrader": {"grade_id": "setup", "locked": True}}}]}
    submitted = {"cells": source["cells"] + [{"cell_type": "code", "source": "solver = rf.spla",
                                              "metadata": {"nbgrader": {"grade_id": "q1", "solution": True}}}]}
    found = [str(v) for v in submission_policy.notebook_violations(submitted, source)]
    assert found == ["q1, line 1: reaches the module scipy.sparse.linalg through rf.spla"]


def test_locked_cells_are_not_checked_but_stripped_ones_are():
    test_cell = nbformat.v4.new_code_cell("import os", metadata={"nbgrader": {"grade_id": "q1_test", "locked": True,
                                                                             "grade": True, "solution": False}})
    source = nbformat.v4.new_notebook(cells=[test_cell])
    submitted = nbformat.from_dict(json.loads(json.dumps(source)))
    assert submission_policy.notebook_violations(submitted, source) == []
    submitted.cells[0].metadata = {}
    assert [str(v) for v in submission_policy.notebook_violations(submitted, source)] == ["cell 1, line 1: imports os"]
    forged = nbformat.from_dict(json.loads(json.dumps(source)))
    forged.cells[0].metadata["nbgrader"]["grade_id"] = "made_up"
    assert submission_policy.notebook_violations(forged, source)


def test_output_is_capped_in_bytes():
    cell = nbformat.v4.new_code_cell("print('x' * 10**6)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 1_000_000),
                    nbformat.v4.new_output("display_data", data={"image/png": "A" * 500_000, "text/plain": "fig"})]
    limiter = LimitOutputBytes(max_bytes=1000)
    cell, _ = limiter.preprocess_cell(cell, {}, 0)
    assert len(cell.outputs[0].text.encode()) < 1100 and "output truncated by the grader" in cell.outputs[0].text
    assert "image/png" not in cell.outputs[1].data and cell.outputs[1].data["text/plain"] == "fig"


def test_feedback_keeps_only_the_last_line_of_a_test_cell_traceback():
    cell = nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t"}})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hidden value 3.5"),
                    nbformat.v4.new_output("error", ename="AssertionError", evalue="dose is not the expected answer",
                                           traceback=["---", "expect_number(dose, 3.5)  # hidden test line", "---"])]
    cell, _ = ScrubGradeCellOutputs().preprocess_cell(cell, {}, 0)
    assert len(cell.outputs) == 1
    assert cell.outputs[0].traceback == ["AssertionError: dose is not the expected answer"]
    answer = nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": False, "solution": True}})
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text="my work")]
    assert ScrubGradeCellOutputs().preprocess_cell(answer, {}, 0)[0].outputs[0].text == "my work"
