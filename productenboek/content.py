"""The whole content tree as one immutable value, built once and handed to every output."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import (
    CareForm,
    Chapter,
    CodeList,
    CrossTopics,
    Kernbeding,
    National,
    Product,
    Region,
    SegmentDetail,
)


@dataclass(frozen=True)
class RegionContent:
    slug: str
    region: Region
    products: dict[str, Product]  # id -> product, in book order
    kernbedingen: dict[str, Kernbeding]  # id -> kernbeding, in book order
    chapters: tuple[Chapter, ...]
    folder: str  # path shown to people, e.g. content/regios/groningen
    segment_details: dict[str, SegmentDetail] = field(default_factory=dict)  # segment id -> detail
    cross_topics: CrossTopics | None = None

    def product_by_code(self, code: str) -> Product | None:
        for p in self.products.values():
            if p.code == code:
                return p
        return None


@dataclass(frozen=True)
class Content:
    root: str
    code_lists: dict[str, CodeList]
    national: National | None
    care_forms: dict[str, CareForm]
    regions: dict[str, RegionContent] = field(default_factory=dict)

    def units(self) -> dict[str, str]:
        """Unit key -> display name, from codelijsten/eenheid.yml."""
        out: dict[str, str] = {}
        for cl in self.code_lists.values():
            for c in cl.codes:
                if c.key:
                    out[c.key] = c.name
        return out

    def categories(self, law: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for cl in self.code_lists.values():
            if cl.law == law:
                out.update({c.code: c.name for c in cl.codes})
        return out
