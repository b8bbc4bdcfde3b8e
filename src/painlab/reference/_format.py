"""Markdown tables of reference data, for lessons (every table names its sources)."""

from __future__ import annotations

from typing import Iterable, Sequence


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def findings_markdown(findings: Iterable[object]) -> str:
    """A table of :class:`~painlab.reference.source.TrialFinding` rows, each citing its source."""
    return markdown_table(("Study", "Outcome", "Result", "Source"),
                          [(f.trial, f.outcome, f.result, f"{{cite:p}}`{f.source.key}`")  # type: ignore[attr-defined]
                           for f in findings])


def number(value: float) -> str:
    """A value without trailing zeros (4.5, 300, 0.15)."""
    return f"{value:g}"
