"""Small fixes to the HTML that the book's theme and extensions produce (applied after the build).

* sphinx-thebe writes its inline configuration script twice into every page, so the browser saw
  ``const THEBE_JS_URL`` declared twice and logged a SyntaxError on every page: keep only the first
  copy of any inline ``<script>`` that appears more than once in a page.
* sphinxcontrib-bibtex marks the bibliography ``role="list"`` with children ``role="doc-biblioentry"``,
  a role deprecated in DPUB-ARIA 1.1 that assistive technology need not treat as a list item (axe:
  critical "aria-required-children"): give the entries ``role="listitem"``.
"""

from __future__ import annotations

import re
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
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_bibliography_roles(drop_repeated_inline_scripts(text))
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
