"""What the operators' values may be, and the people-facing names of facet values.

Portal names come from the catalogue (slug, name and every alias), so ``portal:ariba``
and a query word "Ariba" both lead to SAP Business Network. Groups are only ever the
viewer's own: a slug they cannot see is unknown, exactly like one that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g

from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.portals.models import Portal
from credgroup.portals.services import catalogue
from credgroup.reports.enums import ProblemCategory, ReportStatus
from credgroup.search.backend import ASSOCIATION_SCOPE, group_scope

TYPES = {"article": "Knowledge base articles", "report": "Reports"}
TYPE_ALIASES = {
    "article": "article",
    "articles": "article",
    "kb": "article",
    "report": "report",
    "reports": "report",
}
ASSOCIATION_LABEL = "Association-wide"


def normal(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass
class PortalNames:
    """The catalogue as look-ups: any name, alias or slug -> portal."""

    by_name: dict[str, Portal] = field(default_factory=dict)
    by_slug: dict[str, Portal] = field(default_factory=dict)

    def find(self, name: str) -> Portal | None:
        portal = self.by_name.get(normal(name))
        while portal is not None and portal.merged_into is not None:
            portal = portal.merged_into
        return portal

    def slugs_of(self, portal: Portal) -> set[str]:
        """The portal's slug and the slugs of portals merged into it (their documents
        may still carry the old slug until they are reindexed)."""
        return {s for s, p in self.by_slug.items() if p.id == portal.id or _merged_into(p, portal)}

    def names_of(self, portal: Portal) -> list[str]:
        return [portal.name, *portal.aliases]

    def label(self, slug: str) -> str:
        portal = self.by_slug.get(slug)
        return portal.name if portal is not None else slug


def _merged_into(portal: Portal, target: Portal) -> bool:
    while portal.merged_into is not None:
        portal = portal.merged_into
        if portal.id == target.id:
            return True
    return False


def portal_names() -> PortalNames:
    """Built once per request."""
    cached = g.get("_search_portal_names")
    if cached is not None:
        return cached
    names = PortalNames()
    for portal in db.session.scalars(sa.select(Portal)):
        names.by_slug[portal.slug] = portal
        for name in (portal.slug, *portal.all_names):
            names.by_name.setdefault(normal(name), portal)
    # Listed, unmerged portals win a name over member-named ones.
    for portal in catalogue(include_unlisted=False):
        for name in (portal.slug, *portal.all_names):
            names.by_name[normal(name)] = portal
    g._search_portal_names = names
    return names


def find_category(value: str) -> str | None:
    wanted = normal(value).replace(" ", "_").replace("-", "_")
    for category in ProblemCategory:
        if wanted in (category.value, normal(category.label)):
            return category.value
    return None


def find_status(value: str) -> str | None:
    wanted = normal(value).replace(" ", "_").replace("-", "_")
    for status in ReportStatus:
        if wanted in (status.value, normal(status.label).replace(" ", "_")):
            return status.value
    return None


def category_label(key: str) -> str:
    try:
        return ProblemCategory(key).label
    except ValueError:
        return key


def status_label(key: str) -> str:
    try:
        return ReportStatus(key).label
    except ValueError:
        return key


def scope_label(scope: str, groups: dict[str, CreditGroup]) -> str:
    if scope == ASSOCIATION_SCOPE:
        return ASSOCIATION_LABEL
    group = groups.get(scope)
    return group.name if group is not None else scope


def scopes_of(groups: list[CreditGroup]) -> dict[str, CreditGroup]:
    return {group_scope(group.id): group for group in groups}
