"""A class graded in parallel into a real PostgreSQL gradebook.

The fixture starts a throw-away PostgreSQL server from Debian's packages (``postgresql``; `.ci/run`
installs it when missing) on 127.0.0.1, creates the gradebook database, points the course's
``db_url`` at it, and grades 30 submissions with ``painlab.grading`` (two workers). Every grade must
be in PostgreSQL, equal to what the same class gets with the default SQLite gradebook. The test is
skipped, with the reason, only where no PostgreSQL server can be found.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import run
from painlab import grading
from test_grading import ASSIGNMENT, NOTEBOOK, WRONG, solved_copy, with_answers

pytestmark = pytest.mark.slow
CLASS_SIZE = 30


def postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server on 127.0.0.1 with an empty database ``painlab``; yields its URL.

    Its data live in a folder of its own under the system's temporary folder, not under pytest's: pytest makes
    ``pytest-of-root`` private (mode 700) whenever a session starts, and another session starting meanwhile
    would lock the ``postgres`` user out of its own data folder, so that ``pg_ctl stop`` failed and the server
    outlived the test. The server is stopped by ``pg_ctl``, or else by a fast-shutdown signal to its pid.
    """
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (Debian: apt-get install postgresql; .ci/run does this)")
    as_owner: list[str] = []
    owner = None
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as Debian's postgres user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as an unprivileged user")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        as_owner = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="painlab-postgres-"))
    base.chmod(0o755)
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, port = base / "data", free_port()
    try:
        subprocess.run([*as_owner, str(bindir / "initdb"), "-D", str(data), "-U", "grader", "--auth=trust", "-E",
                        "UTF8"], check=True, capture_output=True, text=True)
        subprocess.run([*as_owner, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-o",
                        f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"], check=True,
                       capture_output=True, text=True)
        try:
            subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "painlab"],
                           check=True, capture_output=True, text=True)
            yield f"postgresql://grader@127.0.0.1:{port}/painlab"
        finally:
            stopped = subprocess.run([*as_owner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                                     capture_output=True, text=True)
            pid_file = data / "postmaster.pid"
            if stopped.returncode != 0 and pid_file.exists():
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)  # PostgreSQL's fast shutdown
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with running_postgres() as url:
        yield url


def class_of(release, source) -> dict[str, nbformat.NotebookNode]:
    kinds = {"solution": (solved_copy(release, source), 7.0), "wrong": (with_answers(release, WRONG), 0.0),
             "untouched": (release, 0.0)}
    names = list(kinds)
    return {f"{names[k % 3]}_{k:02d}": kinds[names[k % 3]] for k in range(CLASS_SIZE)}


def course_with(root: Path, destination: Path, db_url: str | None) -> None:
    shutil.copy(root / "assignments" / "nbgrader_config.py", destination)
    if db_url:
        with open(destination / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    shutil.copytree(root / "assignments" / "source" / ASSIGNMENT, destination / "source" / ASSIGNMENT)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=destination)


@pytest.fixture(scope="module")
def graded(postgres, tmp_path_factory, root):
    course = tmp_path_factory.mktemp("pg-course")
    course_with(root, course, postgres)
    assert grading.course_db_url(course) == postgres
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    students = class_of(release, source)
    for student, (nb, _) in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    outcomes = grading.autograde(course, ASSIGNMENT, workers=2, progress=False,
                                 settings=grading.Settings(cell_timeout_s=5, notebook_budget_s=120))
    return course, students, outcomes, postgres


def test_the_gradebook_is_postgresql_and_sqlite_is_untouched(graded):
    course, _, _, url = graded
    assert url.startswith("postgresql://")
    assert not (course / "gradebook.db").exists()


def test_every_grade_is_in_postgresql(graded):
    _, students, outcomes, url = graded
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes if not o.ok]
    with Gradebook(url) as gradebook:
        stored = {s.student.id: float(s.score) for s in gradebook.assignment_submissions(ASSIGNMENT)}
    assert stored == {student: score for student, (_, score) in students.items()}
    assert len(stored) == CLASS_SIZE


def test_nbgrader_reads_the_postgresql_grades(graded):
    course, students, _, _ = graded
    run(["nbgrader", "export", "--to", "grades.csv"], cwd=course)
    lines = (course / "grades.csv").read_text().splitlines()
    assert len(lines) == CLASS_SIZE + 1
    assert sum(",7.0," in line for line in lines) == sum(score == 7.0 for _, score in students.values())


def test_a_sqlite_gradebook_moves_to_postgresql_without_losing_a_grade(graded, postgres, tmp_path):
    """An instructor who outgrows SQLite copies the whole gradebook, manual grades and comments included."""
    course, _, _, _ = graded
    small = tmp_path / "sqlite-course"
    small.mkdir()
    course_with(Path(__file__).resolve().parents[1], small, None)
    release = nbformat.read(small / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    source = nbformat.read(small / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    for student, nb in (("ana", solved_copy(release, source)), ("ben", with_answers(release, WRONG))):
        folder = small / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    grading.autograde(small, ASSIGNMENT, workers=2, progress=False, settings=grading.Settings(cell_timeout_s=5))
    sqlite_url = grading.course_db_url(small)
    with Gradebook(sqlite_url) as gradebook:  # the instructor grades ben's written answer by hand
        written = gradebook.find_grade("q5_answer", NOTEBOOK, ASSIGNMENT, "ben")
        written.manual_score = 2.0
        comment = gradebook.find_comment("q5_answer", NOTEBOOK, ASSIGNMENT, "ben")
        comment.manual_comment = "Good reasoning."
        gradebook.db.commit()
    copy_db = postgres.rsplit("/", 1)[0] + "/painlab_copy"
    bindir = postgres_bin()
    host_port = postgres.split("@")[1].split("/")[0]
    subprocess.run([str(bindir / "createdb"), "-h", host_port.split(":")[0], "-p", host_port.split(":")[1], "-U", "grader",
                    "painlab_copy"], check=True, capture_output=True, text=True)
    counts = grading.copy_gradebook(sqlite_url, copy_db)
    assert counts["students"] == 2 and counts["submissions"] == 2
    with Gradebook(sqlite_url) as before, Gradebook(copy_db) as after:
        for student in ("ana", "ben"):
            assert float(after.find_submission(ASSIGNMENT, student).score) == \
                float(before.find_submission(ASSIGNMENT, student).score)
        assert float(after.find_submission(ASSIGNMENT, "ben").score) == 2.0
        assert after.find_comment("q5_answer", NOTEBOOK, ASSIGNMENT, "ben").manual_comment == "Good reasoning."
        assert float(after.find_submission(ASSIGNMENT, "ana").score) == 7.0
