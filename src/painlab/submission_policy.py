"""What a student's code may do in a graded notebook, checked outside the kernel before grading.

Hidden tests run in the same Python kernel as the student's code, so a student can, in principle,
change what the tests see: patch ``math.isclose`` or ``builtins``, return an object that equals
everything, register an IPython transformer that deletes ``assert`` statements, replace
``sys.excepthook``, read the instructors' files. nbgrader cannot stop that from inside the kernel,
and neither can any test cell, because the student's code ran first.

This module looks at the submission *before* it runs. Answers in this course need arithmetic, the
course library and a few standard modules; they never need to import ``os`` or ``sys``, define a
class, reach for a dunder attribute, assign an attribute of a module, call ``exec`` or talk to
IPython. Any student-controlled code cell that does one of those things is reported with its cell and
line, and :mod:`painlab.grading` withholds the automatic score of that submission for an instructor to
review. Locked cells (set-up and tests) are not checked: nbgrader restores their source from the
gradebook before grading, so what the student wrote there never runs.

The rules are deliberately strict and simple, so that a reviewer can explain a flag in one sentence.
They cannot catch everything (for example an endless loop or a flood of output: the grader's time
budget and output cap handle those), and the course's own tests are written to resist the in-kernel
tricks as a second line of defence (:mod:`painlab.checking`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Mapping

ALLOWED_IMPORTS = frozenset({"painlab", "math", "numpy", "statistics", "fractions", "decimal", "datetime"})
FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "__import__", "open", "globals", "locals", "vars", "setattr", "getattr", "delattr",
    "get_ipython", "__builtins__", "breakpoint", "input", "exit", "quit", "type", "super", "memoryview",
})


@dataclass(frozen=True)
class Violation:
    """One thing a student's cell does that answers never need."""

    cell: str  # the cell's grade_id, or "cell N" (1-based) for a cell without one
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.cell}, line {self.line}: {self.reason}"


def _python_source(cell_source: str) -> str:
    """IPython syntax (magics, shell escapes) turned into the Python the kernel would run."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def cell_violations(source: str, cell: str) -> list[Violation]:
    """Everything in one cell's source that the policy does not allow (an unparsable cell has none: it fails
    when it runs)."""
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError:
        return []
    found: list[Violation] = []

    def flag(node: ast.AST, reason: str) -> None:
        found.append(Violation(cell, getattr(node, "lineno", 0), reason))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in ALLOWED_IMPORTS:
                    flag(node, f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or module.split(".")[0] not in ALLOWED_IMPORTS:
                flag(node, f"imports from {'.' * node.level}{module}")
            for alias in node.names:
                if alias.name == "*" or _is_dunder(alias.name):
                    flag(node, f"imports {alias.name} from {module}")
        elif isinstance(node, ast.Name):
            if node.id in FORBIDDEN_NAMES:
                flag(node, f"uses {node.id}")
            elif _is_dunder(node.id) and node.id != "__name__":
                flag(node, f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and _is_dunder(node.attr):
            flag(node, f"uses the attribute {node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_dunder(node.value.strip()):
            flag(node, f"names {node.value.strip()} in a string")
        elif isinstance(node, ast.ClassDef):
            flag(node, f"defines a class ({node.name})")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute):
                        flag(node, f"changes an attribute ({ast.unparse(part)})")
                        break
    return sorted(set(found), key=lambda v: (v.line, v.reason))


def locked_cell_ids(source_notebook: Mapping) -> set[str]:
    """grade_ids of the instructors' locked cells (set-up, tests, text): nbgrader restores these."""
    ids = set()
    for cell in source_notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and meta.get("grade_id"):
            ids.add(meta["grade_id"])
    return ids


def notebook_violations(submitted_notebook: Mapping, source_notebook: Mapping) -> list[Violation]:
    """Check every code cell of a submission that the student controls: answer cells, cells the student added,
    and any cell whose nbgrader metadata no longer names one of the source's locked cells."""
    locked = locked_cell_ids(source_notebook)
    found: list[Violation] = []
    for number, cell in enumerate(submitted_notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(meta, dict) and meta.get("locked") and grade_id in locked:
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        found += cell_violations(str(source), str(grade_id) if grade_id else f"cell {number}")
    return found
