"""Shared fixtures: paths and a helper to run commands from the course's virtual environment."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command with the venv's bin/ first on PATH (nbgrader's db commands need alembic there)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


BOOK_INPUTS = ("_config.yml", "_toc.yml", "requirements.lock", "package-lock.json", "book", "notebooks", "src",
               "assignments/source", "assignments/nbgrader_config.py")
SKIP_COPY = {".git", ".venv", ".venv-hub", "_build", "node_modules", ".pytest_cache", ".hypothesis", "release", "submitted",
             "autograded", "feedback", "__pycache__", "artifacts", "tests", "benchmarks"}


def _inputs_digest() -> str:
    digest = hashlib.sha256()
    for name in BOOK_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def built_book() -> tuple[Path, subprocess.CompletedProcess[str] | None]:
    """The book, built from a clean copy of the course with warnings as errors, once per set of inputs.

    Several test workers may ask at once: a file lock makes one build it and the others reuse it.
    Returns the copy's root and the build result (None when an identical build was reused).
    """
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    copy = artifacts / f"book-{_inputs_digest()}"
    with open(artifacts / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (copy / "_build" / "html" / "index.html").is_file() and (copy / ".build-ok").is_file():
            return copy, None
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(ROOT, copy, ignore=lambda folder, names: [n for n in names if n in SKIP_COPY or n == "gradebook.db"])
        assert (copy / "book" / "vendor" / "mathjax" / "tex-chtml.js").is_file(), "run `make vendor` first (make test does)"
        for assignment in sorted(p.name for p in (copy / "assignments" / "source").iterdir() if p.is_dir()):
            run(["nbgrader", "generate_assignment", assignment, "--force"], cwd=copy / "assignments")
        result = run(["jupyter-book", "build", str(copy), "--warningiserror", "--keep-going"], cwd=copy, timeout=900,
                     check=False)
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
        (copy / ".build-ok").write_text("ok")
        return copy, result
