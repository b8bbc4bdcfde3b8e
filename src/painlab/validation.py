"""Input checks shared by every model and calculator: bad input gets a clear ValueError, never a number.

Nothing here clamps or guesses. Messages name the argument, the accepted range or names, and what
was received, so a learner (or a calling program) knows exactly what to fix.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping, TypeVar

import numpy as np

T = TypeVar("T")


def require_number(name: str, value: object, low: float, high: float, *, low_inclusive: bool = True,
                   high_inclusive: bool = True, unit: str = "") -> float:
    """Return ``value`` as a float, or raise ValueError naming the argument and its accepted range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    below = number < low if low_inclusive else number <= low
    above = number > high if high_inclusive else number >= high
    if not math.isfinite(number) or below or above:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        suffix = f" {unit}" if unit else ""
        raise ValueError(f"{name} must be in {left}{low:g}, {high:g}{right}{suffix}, got {value!r}")
    return number


def normalise_name(name: str) -> str:
    """Case-, space- and hyphen-insensitive form of a drug, procedure or route name."""
    return " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


def lookup(kind: str, name: object, table: Mapping[str, T], aliases: Mapping[str, str] | None = None) -> T:
    """Find ``name`` in ``table`` case-insensitively (with optional aliases), or raise a ValueError listing the names."""
    if not isinstance(name, str):
        raise ValueError(f"{kind} must be a name (str), got {type(name).__name__} {name!r}")
    wanted = normalise_name(name)
    if aliases and wanted in aliases:
        wanted = aliases[wanted]
    for key, value in table.items():
        if normalise_name(key) == wanted:
            return value
    raise ValueError(f"unknown {kind} {name!r}; accepted: {', '.join(sorted(table))}")


def require_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return value


def require_choice(name: str, value: object, choices: Iterable[str]) -> str:
    options = list(choices)
    if not isinstance(value, str) or normalise_name(value) not in [normalise_name(c) for c in options]:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return next(c for c in options if normalise_name(c) == normalise_name(value))
