"""make bench: time what users feel, against budgets. Never part of make test.

* Simulators: median time of one model update (compute only) and of one slider move
  (compute + figure update + PNG), for every explorer behind a widget.
* Lessons: execution time of each lesson notebook in a fresh kernel.

Writes benchmarks/RESULTS.md (a table with the machine, the figure, the budget and pass/fail).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

COMPUTE_BUDGET_MS = 20.0
INTERACTIVE_BUDGET_MS = 60.0
LESSON_BUDGET_S = 10.0


def median_ms(action: Callable[[], object], repeats: int = 15) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def simulator_rows() -> list[tuple[str, float, float]]:
    """For every explorer: one slider move (compute + figure update + PNG), and for the two heaviest
    models the compute alone."""
    from painlab import neuro, widgets

    rows = []
    amplitudes = iter([5.0 + 0.37 * k for k in range(10_000)])
    rows.append(("membrane: compute (HH patch, 30 ms at 10 us)",
                 median_ms(lambda: neuro.simulate_membrane(next(amplitudes), 1.0)), COMPUTE_BUDGET_MS))
    fractions = iter([round(0.001 * k, 3) for k in range(1, 10_000)])
    rows.append(("axon: compute (121-compartment cable, 8 ms)",
                 median_ms(lambda: neuro.simulate_axon(sodium_block_fraction=next(fractions), blocked_length_cm=1.0)),
                 COMPUTE_BUDGET_MS))
    for name, (factory, control, values) in widgets.EXPLORERS.items():
        explorer = factory()
        if hasattr(widgets, "_cached_axon"):
            widgets._cached_axon.cache_clear()
        cycle = iter([values[k % len(values)] for k in range(10_000)])

        def move(explorer=explorer, control=control, cycle=cycle, name=name) -> None:
            explorer.controls[control].value = next(cycle)
            if name == "axon block":
                widgets._cached_axon.cache_clear()  # time the uncached path

        rows.append((f"{name}: slider move (compute + redraw)", median_ms(move), INTERACTIVE_BUDGET_MS))
    return rows


def lesson_rows() -> list[tuple[str, float, float]]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "notebooks").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        rows.append((f"lesson: {path.stem} (fresh kernel)", time.perf_counter() - start, LESSON_BUDGET_S))
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    simulators = simulator_rows()
    lessons = lesson_rows()
    lines = ["# Benchmark results", "", f"Machine: {machine()}", "",
             "| what | median / time | budget | result |", "|---|---:|---:|---|"]
    failed = 0
    for name, value, budget in simulators:
        ok = value <= budget
        failed += not ok
        lines.append(f"| {name} | {value:.1f} ms | ≤ {budget:g} ms | {'pass' if ok else 'MISS'} |")
    for name, value, budget in lessons:
        ok = value <= budget
        failed += not ok
        lines.append(f"| {name} | {value:.1f} s | ≤ {budget:g} s | {'pass' if ok else 'MISS'} |")
    lines += ["", "Regenerate with `make bench`. Timings are medians of 15 runs after a warm-up."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
