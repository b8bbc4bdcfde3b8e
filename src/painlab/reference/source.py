"""A citation attached to a reference value, and the two kinds of value the reference data holds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a value comes from: a BibTeX key in ``book/references.bib`` plus an optional locator."""

    key: str
    locator: str = ""

    def __str__(self) -> str:
        return f"{self.key} ({self.locator})" if self.locator else self.key


@dataclass(frozen=True)
class Quantity:
    """A sourced value: a number, its unit, its citation and an optional note."""

    value: float
    unit: str
    source: Source
    note: str = ""


@dataclass(frozen=True)
class TrialFinding:
    """One reported result of a study, as the lesson narrates it: the study, the outcome, the result, the source."""

    trial: str
    outcome: str
    result: str
    source: Source


@dataclass(frozen=True)
class ModelParameter:
    """A value a model assumes but no verified source fixes. ``note`` says why this value; ``context``
    optionally names a source that informs the choice without giving the number. Lessons label these
    as assumptions, never as measurements."""

    value: float
    unit: str
    note: str
    context: Source | None = None
