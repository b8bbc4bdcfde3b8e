"""Parallel, isolated autograding on top of nbgrader: ``python -m painlab.grading ASSIGNMENT``.

nbgrader grades one submission after another, and one broken notebook can stop the batch. This
wrapper keeps nbgrader as the grader and changes how it is run:

* every submission is graded by nbgrader's own autograde (its Python API, run inside a long-lived
  worker process so nbgrader starts once per worker, not once per submission), in a scratch copy of
  the course with a snapshot of the gradebook, so an invalid notebook, a killed kernel or an endless
  loop fails alone and is reported by name with the reason;
* workers run in parallel (default: one per core); each submission has a per-cell timeout and a
  whole-notebook time budget;
* before nbgrader sees a submission, its nbgrader metadata is put right from the source
  (:func:`repair_notebook`: deleted, duplicated or relabelled test cells, removed or future schema
  versions, inflated points), so one student's damage neither aborts the batch nor changes a score;
* before it runs, its student-written cells are checked against :mod:`painlab.submission_policy`; a
  submission that breaks it is graded, but its automatic score is withheld (0) and flagged for review
  with the cell and line, even if the cheat also broke the grading;
* the parent process merges each worker's grades into the course gradebook one at a time (no
  concurrent writers). SQLite by default; with PostgreSQL (``db_url``) the workers grade against a
  SQLite snapshot rebuilt from the source (:func:`gradebook_snapshot`) and the grades go to the
  server. It copies the autograded notebooks into ``autograded/``, shows progress, prints a summary and
  writes a CSV. ``python -m painlab.grading copy-gradebook SOURCE_URL TARGET_URL`` moves a whole
  gradebook (for example from SQLite to PostgreSQL) without losing a grade.

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
    enforce_policy: bool = True  # withhold the automatic score of submissions that break painlab.submission_policy


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
    flags: list[str] = field(default_factory=list)  # submission-policy violations: automatic score withheld
    repairs: list[str] = field(default_factory=list)  # nbgrader metadata put right before grading

    @property
    def auto_score(self) -> float:
        return float(sum(g.auto_score or 0.0 for g in self.grades))

    @property
    def status(self) -> str:
        return "failed" if not self.ok else "flagged" if self.flags else "graded"


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
    # The outputs are in once the last cell has replied; nbgrader's graceful shutdown then waits (polling)
    # for the kernel to tidy up and exit, close to a second per submission. Stop it at once instead.
    config.Execute.shutdown_kernel = "immediate"
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
    flags = _policy_flags(course_dir, assignment, submitted, notebooks) if settings.enforce_policy else []
    with tempfile.TemporaryDirectory(prefix=f"grade-{student}-") as scratch:
        work = Path(scratch)
        shutil.copy(course_dir / "nbgrader_config.py", work)
        shutil.copy(gradebook_snapshot, work / "gradebook.db")  # taken before any merge: never mid-write
        shutil.copytree(course_dir / "source" / assignment, work / "source" / assignment)
        shutil.copytree(submitted, work / "submitted" / student / assignment)
        repairs = []
        for name in notebooks:
            repairs += [f"{name}: {r}" for r in repair_notebook(work / "submitted" / student / assignment / name,
                                                               course_dir / "source" / assignment / name)]
        result = _autograde_in_process(work, assignment, student, settings)
        if result is None:
            if flags:
                return _withheld(student, assignment, gradebook_snapshot, flags, repairs, time.monotonic() - start)
            return Outcome(student, False, f"exceeded the {settings.notebook_budget_s} s time budget",
                           seconds=time.monotonic() - start, flags=flags, repairs=repairs)
        if not result.get("success"):
            # Before reporting a failure, grade once more in a fresh nbgrader process, so that nothing
            # left over in this long-lived worker can cost a student their grade.
            result = _autograde_in_subprocess(work, assignment, student, settings)
        log = str(result.get("log", "")) + str(result.get("error", ""))
        autograded = work / "autograded" / student / assignment
        if not result.get("success") or not all((autograded / n).is_file() for n in notebooks):
            if flags:  # a cheat that also broke the grading: recorded, flagged, automatic score withheld
                return _withheld(student, assignment, gradebook_snapshot, flags, repairs, time.monotonic() - start)
            last = [line for line in log.splitlines() if "ERROR" in line or "Error" in line][-3:]
            return Outcome(student, False, "nbgrader could not grade it: " + (" | ".join(last) or log[-300:]),
                           seconds=time.monotonic() - start, flags=flags, repairs=repairs)
        outcome = Outcome(student, True, flags=flags, repairs=repairs)
        with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(assignment, student)
            outcome.timestamp = submission.timestamp.isoformat() if submission.timestamp else None
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    score = grade.auto_score
                    if outcome.flags and score is not None:
                        score = 0.0  # withheld for review; nbgrader's own score is in the autograded notebook
                    outcome.grades.append(GradeRecord(notebook.name, grade.name, score,
                                                      bool(grade.needs_manual_grade) or bool(outcome.flags)))
                for comment in notebook.comments:
                    outcome.comments[(notebook.name, comment.name)] = comment.auto_comment
        target = course_dir / "autograded" / student / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(autograded, target)
    outcome.seconds = time.monotonic() - start
    return outcome


def _withheld(student: str, assignment: str, gradebook_snapshot: str, flags: list[str], repairs: list[str],
              seconds: float) -> Outcome:
    """A flagged submission that nbgrader could not finish grading: zero automatic scores, marked for review."""
    from nbgrader.api import Gradebook

    outcome = Outcome(student, True, flags=flags, repairs=repairs, seconds=seconds)
    with Gradebook(f"sqlite:///{gradebook_snapshot}") as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                outcome.grades.append(GradeRecord(notebook.name, cell.name, 0.0, True))
    return outcome


GRADING_KEYS = ("grade", "solution", "locked", "points", "schema_version", "grade_id")


def repair_notebook(submitted: Path, source: Path) -> list[str]:
    """Put a submission's nbgrader metadata right from the instructors' source before nbgrader sees it, so one
    student's damage (a deleted, duplicated or relabelled test cell; a removed or future schema version; inflated
    points) neither aborts the grading nor changes the score. Returns what was repaired; rewrites the file only
    if something was. Cells whose metadata was stripped entirely cannot be identified safely and are left alone."""
    import uuid

    nb = json.loads(submitted.read_text(encoding="utf-8"))
    reference = [c for c in json.loads(source.read_text(encoding="utf-8"))["cells"]
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")]
    expected = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"] for c in reference}
    repairs: list[str] = []
    cells: list[dict] = []
    present: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if grade_id in expected:
            if grade_id in present:
                repairs.append(f"removed a duplicate of cell {grade_id}")
                continue
            # the keys the source sets are restored; what generate_assignment added (cell_type, checksum) stays
            wanted = {key: value for key, value in meta.items() if key not in GRADING_KEYS}
            wanted.update(expected[grade_id])
            if meta != wanted:
                repairs.append(f"restored the nbgrader metadata of cell {grade_id}")
                cell["metadata"]["nbgrader"] = wanted
            present[grade_id] = cell
        elif isinstance(meta, dict) and meta:
            repairs.append(f"removed nbgrader metadata naming an unknown cell {grade_id!r}")
            del cell["metadata"]["nbgrader"]
        cells.append(cell)
    for index, ref_cell in enumerate(reference):  # a deleted locked cell goes back where the source has it
        grade_id = ref_cell["metadata"]["nbgrader"]["grade_id"]
        if grade_id in present or not ref_cell["metadata"]["nbgrader"].get("locked"):
            continue
        before = next((present[c["metadata"]["nbgrader"]["grade_id"]] for c in reversed(reference[:index])
                       if c["metadata"]["nbgrader"]["grade_id"] in present), None)
        restored = json.loads(json.dumps(ref_cell))
        if restored.get("cell_type") == "code":
            restored["outputs"], restored["execution_count"] = [], None
        cells.insert(next(k for k, c in enumerate(cells) if c is before) + 1 if before is not None else 0, restored)
        present[grade_id] = restored
        repairs.append(f"restored the deleted cell {grade_id}")
    if repairs:
        if nb.get("nbformat", 4) >= 4 and nb.get("nbformat_minor", 0) >= 5:  # cell ids: unique, as nbformat requires
            used: set[str] = set()
            for cell in cells:
                if not cell.get("id") or cell["id"] in used:
                    cell["id"] = uuid.uuid4().hex[:8]
                used.add(cell["id"])
        else:
            for cell in cells:
                cell.pop("id", None)
        nb["cells"] = cells
        submitted.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return repairs


def _policy_flags(course_dir: Path, assignment: str, submitted: Path, notebooks: list[str]) -> list[str]:
    """Violations of :mod:`painlab.submission_policy` in the submitted notebooks (checked before they run)."""
    from painlab import submission_policy

    flags = []
    for name in notebooks:
        source = json.loads((course_dir / "source" / assignment / name).read_text(encoding="utf-8"))
        submission = json.loads((submitted / name).read_text(encoding="utf-8"))
        flags += [f"{name}: {violation}" for violation in submission_policy.notebook_violations(submission, source)]
    return flags


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


def gradebook_snapshot(course: Path, assignment: str, db_url: str, target: Path) -> None:
    """A SQLite gradebook holding ``assignment`` as the course's gradebook has it, for the workers to grade against.

    SQLite: a copy of the file. A database server (PostgreSQL): the assignment is rebuilt in SQLite from the same
    source by nbgrader's own ``generate_assignment`` (deterministic: the same cells, checksums and points), and its
    due date copied, so late penalties match. Grades always go back to the course's own database (``merge``).
    """
    import subprocess

    from nbgrader.api import Gradebook

    if db_url.startswith("sqlite:///"):
        shutil.copy(db_url[len("sqlite:///"):], target)
        return
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    with tempfile.TemporaryDirectory(prefix="gradebook-rebuild-") as scratch:
        work = Path(scratch)
        shutil.copy(course / "nbgrader_config.py", work)
        shutil.copytree(course / "source" / assignment, work / "source" / assignment)
        done = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", assignment, "--force",
                               f"--CourseDirectory.root={work}", f"--CourseDirectory.db_url=sqlite:///{target}"],
                              cwd=work, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"could not rebuild {assignment} in a SQLite snapshot:\n{done.stderr[-2000:]}")
    with Gradebook(db_url) as course_book:
        due = course_book.find_assignment(assignment).duedate
    with Gradebook(f"sqlite:///{target}") as snapshot:
        snapshot.update_or_create_assignment(assignment, duedate=due)


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
    found = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}") if p.is_dir())
    chosen = [s for s in found if students is None or s in students]
    outcomes: list[Outcome] = []
    snapshot_dir = tempfile.mkdtemp(prefix="gradebook-snapshot-")
    snapshot = Path(snapshot_dir) / "gradebook.db"
    gradebook_snapshot(course, assignment, db_url, snapshot)
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


def _detail(o: Outcome) -> str:
    if not o.ok:
        return o.reason + (f" (it also breaks the submission policy: {o.flags[0]})" if o.flags else "")
    if o.flags:
        return "score withheld for review: " + "; ".join(o.flags[:3]) + (f" (and {len(o.flags) - 3} more)"
                                                                          if len(o.flags) > 3 else "")
    if o.repairs:
        return f"{o.seconds:.1f} s; repaired: " + "; ".join(o.repairs[:2]) + (
            f" (and {len(o.repairs) - 2} more)" if len(o.repairs) > 2 else "")
    return f"{o.seconds:.1f} s"


def copy_gradebook(source_url: str, target_url: str) -> dict[str, int]:
    """Copy a whole gradebook into another database (for example SQLite to PostgreSQL when a course outgrows one
    machine): students, assignments with their notebooks and cells, and every submission with its automatic and
    manual scores, extra credit, comments, flags and late penalties. Returns how many of each were copied."""
    from nbgrader.api import Gradebook, MissingEntry

    counts = {"students": 0, "assignments": 0, "submissions": 0, "grades": 0}
    bin_dir = str(Path(sys.executable).parent)  # a new database is set up by nbgrader with alembic, from this venv
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    with Gradebook(source_url) as source, Gradebook(target_url) as target:
        for student in source.students:
            target.update_or_create_student(student.id, first_name=student.first_name, last_name=student.last_name,
                                            email=student.email, lms_user_id=student.lms_user_id)
            counts["students"] += 1
        for assignment in source.assignments:
            target.update_or_create_assignment(assignment.name, duedate=assignment.duedate)
            for notebook in assignment.notebooks:
                target.update_or_create_notebook(notebook.name, assignment.name)
                for cell in notebook.grade_cells:
                    target.update_or_create_grade_cell(cell.name, notebook.name, assignment.name,
                                                       max_score=cell.max_score, cell_type=cell.cell_type)
                for cell in notebook.solution_cells:
                    target.update_or_create_solution_cell(cell.name, notebook.name, assignment.name)
                for cell in notebook.task_cells:
                    target.update_or_create_task_cell(cell.name, notebook.name, assignment.name,
                                                      max_score=cell.max_score, cell_type=cell.cell_type)
                for cell in notebook.source_cells:
                    target.update_or_create_source_cell(cell.name, notebook.name, assignment.name,
                                                        cell_type=cell.cell_type, locked=cell.locked,
                                                        source=cell.source, checksum=cell.checksum)
            counts["assignments"] += 1
        for assignment in source.assignments:
            for submission in source.assignment_submissions(assignment.name):
                student = submission.student.id
                try:
                    target.remove_submission(assignment.name, student)
                except MissingEntry:  # nothing to replace
                    pass
                target.add_submission(assignment.name, student, timestamp=submission.timestamp,
                                      extension=submission.extension)
                for notebook in submission.notebooks:
                    copied = target.find_submission_notebook(notebook.name, assignment.name, student)
                    copied.flagged = notebook.flagged
                    copied.late_submission_penalty = notebook.late_submission_penalty
                    for grade in notebook.grades:
                        new = target.find_grade(grade.name, notebook.name, assignment.name, student)
                        new.auto_score, new.manual_score = grade.auto_score, grade.manual_score
                        new.extra_credit, new.needs_manual_grade = grade.extra_credit, grade.needs_manual_grade
                        counts["grades"] += 1
                    for comment in notebook.comments:
                        new = target.find_comment(comment.name, notebook.name, assignment.name, student)
                        new.auto_comment, new.manual_comment = comment.auto_comment, comment.manual_comment
                target.db.commit()
                counts["submissions"] += 1
    return counts


def summary(outcomes: list[Outcome]) -> str:
    lines = [f"{'student':24s} {'status':8s} {'auto score':>10s}  detail"]
    for o in outcomes:
        lines.append(f"{o.student:24s} {o.status.upper() if o.status != 'graded' else o.status:8s} "
                     f"{o.auto_score if o.ok else '-':>10}  {_detail(o)}")
    counts = {status: sum(o.status == status for o in outcomes) for status in ("graded", "flagged", "failed")}
    lines.append(f"{counts['graded']} graded, {counts['flagged']} flagged for review, {counts['failed']} failed")
    return "\n".join(lines)


def write_csv(outcomes: list[Outcome], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "auto_score", "needs_manual_grade", "reason"])
        for o in outcomes:
            writer.writerow([o.student, o.status, o.auto_score if o.ok else "",
                             any(g.needs_manual_grade for g in o.grades) if o.ok else "",
                             o.reason if not o.ok else "; ".join(o.flags + [f"repaired: {r}" for r in o.repairs])])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["copy-gradebook"]:
        copier = argparse.ArgumentParser(prog="python -m painlab.grading copy-gradebook",
                                         description="copy a whole gradebook into another database")
        copier.add_argument("source_url", help='e.g. "sqlite:///assignments/gradebook.db"')
        copier.add_argument("target_url", help='e.g. "postgresql://grader@db.example.org/painlab"')
        urls = copier.parse_args(argv[1:])
        counts = copy_gradebook(urls.source_url, urls.target_url)
        print(", ".join(f"{n} {what}" for what, n in counts.items()) + f" copied to {urls.target_url}")
        return 0
    parser = argparse.ArgumentParser(prog="python -m painlab.grading", description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path("assignments"))
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default 30)")
    parser.add_argument("--notebook-budget", type=int, default=300, help="seconds per submission (default 300)")
    parser.add_argument("--max-bytes", type=int, default=5_000_000, help="largest notebook accepted (bytes)")
    parser.add_argument("--no-policy", action="store_true",
                        help="do not withhold scores of submissions that break painlab.submission_policy")
    parser.add_argument("--csv", type=Path, default=None, help="write results here (default: <course>/grades-<assignment>.csv)")
    args = parser.parse_args(argv)
    settings = Settings(args.cell_timeout, args.notebook_budget, args.max_bytes, enforce_policy=not args.no_policy)
    outcomes = autograde(args.course, args.assignment, workers=args.workers, settings=settings)
    print(summary(outcomes))
    target = args.csv or args.course / f"grades-{args.assignment}.csv"
    write_csv(outcomes, target)
    print(f"Results: {target.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
