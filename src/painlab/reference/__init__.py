"""Cited reference data: every clinical or physiological number the course uses lives here, once.

Each value carries a :class:`Source` (a citation key into ``book/references.bib`` and, where useful,
a locator such as a table or page). Lessons, calculators and tests import these values; they never
retype them. ``tests/test_reference.py`` checks that every key exists in the bibliography.

One module per domain: :mod:`.physiology` (nerve fibres, the Hodgkin-Huxley axon), :mod:`.anatomy`,
:mod:`.assessment`, :mod:`.pharmacology`, :mod:`.imaging`, :mod:`.rf` (radiofrequency
lesions), :mod:`.neuromodulation` (spinal cord stimulation),
:mod:`.evidence` (diagnostic blocks as tests), :mod:`.intrathecal` (pumps, labels and trials),
:mod:`.sympathetic` (heat balance, block criteria, neurolysis trials), :mod:`.epidural`
(depths, pressures, trials).
"""

from __future__ import annotations

from painlab.reference import (
    anatomy,
    assessment,
    epidural,
    evidence,
    imaging,
    intrathecal,
    neuromodulation,
    pharmacology,
    physiology,
    rf,
    sympathetic,
)
from painlab.reference.physiology import (
    FIBRE_CLASSES,
    FIBRE_TABLE_SOURCE,
    HODGKIN_HUXLEY_1952,
    SQUID_AXON_CABLE,
    SQUID_AXON_MEMBRANE,
    FibreClass,
    HodgkinHuxleyCable,
    HodgkinHuxleyMembrane,
    fibre_class,
    fibre_table_markdown,
)
from painlab.reference.source import Source

DOMAINS = (physiology, anatomy, assessment, pharmacology, imaging, rf, neuromodulation, evidence, intrathecal, sympathetic,
           epidural)

__all__ = [
    "FIBRE_CLASSES", "FIBRE_TABLE_SOURCE", "HODGKIN_HUXLEY_1952", "SQUID_AXON_CABLE", "SQUID_AXON_MEMBRANE",
    "FibreClass", "HodgkinHuxleyCable", "HodgkinHuxleyMembrane", "Source", "all_sources", "fibre_class",
    "fibre_table_markdown",
]


def all_sources() -> set[str]:
    """Every citation key used by the reference data (checked against the bibliography in tests)."""
    keys: set[str] = set()
    for domain in DOMAINS:
        keys |= domain.sources()
    return keys
