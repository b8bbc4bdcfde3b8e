"""The post-build HTML fixes in book/_ext/course_html.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))

from course_html import drop_repeated_inline_scripts, fix_bibliography_roles  # noqa: E402


def test_repeated_inline_scripts_are_dropped_once_each():
    page = ("<head>\n    <script>const A = 1;</script>\n    <script src='x.js'></script>\n"
            "    <script>const A = 1;</script>\n    <script>const B = 2;</script>\n</head>")
    fixed = drop_repeated_inline_scripts(page)
    assert fixed.count("const A = 1;") == 1 and "const B = 2;" in fixed and "x.js" in fixed


def test_bibliography_entries_become_list_items_only_in_citation_lists():
    listed = '<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">x</div></div>'
    assert 'role="listitem"' in fix_bibliography_roles(listed)
    other = '<span role="doc-biblioentry">x</span>'
    assert fix_bibliography_roles(other) == other
