"""Imaging reference data: occupational dose limits, scatter, and ultrasound conventions."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from painlab.reference.source import Quantity, Source


ICRP_103 = Source("icrp103", "Table 6")
ICRP_118 = Source("icrp118", "Statement on tissue reactions, para. 3")
NRC_1201 = Source("nrc_10cfr20_1201", "10 CFR 20.1201(a)")
NRC_1208 = Source("nrc_10cfr20_1208", "10 CFR 20.1208(a)")

OCCUPATIONAL_LIMITS_MSV_PER_YEAR: Mapping[str, Mapping[str, Quantity]] = MappingProxyType({
    "ICRP": MappingProxyType({
        "effective dose": Quantity(20.0, "mSv/year", ICRP_103, "averaged over 5 years, no single year above 50 mSv"),
        "lens of the eye": Quantity(20.0, "mSv/year", ICRP_118, "averaged over 5 years, no single year above 50 mSv"),
        "skin, hands and feet": Quantity(500.0, "mSv/year", ICRP_103),
    }),
    "NRC": MappingProxyType({
        "effective dose": Quantity(50.0, "mSv/year", NRC_1201, "total effective dose equivalent, 5 rem"),
        "lens of the eye": Quantity(150.0, "mSv/year", NRC_1201, "lens dose equivalent, 15 rem"),
        "skin, hands and feet": Quantity(500.0, "mSv/year", NRC_1201, "shallow dose equivalent, 50 rem"),
    }),
})
"""Annual occupational limits. The NRC lens limit (150 mSv) is far above ICRP's 2011 recommendation (20 mSv)."""
PUBLIC_LIMIT_MSV_PER_YEAR = Quantity(1.0, "mSv/year", ICRP_103)
PREGNANCY_LIMIT_MSV = Quantity(5.0, "mSv over the pregnancy", NRC_1208, "declared pregnant worker, embryo/fetus")

SCATTER_FRACTION_AT_1M = Quantity(0.001, "fraction of the patient's entrance dose", Source("hps_ate_13856"),
                                  "rule of thumb: about 0.1 % at 1 m from the patient")

SPEED_OF_SOUND_SOFT_TISSUE = Quantity(1540.0, "m/s", Source("biosono_usphysics"),
                                      "the average soft-tissue value that scanners assume (secondary source)")
SOFT_TISSUE_ATTENUATION = Quantity(0.5, "dB/cm/MHz", Source("radiologyweb_attenuation"),
                                   "a typical soft-tissue value; published values range from about 0.3 to 1 "
                                   "dB/cm/MHz by tissue")
SCOTTY_DOG_SOURCE = Source("radiopaedia_scottie")
TRANSDUCER_SOURCE = Source("clinicalgate_usgra_ch7", "The transducer")


def sources() -> set[str]:
    keys = {PUBLIC_LIMIT_MSV_PER_YEAR.source.key, PREGNANCY_LIMIT_MSV.source.key, SCATTER_FRACTION_AT_1M.source.key,
            SPEED_OF_SOUND_SOFT_TISSUE.source.key,
            SOFT_TISSUE_ATTENUATION.source.key, SCOTTY_DOG_SOURCE.key, TRANSDUCER_SOURCE.key}
    for body in OCCUPATIONAL_LIMITS_MSV_PER_YEAR.values():
        keys |= {q.source.key for q in body.values()}
    return keys


def occupational_limits_markdown() -> str:
    from painlab.reference._format import markdown_table, number

    rows = [(body, organ, f"{number(q.value)} {q.unit}", q.note, f"{{cite:p}}`{q.source.key}`")
            for body, limits in OCCUPATIONAL_LIMITS_MSV_PER_YEAR.items() for organ, q in limits.items()]
    rows.append(("NRC", "embryo/fetus", f"{number(PREGNANCY_LIMIT_MSV.value)} {PREGNANCY_LIMIT_MSV.unit}",
                 PREGNANCY_LIMIT_MSV.note, f"{{cite:p}}`{PREGNANCY_LIMIT_MSV.source.key}`"))
    rows.append(("ICRP", "public (effective dose)", f"{number(PUBLIC_LIMIT_MSV_PER_YEAR.value)} "
                 f"{PUBLIC_LIMIT_MSV_PER_YEAR.unit}", "", f"{{cite:p}}`{PUBLIC_LIMIT_MSV_PER_YEAR.source.key}`"))
    return markdown_table(("Body", "Limit for", "Value", "Note", "Source"), rows)
