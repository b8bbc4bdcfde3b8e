"""Parallel, isolated autograding on top of nbgrader: ``python -m painlab.grading ASSIGNMENT``.

nbgrader grades one submission after another, and one broken notebook can stop the batch. This
wrapper keeps nbgrader as the grader and changes how it is run:

* every submission is graded by nbgrader's own autograde (its Python API, run inside a long-lived
  worker process so nbgrader starts once per worker, not once per submission), in a scratch copy of
  the course with a snapshot of the gradebook, so an invalid notebook, a killed kernel or an endless
  loop fails alone and is reported by name with the reason;
* workers run in parallel (default: one per core); each submission has a per-cell timeout and a
  whole-notebook time budget;
* the parent process merges each worker's grades into the course gradebook one at a time (no
  concurrent writers, so SQLite is safe and PostgreSQL via ``db_url`` works the same way), copies the
  autograded notebooks into ``autograded/``, shows progress, prints a summary and writes a CSV.

The scores are nbgrader's own: ``tests/test_parallel_grading.py`` checks they equal a plain serial
``nbgrader autograde`` of the same submissions.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

@dataclass(frozen=True)
class Settings:
    cell_timeout_s: int = 30
    notebook_budget_s: int = 300
    max_output_bytes: int = 5_000_000


@dataclass
class GradeRecord:
    notebook: str
    cell: str
    auto_score: float | None
    needs_manual_grade: bool
    auto_comment: str | None = None


@dataclass
class Outcome:
    student: str
    ok: bool
    reason: str = ""
    grades: list[GradeRecord] = field(default_factory=list)
    comments: dict[tuple[str, str], str | None] = field(default_factory=dict)
    timestamp: str | None = None
    seconds: float = 0.0

    @property
    def auto_score(self) -> float:
        return float(sum(g.auto_score or 0.0 for g in self.grades))


def _check_notebooks(folder: Path, expected: list[str], max_bytes: int) -> str:
    """A reason the submission cannot be graded, or '' if its notebooks look gradable."""
    for name in expected:
        path = folder / name
        if not path.is_file():
            present = ", ".join(sorted(p.name for p in folder.glob("*.ipynb"))) or "none"
            return f"missing notebook {name} (submitted: {present})"
        if path.stat().st_size > max_bytes:
            return f"{name} is {path.stat().st_size:,} bytes, above the {max_bytes:,}-byte limit"
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return f"{name} is not valid notebook JSON ({error.__class__.__name__}: {error})"
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            return f"{name} is not a notebook (no list of cells)"
    return ""


class _BudgetExceeded(Exception):
    pass


def _autograde_in_process(work: Path, assignment: str, student: str, settings: Settings) -> dict | None:
    """nbgrader's own autograde, run inside this (long-lived) worker: no CLI start-up per submission.

    Returns nbgrader's result dict, or None if the submission used up its time budget (SIGALRM).
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(work)).load_config()
    config.CourseDirectory.root = str(work)
    config.CourseDirectory.db_url = f"sqlite:///{work / 'gradebook.db'}"
    config.Execute.timeout = settings.cell_timeout_s
    api = NbGraderAPI(CourseDirectory(config=config), config=config)

    def out_of_time(signum: int, frame: object) -> None:
        raise _BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(settings.notebook_budget_s)
    try:
        return api.autograde(assignment, student, force=True, create=True)
    except _BudgetExceeded:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _autograde_in_subprocess(work: Path, assignment: str, student: str, settings: Settings) -> dict:
    """The same grading by the ``nbgrader`` command in a fresh process (slower: used to confirm failures)."""
    import subprocess

    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    autograded = work / "autograded" / student
    if autograded.exists():
        shutil.rmtree(autograded)
    command = [str(bin_dir / "nbgrader"), "autograde", assignment, "--student", student, "--create", "--force",
               f"--Execute.timeout={settings.cell_timeout_s}"]
    try:
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True,
                              timeout=settings.notebook_budget_s)
    except subprocess.TimeoutExpired:
        return {"success": False, "log": f"exceeded the {settings.notebook_budget_s} s time budget"}
    return {"success": done.returncode == 0, "log": done.stdout + done.stderr}


def grade_one(course: str, assignment: str, student: str, notebooks: list[str], settings: Settings,
              gradebook_snapshot: str) -> Outcome:
    """Autograde one student's submission in a scratch copy of the course; never raises."""
    from nbgrader.api import Gradebook

    start = time.monotonic()
    course_dir = Path(course)
    submitted = course_dir / "submitted" / student / assignment
    problem = _check_notebooks(submitted, notebooks, settings.max_output_bytes)
    if problem:
        return Outcome(student, False, problem, seconds=time.monotonic() - start)
    with tempfile.TemporaryDirectory(prefix=f"grade-{student}-") as scratch:
        work = Path(scratch)
        shutil.copy(course_dir / "nbgrader_config.py", work)
        shutil.copy(gradebook_snapshot, work / "gradebook.db")  # taken before any merge: never mid-write
        shutil.copytree(course_dir / "source" / assignment, work / "source" / assignment)
        shutil.copytree(submitted, work / "submitted" / student / assignment)
        result = _autograde_in_process(work, assignment, student, settings)
        if result is None:
            return Outcome(student, False, f"exceeded the {settings.notebook_budget_s} s time budget",
                           seconds=time.monotonic() - start)
        if not result.get("success"):
            # Before reporting a failure, grade once more in a fresh nbgrader process, so that nothing
            # left over in this long-lived worker can cost a student their grade.
            result = _autograde_in_subprocess(work, assignment, student, settings)
        log = str(result.get("log", "")) + str(result.get("error", ""))
        autograded = work / "autograded" / student / assignment
        if not result.get("success") or not all((autograded / n).is_file() for n in notebooks):
            last = [line for line in log.splitlines() if "ERROR" in line or "Error" in line][-3:]
            return Outcome(student, False, "nbgrader could not grade it: " + (" | ".join(last) or log[-300:]),
                           seconds=time.monotonic() - start)
        outcome = Outcome(student, True)
        with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(assignment, student)
            outcome.timestamp = submission.timestamp.isoformat() if submission.timestamp else None
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    outcome.grades.append(GradeRecord(notebook.name, grade.name, grade.auto_score,
                                                      bool(grade.needs_manual_grade)))
                for comment in notebook.comments:
                    outcome.comments[(notebook.name, comment.name)] = comment.auto_comment
        target = course_dir / "autograded" / student / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(autograded, target)
    outcome.seconds = time.monotonic() - start
    return outcome


