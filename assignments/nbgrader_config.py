"""nbgrader configuration for the course (the course root is this folder).

Instructors run nbgrader from here (or use `make release` / `make grade` from the repository root).
source/ holds the instructors' versions with solutions and hidden tests; release/, submitted/,
autograded/, feedback/ and gradebook.db are generated and git-ignored.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, Execute, GetGrades,
                                    IgnorePattern, LimitOutput, SaveAutoGrades)

from painlab.grading_preprocessors import LimitOutputBytes, ScrubGradeCellOutputs

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "interventional-pain-medicine"
# The gradebook is SQLite by default (embedded, nothing to start). For several graders or large
# classes point db_url at PostgreSQL, e.g. "postgresql://grader@127.0.0.1/painlab". On a hub the
# course's formgrader service gets that URL in PAINLAB_GRADEBOOK_URL (deploy/, book/deploy.md):
# this file is read last (it is in the folder nbgrader runs from), so the variable is the way in.
c.CourseDirectory.db_url = (os.environ.get("PAINLAB_GRADEBOOK_URL")
                            or "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db"))

# Per-cell execution timeout (seconds) when autograding: an endless loop in one cell is interrupted
# after this long, recorded as an error in that cell, and grading continues with the next cell and
# the next student.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# Student versions: what replaces a solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader's autograde steps, plus a byte cap on every output (LimitOutput counts lines, so a single
# 20 MB line would pass it): a flood of output cannot bloat the autograded notebook or the feedback.
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, LimitOutputBytes,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.LimitOutputBytes.max_bytes = 100_000

# Feedback must never show hidden tests: ClearHiddenTests removes them from the source, and
# ScrubGradeCellOutputs removes what a failing hidden test printed in its traceback (the last line,
# the check's own message, stays).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ScrubGradeCellOutputs, CSSHTMLHeaderPreprocessor]
