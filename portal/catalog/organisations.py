"""The built-in organisations: 서울특별시 and its 25 gu with their codes in every code system,
the city's provider groups, the national providers, and a few divisions and teams.

Divisions and teams below the city and the gu are examples for the demo (a real deployment
adds its own with `portal` commands or the admin pages); the city, the gu and their codes are
facts, taken from the district table in `models_std.semantics`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models_std import semantics
from portal.catalog.models import Organisation, OrganisationCode


@dataclass(frozen=True)
class OrgSeed:
    slug: str
    name_ko: str
    name_en: str | None
    kind: str
    parent: str | None = None
    codes: tuple[tuple[str, str], ...] = ()


def _seoul_and_gu() -> list[OrgSeed]:
    city = semantics.SEOUL
    seeds = [OrgSeed("seoul", city.name_ko, city.name_en, "city",
                     codes=tuple(city.codes.items()))]
    for district in semantics.DISTRICTS:
        seeds.append(OrgSeed(district_slug(district), district.name_ko, district.name_en,
                             "gu", "seoul", tuple(district.codes.items())))
    return seeds


def district_slug(district) -> str:
    return district.name_en.lower().replace(" ", "-")


OTHER_SEEDS = (
    OrgSeed("seoul-agencies", "서울시 산하기관", "Seoul affiliated agencies", "agency", "seoul"),
    OrgSeed("seoul-offices", "서울시 사업소", "Seoul municipal offices", "agency", "seoul"),
    OrgSeed("seoul-digital-policy", "디지털정책관", "Digital Policy Office", "office", "seoul"),
    OrgSeed("seoul-bigdata-division", "빅데이터담당관", "Big Data Division", "division",
            "seoul-digital-policy"),
    OrgSeed("seoul-bigdata-policy-team", "데이터정책팀", "Data Policy Team", "team",
            "seoul-bigdata-division"),
    OrgSeed("gangdong-gu-smart-city", "스마트도시과", "Smart City Division", "division",
            "gangdong-gu"),
    OrgSeed("gangdong-gu-bigdata-team", "빅데이터팀", "Big Data Team", "team",
            "gangdong-gu-smart-city"),
    OrgSeed("mois", "행정안전부", "Ministry of the Interior and Safety", "external"),
    OrgSeed("kostat", "통계청", "Statistics Korea", "external"),
    OrgSeed("semas", "소상공인시장진흥공단", "Small Enterprise and Market Service", "external"),
    OrgSeed("public-institutions", "공공기관(외부)", "Public institutions", "external"),
    OrgSeed("private-companies", "민간 기업", "Private companies", "external"),
)


def subtree_ids(session: Session, org_id: int) -> set[int]:
    """The organisation and every unit below it (the hierarchy is a few levels deep)."""
    ids, frontier = {org_id}, [org_id]
    while frontier:
        frontier = list(session.scalars(
            select(Organisation.id).where(Organisation.parent_id.in_(frontier))))
        ids.update(frontier)
    return ids


def seed_organisations(session: Session) -> int:
    """Create the built-in organisations that are missing; returns how many were added."""
    existing = {org.slug: org for org in session.scalars(select(Organisation))}
    added = 0
    for seed in [*_seoul_and_gu(), *OTHER_SEEDS]:
        if seed.slug in existing:
            continue
        org = Organisation(slug=seed.slug, name_ko=seed.name_ko, name_en=seed.name_en,
                           kind=seed.kind, parent=existing.get(seed.parent),
                           codes=[OrganisationCode(code_system=system, code=code)
                                  for system, code in seed.codes])
        session.add(org)
        existing[seed.slug] = org
        added += 1
    session.flush()
    return added


_GU_IN_TEXT = None


def district_in_text(text: str):
    """The first Seoul gu named in a title such as "서울시 강동구 명일2동 …", else None.

    The name must stand as a word: "중구" inside "중구청" counts, inside "강중구" would not.
    """
    global _GU_IN_TEXT
    if _GU_IN_TEXT is None:
        names = sorted((d.name_ko for d in semantics.DISTRICTS), key=len, reverse=True)
        _GU_IN_TEXT = re.compile(r"(?:^|[\s(\[·,])(" + "|".join(names) + r")")
    match = _GU_IN_TEXT.search(text)
    if not match:
        return None
    return next(d for d in semantics.DISTRICTS if d.name_ko == match.group(1))
