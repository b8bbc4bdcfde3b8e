"""The book builds with warnings as errors, from a clean copy, and shows readers only what they may see."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_grading import secret_lines

pytestmark = pytest.mark.slow

class TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = TextExtractor()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def book(built_book):
    copy, _ = built_book
    return copy / "_build" / "html"


def test_pages_exist(book):
    for page in ("book/intro.html", "book/syllabus.html", "book/library.html", "notebooks/01_basics/01_pain_physiology.html",
                 "notebooks/01_basics/02_neuroanatomy.html", "notebooks/01_basics/03_assessment.html",
                 "notebooks/01_basics/04_pharmacology.html", "notebooks/01_basics/05_imaging.html",
                 "notebooks/02_techniques/01_nerve_blocks.html",
                 "notebooks/02_techniques/02_sympathetic_blocks.html",
                 "notebooks/02_techniques/03_epidural_steroid_injections.html",
                 "assignments/release/12_sympathetic/12_sympathetic.html",
                 "assignments/release/13_epidural/13_epidural.html",
                 "notebooks/02_techniques/04_facet_interventions.html",
                 "notebooks/02_techniques/05_radiofrequency_ablation.html",
                 "notebooks/02_techniques/06_spinal_cord_stimulation.html",
                 "notebooks/02_techniques/07_intrathecal_drug_delivery.html",
                 "notebooks/02_techniques/08_joint_and_sacroiliac_injections.html",
                 "notebooks/02_techniques/09_trigger_points_and_infusions.html",
                 "notebooks/02_techniques/10_emerging_technologies.html",
                 "assignments/release/02_anatomy_assessment/02_anatomy_assessment.html",
                 "assignments/release/03_pharmacology_imaging/03_pharmacology_imaging.html",
                 "assignments/release/01_physiology/01_physiology.html", "book/glossary.html",
                 "book/bibliography.html", "book/instructors.html", "book/safety.html"):
        assert (book / page).is_file(), page


def test_no_solution_or_hidden_test_reaches_the_book(book, root):
    secrets = {" ".join(line.split()) for line in secret_lines(root)}
    for page in book.rglob("*.html"):
        text = page_text(page)
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{page.relative_to(book)} shows {leaked[:3]}"
    assert not list(book.rglob("*source/01_physiology*"))


def test_assignment_page_is_the_student_version(book):
    text = page_text(book / "assignments/release/01_physiology/01_physiology.html")
    assert "YOUR CODE HERE" in text and "YOUR ANSWER HERE" in text
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_lesson_figures_are_numbered_captioned_and_have_alt_text(book):
    page = (book / "notebooks/01_basics/01_pain_physiology.html").read_text(encoding="utf-8")
    figures = re.findall(r"<figure[^>]*>.*?</figure>", page, re.S)
    assert len(figures) == 5
    for figure in figures:
        alt = re.search(r'<img[^>]*alt="([^"]*)"', figure)
        assert alt and len(alt.group(1)) > 40, figure[:300]
        assert "Fig. " in html.unescape(re.sub(r"<[^>]+>", "", figure))


def test_no_dead_widgets_and_no_cdn_in_the_book(book):
    for page in book.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in source, page
        loaded = re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"', source)
        loaded += re.findall(r'<link[^>]*rel="(?:stylesheet|preload)"[^>]*href="([^"]+)"', source)
        external = [url for url in loaded if re.match(r"(https?:)?//", url)]
        assert not external, f"{page.name} loads {external}"
    lesson = (book / "notebooks/01_basics/01_pain_physiology.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in lesson
    assert lesson.count("<details>") == 4  # self-check answers, collapsed


def test_every_lesson_figure_has_a_caption_and_alt_text(book):
    for page in (book / "notebooks").rglob("*.html"):
        figures = re.findall(r"<figure[^>]*>.*?</figure>", page.read_text(encoding="utf-8"), re.S)
        assert figures, page.name
        for figure in figures:
            alt = re.search(r'<img[^>]*alt="([^"]*)"', figure)
            assert alt and len(alt.group(1)) > 40, (page.name, figure[:200])
            assert "Fig. " in html.unescape(re.sub(r"<[^>]+>", "", figure)), page.name


def test_roles_are_rendered_not_shown_raw(book):
    pages = [p.relative_to(book).as_posix() for p in (book / "notebooks").rglob("*.html")]
    for name in (*pages, "book/glossary.html", "book/intro.html"):
        text = page_text(book / name)
        assert "{cite" not in text and "{term}" not in text and "{doc}" not in text, name


def test_bibliography_lists_the_primary_sources(book):
    text = page_text(book / "book/bibliography.html")
    for expected in ("Hodgkin", "Melzack", "Nakamura", "Kiernan"):
        assert expected in text


def test_library_reference_page_documents_the_calculators(book):
    text = page_text(book / "book/library.html")
    for name in ("max_dose_mg", "plan_injection", "UnsafePlanError", "daily_mme", "oswestry_percent",
                 "post_test_probability", "number_needed_to_treat", "dose_rate_at_distance", "expect_number"):
        assert name in text, name


def test_landing_page_shows_the_course_map_drawn_from_the_table_of_contents(book):
    intro = (book / "book/intro.html").read_text(encoding="utf-8")
    figure = re.search(r"<figure[^>]*>.*?</figure>", intro, re.S).group(0)
    assert "course_map.png" in figure and "Course map in three columns" in figure
    assert list(book.rglob("_images/course_map*.png"))
    syllabus = page_text(book / "book/syllabus.html")
    assert "IASP Curriculum Outline" in syllabus or "International Association for the Study of Pain" in syllabus
    assert "multidimensional nature of pain" in syllabus and "clinical conditions" in syllabus
    assert "Pharmacology for procedures" in syllabus and "III" in syllabus


def test_course_structure_links_assignments_to_their_lessons(root):
    import sys
    sys.path.insert(0, str(root / "book" / "_ext"))
    from course_html import course_structure

    lessons, assignments = course_structure(root)
    assert lessons[0].startswith("Pain physiology") and len(lessons) >= 5
    linked = dict(assignments)
    assert linked["Assignment 2"] == [lessons[1], lessons[2]]
    assert linked["Assignment 3"] == [lessons[3], lessons[4]]
    assert linked["Assignment 4"] == ["Radiofrequency ablation: conventional, pulsed and cooled"]
    assert linked["Assignment 5"] == ["Spinal cord and dorsal root ganglion stimulation"]
    assert linked["Assignment 6"] == ["Nerve blocks: diagnostic and therapeutic"]
    assert linked["Assignment 7"] == ["Facet joint interventions and medial branch blocks"]
    assert linked["Assignment 8"] == ["Trigger point injections and intravenous infusions (lidocaine, ketamine)"]
    assert linked["Assignment 9"] == ["Intrathecal drug delivery"]
    assert linked["Assignment 10"] == ["Emerging technologies and how to read a new device trial"]
    assert linked["Assignment 14"] == []  # the capstone goes with the whole of module 03
    from course_html import mastery_lessons
    mastery = mastery_lessons(root)
    assert mastery[0] == "From consultation to recovery" and mastery[-1].startswith("Ethics, consent")
    assert len(mastery) == 7
    assert linked["Assignment 11"] == ["Joint injections and the sacroiliac joint"]
    assert linked["Assignment 12"] == ["Sympathetic blocks"]
    assert linked["Assignment 13"] == ["Epidural steroid injections: interlaminar, transforaminal and caudal"]


def test_root_serves_a_favicon_for_the_redirect_page(book):
    """The root index.html is a bare redirect; browsers then request /favicon.ico (a 404 without this)."""
    assert (book / "favicon.ico").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


CASE_SET_PAGES = {"lumbar": "02_lumbar_cases", "head_neck": "03_head_neck_cases",
                  "sympathetic_cancer": "04_sympathetic_cancer_cases",
                  "neuromodulation_joints": "05_neuromodulation_joint_cases"}


def test_every_case_is_in_the_book_as_a_report_with_resolved_citations(book):
    from painlab import cases

    shown = 0
    for case_set, stem in CASE_SET_PAGES.items():
        page = book / "notebooks" / "03_mastery" / f"{stem}.html"
        html = page.read_text(encoding="utf-8")
        text = page_text(page).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')  # smart quotes
        assert "{cite" not in text and "cite:p" not in text  # every citation in the reports resolved
        for case in cases.cases_in_set(case_set):
            assert case.title in text, (stem, case.title)
            first = case.decisions[case.start]
            assert " ".join(first.prompt.split())[:80] in text
            for point in case.teaching_points:
                assert " ".join(point.text.split())[:60] in text
            assert f"Maximum score: {case.max_score} points." in text
            shown += 1
        assert text.count("Decisions along the best path") == len(cases.cases_in_set(case_set))
        assert 'href="../../book/bibliography.html#' in html or "bibliography" in html
    assert shown == len(cases.case_ids()) >= 12
