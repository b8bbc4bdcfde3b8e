"""Small fixes to the HTML that the book's theme and extensions produce (applied after the build).

* sphinx-thebe writes its inline configuration script twice into every page, so the browser saw
  ``const THEBE_JS_URL`` declared twice and logged a SyntaxError on every page: keep only the first
  copy of any inline ``<script>`` that appears more than once in a page.
* The landing page's course map is drawn from ``_toc.yml`` when the build starts, so it always shows
  the book as it is (``book/_generated/course_map.png``, not committed).
* sphinxcontrib-bibtex marks the bibliography ``role="list"`` with children ``role="doc-biblioentry"``,
  a role deprecated in DPUB-ARIA 1.1 that assistive technology need not treat as a list item (axe:
  critical "aria-required-children"): give the entries ``role="listitem"``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

INLINE_SCRIPT = re.compile(r"[ \t]*<script>(?:(?!</script>).)+</script>\n?", re.S)


def drop_repeated_inline_scripts(html: str) -> str:
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        body = match.group(0).strip()
        if body in seen:
            return ""
        seen.add(body)
        return match.group(0)

    return INLINE_SCRIPT.sub(keep_first, html)


def fix_bibliography_roles(html: str) -> str:
    if 'class="citation-list"' not in html:
        return html
    return html.replace('role="doc-biblioentry"', 'role="listitem"')


def _fix_pages(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    # Browsers ask for /favicon.ico on pages without a favicon link (the root redirect page): serve ours.
    favicon = Path(app.srcdir) / "book" / "css" / "favicon.png"
    if favicon.exists():
        shutil.copyfile(favicon, Path(app.outdir) / "favicon.ico")
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_bibliography_roles(drop_repeated_inline_scripts(text))
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _first_heading(path: Path) -> str:
    if path.suffix == ".ipynb":
        import json

        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def mastery_lessons(root: Path) -> list[str]:
    """Titles of the module 03 lessons, in book order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [_first_heading(root / f"{f}.ipynb") for f in files
            if f.startswith("notebooks/03_mastery/") and (root / f"{f}.ipynb").exists()]


def course_structure(root: Path) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Lesson titles (modules 01 and 02, in book order) and, for each assignment, the lessons it goes with
    (none for the capstone, which goes with the whole of module 03)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    lessons, assignments = [], []
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            file = chapter["file"]
            candidates = [root / f"{file}.ipynb", root / f"{file}.md"]
            path = next((c for c in candidates if c.exists()), None)
            if file.startswith(("notebooks/01_basics/", "notebooks/02_techniques/")) and path:
                lessons.append(_first_heading(path))
            elif file.startswith("assignments/release/"):
                name = Path(file).name
                source = root / "assignments" / "source" / name / f"{name}.ipynb"
                if source.exists():
                    intro = _first_heading(source)
                    text = source.read_text(encoding="utf-8")
                    capstone = "Goes with module 03" in text
                    linked = [] if capstone else [lesson for lesson in lessons if lesson.split(":")[0] in text]
                    assignments.append((intro.split(":")[0], linked))
    return lessons, assignments


def draw_course_map(root: Path, out: Path) -> None:
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    lessons, assignments = course_structure(root)
    rows = max(len(lessons), 3)
    fig, ax = plt.subplots(figsize=(11, 0.75 * rows + 1.0), dpi=110)
    top = rows + 0.6
    ax.set_xlim(0, 11)
    ax.set_ylim(top - rows + 0.4, top + 1.0)
    ax.axis("off")

    def box(x: float, y: float, w: float, text: str, colour: str, face: str, size: int = 9) -> None:
        ax.add_patch(FancyBboxPatch((x, y - 0.35), w, 0.7, boxstyle="round,pad=0.05", edgecolor=colour,
                                    facecolor=face, lw=1.5))
        ax.text(x + w / 2, y, text, ha="center", va="center", fontsize=size, wrap=True)

    ax.text(1.9, top + 0.6, "Lessons (modules 01 and 02)", ha="center", fontsize=11, fontweight="bold",
            color="#0072B2")
    ax.text(5.5, top + 0.6, "Graded assignments", ha="center", fontsize=11, fontweight="bold", color="#D55E00")
    ax.text(9.1, top + 0.6, "Module 03: mastery", ha="center", fontsize=11, fontweight="bold", color="#009E73")
    lesson_y = {}
    for i, lesson in enumerate(lessons):
        y = top - i
        lesson_y[lesson] = y
        box(0.1, y, 3.6, textwrap.fill(lesson, 52), "#0072B2", "#e8f1f8", 8)
    mastery = mastery_lessons(root)
    for assignment, linked in assignments:
        if not linked:  # the capstone goes with the whole of module 03: it is drawn at the end of that column
            continue
        ys = [lesson_y[lesson] for lesson in linked]
        y = sum(ys) / len(ys)
        box(4.5, y, 2.0, assignment, "#D55E00", "#fbece3", 8)
        for ly in ys:
            ax.annotate("", xy=(4.45, y), xytext=(3.75, ly), arrowprops={"arrowstyle": "->", "color": "#D55E00"})
    for k, item in enumerate(mastery):
        box(7.4, top - k, 3.4, textwrap.fill(item, 40), "#009E73", "#e5f5ef", 8)
    capstones = [assignment for assignment, linked in assignments if not linked]
    for assignment in capstones:
        mastery.append(assignment)
        box(7.4, top - len(mastery) + 1, 3.4, f"{assignment}: capstone (all of module 03)", "#D55E00", "#fbece3", 8)
    ax.text(9.1, top - len(mastery) + 0.1, "In preparation", ha="center", fontsize=11, fontweight="bold",
            color="#7f7f7f")
    box(7.4, top - len(mastery) - 0.8, 3.4, "Procedural safety (module 01)", "#7f7f7f", "#f2f2f2", 8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def _draw_course_map(app: Any) -> None:
    root = Path(app.srcdir)
    draw_course_map(root, root / "book" / "_generated" / "course_map.png")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _draw_course_map)
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
