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
import importlib
import sys
import types
from dataclasses import dataclass
from typing import Mapping

ALLOWED_IMPORTS = frozenset({"painlab", "math", "numpy", "statistics", "fractions", "decimal", "datetime"})
# The course modules a student may import from painlab (not the grader, the policy, the widgets or the plots).
COURSE_MODULES = frozenset({"assessment", "checking", "epidural", "evidence", "imaging", "intrathecal", "neuro",
                            "neuromodulation", "pharmacology", "reference", "rf", "sympathetic", "validation"})
NUMPY_SUBMODULES = frozenset({"linalg"})
FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "__import__", "open", "globals", "locals", "vars", "setattr", "getattr", "delattr",
    "get_ipython", "__builtins__", "breakpoint", "input", "exit", "quit", "type", "super", "memoryview",
})
# Names that are both a standard-library module and an everyday attribute (np.array, arr.copy(), np.trace).
EVERYDAY_ATTRIBUTES = frozenset({"array", "copy", "random", "select", "trace"})
# Attributes that lead out of arithmetic: to a module (every standard-library module name), to files, to raw
# memory, to pickles, to the kernel. Checked on every attribute, whatever object it is read from.
ESCAPE_ATTRIBUTES = (frozenset(sys.stdlib_module_names) | frozenset({
    "modules", "system", "popen", "import_module", "ctypeslib", "cffi", "load", "loads", "dump", "dumps",
    "loadtxt", "genfromtxt", "fromfile", "tofile", "save", "savez", "savez_compressed", "savetxt", "memmap", "lib",
    "stride_tricks", "as_strided", "f2py", "testing", "DataSource", "Path", "read_text", "read_bytes",
    "write_text", "write_bytes", "get_ipython", "IPython", "ipykernel", "kernel", "shell", "comm", "widgets",
    "nbformat", "nbgrader", "nbclient", "jupyter_client", "sqlalchemy", "yaml", "matplotlib", "scipy", "plt",
    "exec", "eval", "compile", "setattr", "getattr", "delattr", "globals", "locals", "vars", "open",
    "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame", "cr_frame", "ag_frame", "tb_frame"})
                     | FORBIDDEN_NAMES) - ALLOWED_IMPORTS - EVERYDAY_ATTRIBUTES - COURSE_MODULES


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


def module_allowed(name: str) -> bool:
    """Whether a student may import the module ``name`` (a dotted name)."""
    top, _, rest = name.partition(".")
    if top == "painlab":
        return not rest or rest.split(".")[0] in COURSE_MODULES
    if top == "numpy":
        return not rest or rest in NUMPY_SUBMODULES
    return not rest and top in ALLOWED_IMPORTS


def _outside(value: object) -> str:
    """What ``value`` is, if it is a module a student may not import or a class or function defined outside the
    allowed modules; "" otherwise."""
    if isinstance(value, types.ModuleType):
        return "" if module_allowed(value.__name__) else f"the module {value.__name__}"
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        home = getattr(value, "__module__", None) or "builtins"
        if home.split(".")[0] not in ALLOWED_IMPORTS | {"builtins"}:
            return f"{home}.{getattr(value, '__qualname__', '?')}"
    return ""


def _resolve(module: str, attributes: list[str]) -> tuple[int, str]:
    """Follow ``module.a.b...`` through the real objects in this process (modules and classes only).

    Returns the first thing on the way that lies outside the allowed modules and how many attributes it took
    to reach it ("" and 0 when there is none)."""
    try:
        value: object = importlib.import_module(module)
    except Exception:  # noqa: BLE001 - a module that will not import fails when the cell runs
        return 0, ""
    for position, attribute in enumerate(attributes):
        if not isinstance(value, (types.ModuleType, type)):
            return 0, ""
        try:
            value = getattr(value, attribute)
        except AttributeError:
            if not isinstance(value, types.ModuleType):
                return 0, ""
            try:
                value = importlib.import_module(f"{value.__name__}.{attribute}")
            except Exception:  # noqa: BLE001 - no such attribute or submodule: the cell fails when it runs
                return 0, ""
        problem = _outside(value)
        if problem:
            return position + 1, problem
    return 0, ""


