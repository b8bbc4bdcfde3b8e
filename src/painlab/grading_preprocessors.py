"""Two nbgrader preprocessors the course adds (configured in ``assignments/nbgrader_config.py``).

* :class:`LimitOutputBytes` runs while autograding, after nbgrader's own ``LimitOutput`` (which counts
  lines, so one 20 MB line passes it): every output of every cell is cut to ``max_bytes``, so a flood of
  output cannot bloat the autograded notebook, the gradebook's copy or the feedback.
* :class:`ScrubGradeCellOutputs` runs while generating feedback, after nbgrader's ``ClearHiddenTests``
  (which removes hidden tests from the *source* but not from the traceback a failing hidden test
  printed): in graded test cells, a traceback is replaced by its last line (the exception and its
  message, which the course's checks word so that it never gives the answer away) and printed output
  is removed. Students see which check failed and why, never the hidden test's code.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

TRUNCATION_NOTE = "\n... output truncated by the grader ({removed:,} more bytes) ...\n"


def _cut(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    kept = encoded[:max_bytes].decode("utf-8", errors="ignore")
    return kept + TRUNCATION_NOTE.format(removed=len(encoded) - len(kept.encode("utf-8")))


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class LimitOutputBytes(NbGraderPreprocessor):
    """Cut every cell output to at most ``max_bytes`` bytes (text) or drop it (images and other binary data)."""

    max_bytes = Integer(100_000, help="largest output a cell may keep, in bytes (-1: no limit)").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or self.max_bytes < 0:
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _cut(_text(output.text), self.max_bytes)
            elif output.output_type == "error":
                output.traceback = [_cut(_text(line), self.max_bytes) for line in output.traceback[:200]]
                output.evalue = _cut(_text(output.evalue), self.max_bytes)
            elif "data" in output:
                for mime in list(output.data):
                    value = _text(output.data[mime])
                    if len(value.encode("utf-8")) <= self.max_bytes:
                        continue
                    if mime.startswith("text/"):
                        output.data[mime] = _cut(value, self.max_bytes)
                    else:
                        del output.data[mime]
                        output.data.setdefault("text/plain", f"[{mime} output removed by the grader: too large]")
        return cell, resources


class ScrubGradeCellOutputs(NbGraderPreprocessor):
    """In graded test cells: keep only the last line of a traceback, and drop printed output."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        kept = []
        for output in cell.outputs:
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
                kept.append(output)
        cell.outputs = kept
        return cell, resources
