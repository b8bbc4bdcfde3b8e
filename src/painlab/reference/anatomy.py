"""Neuroanatomy reference data: ISNCSCI key sensory points and key muscles, facet joint innervation,
and the levels of the sympathetic ganglia targeted by blocks."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import Source

ASIA_2008 = Source("asia2008keypoints", "Key sensory points handout")
ISNCSCI_LANDMARKS = Source("medscape_sci_sensory")
ASIA_MOTOR = Source("cnswiki_asia_motor", "Motor scoring table")

KEY_SENSORY_POINTS: Mapping[str, str] = MappingProxyType({
    "C2": "at least 1 cm lateral to the occipital protuberance (or at least 3 cm behind the ear)",
    "C3": "supraclavicular fossa, midclavicular line",
    "C4": "over the acromioclavicular joint",
    "C5": "lateral (radial) side of the antecubital fossa, just proximal to the elbow",
    "C6": "dorsal surface of the proximal phalanx of the thumb",
    "C7": "dorsal surface of the proximal phalanx of the middle finger",
    "C8": "dorsal surface of the proximal phalanx of the little finger",
    "T1": "medial (ulnar) side of the antecubital fossa, just proximal to the medial epicondyle",
    "T2": "apex of the axilla",
    "T3": "midclavicular line, third intercostal space",
    "T4": "midclavicular line, fourth intercostal space, at the level of the nipples",
    "T5": "midclavicular line, fifth intercostal space, midway between nipples and xiphisternum",
    "T6": "midclavicular line at the level of the xiphisternum",
    "T7": "midclavicular line, between the T6 and T10 points (nearest T6)",
    "T8": "midclavicular line, between the T6 and T10 points (midway)",
    "T9": "midclavicular line, between the T6 and T10 points (nearest T10)",
    "T10": "umbilicus",
    "T11": "midway between T10 and T12",
    "T12": "midpoint of the inguinal ligament",
    "L1": "half the distance between T12 and L2",
    "L2": "mid-anterior thigh",
    "L3": "medial femoral condyle",
    "L4": "medial malleolus",
    "L5": "dorsum of the foot at the third metatarsophalangeal joint",
    "S1": "lateral heel",
    "S2": "popliteal fossa in the midline",
    "S3": "ischial tuberosity",
    "S4-5": "perianal area (one level)",
})
"""ISNCSCI key sensory points: C2-T6 in the ASIA wording; T7-S4/5 as landmarks."""

KEY_MUSCLES: Mapping[str, str] = MappingProxyType({
    "C5": "elbow flexors", "C6": "wrist extensors", "C7": "elbow extensors",
    "C8": "finger flexors (distal phalanx of the middle finger)", "T1": "finger abductors (little finger)",
    "L2": "hip flexors", "L3": "knee extensors", "L4": "ankle dorsiflexors", "L5": "long toe extensors",
    "S1": "ankle plantar flexors",
})
"""ISNCSCI key muscles (myotomes) tested for the motor level."""

FACET_INNERVATION_SOURCE = Source("bogduk1982dorsalrami", "Abstract")
"""Each lumbar medial branch supplies two adjacent zygapophysial joints, so each joint has two: the
medial branch of its own level and of the level above (L4-5: L3 and L4 medial branches)."""


@dataclass(frozen=True)
class SympatheticTarget:
    name: str
    level: str
    landmark: str
    source: Source
    serves: str = ""  # the region or viscera whose pain the block addresses


SYMPATHETIC_TARGETS: Mapping[str, SympatheticTarget] = MappingProxyType({
    target.name: target for target in (
        SympatheticTarget("stellate ganglion", "C7-T1",
                          "fused inferior cervical and first thoracic ganglia (fused in about 80 % of people), "
                          "anterior to the C7 transverse process and the neck of the first rib",
                          Source("elias2000stellate", "Anatomy"), "upper limb, head and neck"),
        SympatheticTarget("splanchnic nerves", "T12",
                          "greater, lesser and least splanchnic nerves on the anterolateral surface of T12, behind "
                          "the crura", Source("anesthesiology2021editorial"), "upper abdominal viscera"),
        SympatheticTarget("celiac plexus", "T12-L1", "anterolateral to the aorta (range T11-12 to L2)",
                          Source("openanesthesia_celiac", "Introduction"),
                          "pancreas, liver, stomach, proximal bowel"),
        SympatheticTarget("lumbar sympathetic chain", "L2-L3",
                          "anterolateral vertebral bodies, medial to psoas; densest at L2-L3, so usually blocked at "
                          "the lower third of L2 or upper third of L3 (secondary source; position varies)",
                          Source("yentur_lsb"), "lower limb"),
        SympatheticTarget("superior hypogastric plexus", "L5-S1",
                          "retroperitoneal, anterior to the lower L5 and upper S1 vertebral bodies near the "
                          "common iliac bifurcation", Source("jankovic_shp_chapter", "Anatomy"), "pelvic viscera"),
        SympatheticTarget("ganglion impar", "sacrococcygeal junction",
                          "unpaired terminal ganglion of the sympathetic chains, anterior to the junction",
                          Source("li2016impar", "Background"), "perineum, distal rectum and anus"),
    )
})
"""Sympathetic block targets, at their typical levels (they vary between people). The lumbar chain's level comes
from a textbook chapter (secondary source)."""

SEGMENT_ORDER: tuple[str, ...] = tuple(KEY_SENSORY_POINTS)


def sources() -> set[str]:
    return {ASIA_2008.key, ISNCSCI_LANDMARKS.key, ASIA_MOTOR.key, FACET_INNERVATION_SOURCE.key} | {
        t.source.key for t in SYMPATHETIC_TARGETS.values()}


def key_points_markdown() -> str:
    from painlab.reference._format import markdown_table

    return markdown_table(("Segment", "Key sensory point", "Key muscle"),
                          [(seg, point, KEY_MUSCLES.get(seg, "")) for seg, point in KEY_SENSORY_POINTS.items()])


def sympathetic_targets_markdown() -> str:
    from painlab.reference._format import markdown_table

    return markdown_table(("Target", "Level", "Landmark", "Source"),
                          [(t.name, t.level, t.landmark, f"{{cite:p}}`{t.source.key}`") for t in SYMPATHETIC_TARGETS.values()])