def _chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    """``name.a.b`` as ("name", ["a", "b"]), or None when the chain does not start at a plain name."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    return current.id, parts[::-1]


def cell_violations(source: str, cell: str, imports: dict[str, tuple[str, list[str]]] | None = None
                    ) -> list[Violation]:
    """Everything in one cell's source that the policy does not allow (an unparsable cell has none: it fails
    when it runs).

    ``imports`` maps the names that earlier cells bound by ``import`` to what they name (module, attributes);
    the cell's own imports are added to it, so a notebook is checked with one shared map.
    """
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError:
        return []
    imports = {} if imports is None else imports
    found: list[Violation] = []

    def flag(node: ast.AST, reason: str) -> None:
        found.append(Violation(cell, getattr(node, "lineno", 0), reason))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not module_allowed(alias.name):
                    flag(node, f"imports {alias.name}")
                elif alias.asname:
                    imports[alias.asname] = (alias.name, [])
                else:
                    top = alias.name.split(".")[0]
                    imports[top] = (top, [])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or not module_allowed(module):
                flag(node, f"imports from {'.' * node.level}{module}")
                continue
            for alias in node.names:
                if alias.name == "*" or alias.name.startswith("_") or alias.name in ESCAPE_ATTRIBUTES:
                    flag(node, f"imports {alias.name} from {module}")
                    continue
                _, problem = _resolve(module, [alias.name])
                if problem:
                    flag(node, f"imports {alias.name} from {module}, which is {problem}")
                else:
                    imports[alias.asname or alias.name] = (module, [alias.name])
        elif isinstance(node, ast.Name):
            if node.id in FORBIDDEN_NAMES:
                flag(node, f"uses {node.id}")
            elif _is_dunder(node.id) and node.id != "__name__":
                flag(node, f"uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if _is_dunder(node.attr):
                flag(node, f"uses the attribute {node.attr}")
            elif node.attr.startswith("_"):
                flag(node, f"uses the private attribute {node.attr}")
            elif node.attr in ESCAPE_ATTRIBUTES:
                flag(node, f"uses the attribute {node.attr}")
            else:
                chain = _chain(node)
                if chain and chain[0] in imports:
                    module, attributes = imports[chain[0]]
                    steps, problem = _resolve(module, attributes + chain[1])
                    if problem:
                        through = ".".join([chain[0]] + chain[1][:max(steps - len(attributes), 0)])
                        flag(node, f"reaches {problem} through {through}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_dunder(node.value.strip()):
            flag(node, f"names {node.value.strip()} in a string")
        elif isinstance(node, ast.ClassDef):
            flag(node, f"defines a class ({node.name})")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute):
                        flag(node, f"changes an attribute ({ast.unparse(part)})")
                        break
    return sorted(set(found), key=lambda v: (v.line, v.reason))


def locked_cells(source_notebook: Mapping) -> dict[str, str]:
    """The instructors' locked cells (set-up, tests, text) by grade_id, with their source: nbgrader restores
    these before grading, so this source is what runs."""
    cells = {}
    for cell in source_notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and meta.get("grade_id"):
            text = cell.get("source", "")
            cells[meta["grade_id"]] = "".join(text) if isinstance(text, list) else str(text)
    return cells


def notebook_violations(submitted_notebook: Mapping, source_notebook: Mapping) -> list[Violation]:
    """Check every code cell of a submission that the student controls: answer cells, cells the student added,
    and any cell whose nbgrader metadata no longer names one of the source's locked cells."""
    locked = locked_cells(source_notebook)
    found: list[Violation] = []
    imports: dict[str, tuple[str, list[str]]] = {}
    for number, cell in enumerate(submitted_notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(meta, dict) and meta.get("locked") and grade_id in locked:
            cell_violations(locked[grade_id], str(grade_id), imports)  # only to learn the names it imports
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        found += cell_violations(str(source), str(grade_id) if grade_id else f"cell {number}", imports)
    return found
