"""Answer checks for the graded assignments that a cheating answer cannot satisfy.

Every autograded test in ``assignments/source`` checks answers with these functions. They never
call ``==`` on the student's object, never use ``numpy.isclose``, ``math.isclose`` or
``numpy.testing`` (all of which a student can patch), and never trust a class the student wrote:

* the real type is found with ``type.__call__`` reached through syntax (``().__class__.__class__``),
  so shadowing or patching ``type``/``isinstance`` changes nothing;
* only built-in (non-heap) number types are accepted: ``int``, ``float`` and numpy's scalar types.
  A class written in Python - for example one whose ``__eq__`` returns True for everything, or that
  fakes ``__float__``, ``__bool__`` or ``__hash__`` - is a heap type and is rejected;
* the value is converted by the real ``float`` and compared with plain float arithmetic.

* no built-in function is looked up by name (not even ``sorted``), so patching ``builtins`` changes nothing.

How the tests load it, and why the student's code cannot have replaced it: every test cell imports the
functions itself (``from painlab.checking import ...``), so rebinding the names in an answer cell changes
nothing. Replacing the module would need ``sys.modules``, the import system, ``builtins.__import__``, an
attribute assignment on the module, or a route to one of those through another module; the submission
policy (:mod:`painlab.submission_policy`), checked outside the kernel before grading, flags every one of
those (imports beyond the course modules, attribute assignment, private and dunder attributes, attributes
that name a module or a file, memory or pickle function, and any attribute chain that resolves to a module
outside the allowed ones), and a flagged submission's automatic score is withheld for review.

Limits (documented for instructors): a static check of Python is not a sandbox proof. Code that finds a
route the policy does not know can still interfere with the kernel it runs in; that is why grading runs
each submission in its own process and scratch folder, and why the instructors' guide recommends grading
as an unprivileged user in a container for high-stakes assessment.
"""

from __future__ import annotations

_TYPE = ().__class__.__class__
_FLOAT = (0.0).__class__
_INT = (0).__class__
_BOOL = (0 == 0).__class__
_STR = "".__class__
_LIST = [].__class__
_HEAPTYPE_FLAG = 1 << 9
_type_flags = _TYPE.__dict__["__flags__"].__get__
_type_mro = _TYPE.__dict__["__mro__"].__get__
_type_name = _TYPE.__dict__["__name__"].__get__
_type_module = _TYPE.__dict__["__module__"].__get__


def _describe(kind: type) -> str:
    return f"{_type_module(kind)}.{_type_name(kind)}"


def _is_builtin_type(kind: type) -> bool:
    return not (_type_flags(kind) & _HEAPTYPE_FLAG)


def _is_numpy_number_type(kind: type) -> bool:
    for base in _type_mro(kind):
        if _type_module(base) == "numpy" and _type_name(base) in ("floating", "integer"):
            return True
    return False


def plain_number(value: object, name: str = "answer") -> float:
    """``value`` as a real float if it is a built-in number (int, float, numpy scalar), else AssertionError."""
    kind = _TYPE(value)
    if kind is _BOOL:
        raise AssertionError(f"{name} must be a number, not True/False")
    if kind is _FLOAT or kind is _INT:
        number = _FLOAT(value)
    elif _is_builtin_type(kind) and (_FLOAT in _type_mro(kind) or _is_numpy_number_type(kind)):
        number = _FLOAT(value)
    else:
        raise AssertionError(f"{name} must be a plain number (int or float), got {_describe(kind)}")
    if number != number or number in (_FLOAT("inf"), _FLOAT("-inf")):
        raise AssertionError(f"{name} must be a finite number, got {number}")
    return number


def expect_number(value: object, expected: float, *, rel_tol: float = 0.0, abs_tol: float = 0.0,
                  name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is a plain number within tolerance of ``expected``."""
    number = plain_number(value, name)
    target = _FLOAT(expected)
    difference = number - target
    if difference < 0.0:
        difference = -difference
    magnitude = target if target >= 0.0 else -target
    tolerance = rel_tol * magnitude
    if abs_tol > tolerance:
        tolerance = abs_tol
    if not difference <= tolerance:
        raise AssertionError(f"{name} = {number!r} is not within {tolerance:.3g} of the expected value")


def expect_in_range(value: object, low: float, high: float, *, name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is a plain number in [low, high] (a plausibility check)."""
    number = plain_number(value, name)
    if not (_FLOAT(low) <= number <= _FLOAT(high)):
        raise AssertionError(f"{name} = {number!r} is outside the plausible range [{low}, {high}]")


def expect_bool(value: object, expected: bool, *, name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is exactly True or False and equals ``expected``."""
    if _TYPE(value) is not _BOOL:
        raise AssertionError(f"{name} must be True or False, got {_describe(_TYPE(value))}")
    if value is not (expected is True):
        raise AssertionError(f"{name} is not the expected answer")


def expect_is_bool(value: object, *, name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is exactly True or False (a visible format check)."""
    if _TYPE(value) is not _BOOL:
        raise AssertionError(f"{name} must be True or False, got {_describe(_TYPE(value))}")


def _plain_text(value: object, name: str) -> str:
    if _TYPE(value) is not _STR:
        raise AssertionError(f"{name} must be text (a str), got {_describe(_TYPE(value))}")
    return _STR.upper(_STR.strip(value))


def expect_text(value: object, expected: str, *, name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is a real str equal to ``expected`` (case and outer spaces ignored)."""
    if _plain_text(value, name) != _STR.upper(expected):
        raise AssertionError(f"{name} is not the expected answer")


def expect_texts(value: object, expected: tuple[str, ...], *, name: str = "answer") -> None:
    """Raise AssertionError unless ``value`` is a real tuple or list of str with exactly the ``expected`` items (any order)."""
    kind = _TYPE(value)
    if kind is not ().__class__ and kind is not [].__class__:
        raise AssertionError(f"{name} must be a tuple or list of text, got {_describe(kind)}")
    given = [_plain_text(item, f"each item of {name}") for item in value]
    wanted = [_STR.upper(item) for item in expected]
    _LIST.sort(given)
    _LIST.sort(wanted)
    if given != wanted:
        raise AssertionError(f"{name} is not the expected answer")
