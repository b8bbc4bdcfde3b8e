"""A citation attached to a reference value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a value comes from: a BibTeX key in ``book/references.bib`` plus an optional locator."""

    key: str
    locator: str = ""

    def __str__(self) -> str:
        return f"{self.key} ({self.locator})" if self.locator else self.key
