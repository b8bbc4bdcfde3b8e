"""Every page of the built book, in a real browser: loads, no console errors, no broken internal link
or image, and no critical or serious accessibility violations (axe-core)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

from browser.conftest import AXE, SCREENSHOTS

pytestmark = [pytest.mark.slow, pytest.mark.browser]
KEY_PAGES = {"book/intro.html", "notebooks/01_basics/01_pain_physiology.html", "notebooks/01_basics/04_pharmacology.html",
             "assignments/release/01_physiology/01_physiology.html", "book/library.html"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    copy, _ = built_book
    html = copy / "_build" / "html"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).as_posix().startswith(("_static", "reports")))


@pytest.fixture(scope="module")
def visits(site, browser):
    html, base = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    results = {}
    for path in pages(html):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        failed: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("requestfailed", lambda r, failed=failed: failed.append(r.url) if r.url.startswith(base) else None)
        page.on("response", lambda r, failed=failed: failed.append(f"{r.status} {r.url}")
                if r.url.startswith(base) and r.status >= 400 else None)
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(300)
        broken_images = page.evaluate("""() => Array.from(document.images)
            .filter(img => img.complete && img.naturalWidth === 0).map(img => img.src)""")
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations'], preload: false});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        if path in KEY_PAGES:
            page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "_").replace(".html", ".png"))), full_page=True)
        results[path] = {"errors": errors, "failed": failed, "broken_images": broken_images, "axe": axe}
        page.close()
    return results


def test_every_page_loads_without_console_errors(visits):
    assert len(visits) >= 12
    problems = {path: r["errors"] for path, r in visits.items() if r["errors"]}
    assert not problems, problems


def test_no_failed_requests_or_broken_images(visits):
    problems = {path: r["failed"] + r["broken_images"] for path, r in visits.items() if r["failed"] or r["broken_images"]}
    assert not problems, problems


def test_no_critical_or_serious_accessibility_violations(visits):
    problems = {path: [v for v in r["axe"] if v["impact"] in ("critical", "serious")] for path, r in visits.items()}
    problems = {path: v for path, v in problems.items() if v}
    assert not problems, problems


def test_internal_links_resolve(site):
    html, _ = site
    broken = []
    for path in pages(html):
        source = (html / path).read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"]+)"', source):
            if urlparse(href).scheme or href.startswith(("mailto:", "#", "//")):
                continue
            target, fragment = urldefrag(urljoin(path, unquote(href)))
            file = html / target
            if target.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{path} -> {href}")
            elif fragment and f'id="{fragment}"' not in file.read_text(encoding="utf-8"):
                broken.append(f"{path} -> {href} (no #{fragment})")
    assert not broken, broken[:20]