def merge(db_url: str, assignment: str, outcome: Outcome) -> None:
    """Write one worker's grades into the course gradebook (the only writer)."""
    import datetime as dt

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:  # a regrade replaces the earlier submission
        gradebook.update_or_create_student(outcome.student)
        try:
            gradebook.remove_submission(assignment, outcome.student)
        except MissingEntry:
            pass
    with Gradebook(db_url) as gradebook:
        timestamp = dt.datetime.fromisoformat(outcome.timestamp) if outcome.timestamp else None
        submission = gradebook.add_submission(assignment, outcome.student, timestamp=timestamp)
        for record in outcome.grades:
            grade = gradebook.find_grade(record.cell, record.notebook, assignment, outcome.student)
            grade.auto_score = record.auto_score
            grade.needs_manual_grade = record.needs_manual_grade
        for (notebook, cell), text in outcome.comments.items():
            gradebook.find_comment(cell, notebook, assignment, outcome.student).auto_comment = text
        gradebook.db.commit()
        del submission


def course_db_url(course: Path) -> str:
    """The gradebook the course configures (``CourseDirectory.db_url``), SQLite by default."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    url = config.CourseDirectory.get("db_url") if "CourseDirectory" in config else None
    return str(url) if url else f"sqlite:///{course / 'gradebook.db'}"


def autograde(course: Path, assignment: str, *, workers: int | None = None, settings: Settings = Settings(),
              students: list[str] | None = None, progress: bool = True) -> list[Outcome]:
    """Grade every submission of ``assignment`` in parallel; return one Outcome per student."""
    from nbgrader.api import Gradebook
    from tqdm import tqdm

    course = course.resolve()
    db_url = course_db_url(course)
    with Gradebook(db_url) as gradebook:
        try:
            notebooks = [f"{n.name}.ipynb" for n in gradebook.find_assignment(assignment).notebooks]
        except Exception as error:  # noqa: BLE001
            raise ValueError(f"assignment {assignment!r} is not in the gradebook: run `make release` first") from error
    if not db_url.startswith("sqlite:///"):
        raise ValueError("workers grade against a SQLite snapshot of the gradebook; for PostgreSQL, export a "
                         "snapshot to assignments/gradebook.db first (not supported in this version)")
    found = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}") if p.is_dir())
    chosen = [s for s in found if students is None or s in students]
    outcomes: list[Outcome] = []
    snapshot_dir = tempfile.mkdtemp(prefix="gradebook-snapshot-")
    snapshot = Path(snapshot_dir) / "gradebook.db"
    shutil.copy(db_url[len("sqlite:///"):], snapshot)
    try:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
            futures = {pool.submit(grade_one, str(course), assignment, s, notebooks, settings, str(snapshot)): s
                       for s in chosen}
            bar = tqdm(total=len(futures), disable=not progress, unit="submission", file=sys.stderr)
            for future in as_completed(futures):
                outcome = future.result()
                if outcome.ok:
                    merge(db_url, assignment, outcome)
                outcomes.append(outcome)
                bar.update(1)
                bar.set_postfix(graded=sum(o.ok for o in outcomes), failed=sum(not o.ok for o in outcomes))
            bar.close()
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)
    return sorted(outcomes, key=lambda o: o.student)


def summary(outcomes: list[Outcome]) -> str:
    lines = [f"{'student':24s} {'status':8s} {'auto score':>10s}  detail"]
    for o in outcomes:
        lines.append(f"{o.student:24s} {'graded' if o.ok else 'FAILED':8s} {o.auto_score if o.ok else '-':>10}  "
                     f"{o.reason if not o.ok else f'{o.seconds:.1f} s'}")
    lines.append(f"{sum(o.ok for o in outcomes)} graded, {sum(not o.ok for o in outcomes)} failed")
    return "\n".join(lines)


def write_csv(outcomes: list[Outcome], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "auto_score", "needs_manual_grade", "reason"])
        for o in outcomes:
            writer.writerow([o.student, "graded" if o.ok else "failed", o.auto_score if o.ok else "",
                             any(g.needs_manual_grade for g in o.grades) if o.ok else "", o.reason])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m painlab.grading", description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path("assignments"))
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default 30)")
    parser.add_argument("--notebook-budget", type=int, default=300, help="seconds per submission (default 300)")
    parser.add_argument("--max-bytes", type=int, default=5_000_000, help="largest notebook accepted (bytes)")
    parser.add_argument("--csv", type=Path, default=None, help="write results here (default: <course>/grades-<assignment>.csv)")
    args = parser.parse_args(argv)
    settings = Settings(args.cell_timeout, args.notebook_budget, args.max_bytes)
    outcomes = autograde(args.course, args.assignment, workers=args.workers, settings=settings)
    print(summary(outcomes))
    target = args.csv or args.course / f"grades-{args.assignment}.csv"
    write_csv(outcomes, target)
    print(f"Results: {target.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
