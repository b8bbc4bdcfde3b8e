"""painlab: the library behind *Interventional Pain Medicine: from physiology to mastery*.

Models, calculators, cited reference data, widgets and plotting style for the course's lessons.
Every clinical or physiological number lives once, in :mod:`painlab.reference`, with a
citation key into ``book/references.bib``.

Educational software: not a substitute for clinical judgement, product labels or local protocols.
"""

__version__ = "0.1.0"
