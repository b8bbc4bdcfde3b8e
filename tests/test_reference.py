"""Every number in the reference data is cited, and every citation exists in the bibliography."""

import re

import pybtex.database
import pytest

from painlab import reference


@pytest.fixture(scope="module")
def bibliography(root):
    return pybtex.database.parse_file(str(root / "book" / "references.bib"))


def test_every_reference_key_is_in_the_bibliography(bibliography):
    missing = reference.all_sources() - set(bibliography.entries)
    assert not missing, f"keys used by painlab.reference but missing from references.bib: {missing}"


def test_every_citation_in_the_book_and_notebooks_exists(root, bibliography):
    pattern = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
    sources = [*root.glob("book/*.md"), *root.glob("notebooks/**/*.ipynb")]
    cited = {key.strip() for path in sources for group in pattern.findall(path.read_text()) for key in group.split(",")}
    assert cited, "no citations found at all"
    assert not cited - set(bibliography.entries), f"cited but not in references.bib: {cited - set(bibliography.entries)}"


def test_fibre_classes_are_ordered_and_physical():
    fibres = reference.FIBRE_CLASSES
    assert fibres["A-delta"].conduction_velocity_m_per_s == (10.0, 30.0)
    assert fibres["C"].conduction_velocity_m_per_s == (0.5, 2.5)
    assert not fibres["C"].myelinated and all(f.myelinated for n, f in fibres.items() if n != "C")
    for fibre in fibres.values():
        low, high = fibre.conduction_velocity_m_per_s
        assert 0 < low < high
        assert fibre.diameter_um[0] < fibre.diameter_um[1]
        assert fibre.source.key == "kiernan2003size"


def test_conduction_time_is_distance_over_velocity():
    fastest_ms, slowest_ms = reference.fibre_class("a delta").conduction_time_ms(1.0)
    assert fastest_ms == pytest.approx(1000.0 / 30.0)
    assert slowest_ms == pytest.approx(100.0)
    with pytest.raises(ValueError, match="distance_m must be a positive"):
        reference.fibre_class("C").conduction_time_ms(-1.0)


def test_unknown_fibre_class_is_rejected_with_the_known_names():
    with pytest.raises(ValueError, match="unknown fibre class 'Z'.*A-delta"):
        reference.fibre_class("Z")
