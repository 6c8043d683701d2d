"""Portal catalogue services: look-up by name or alias, member-named portals, admin upkeep."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_admin
from credgroup.memo import remembered
from credgroup.portals.catalogue import SEED_PORTALS
from credgroup.portals.models import Portal

if TYPE_CHECKING:
    from credgroup.accounts.models import User

MAX_NAME = 120
MAX_ALIASES = 20


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] or "portal"


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def catalogue(include_unlisted: bool = False) -> list[Portal]:
    """Portals people can pick, by name; merged ones never appear. Read once per request
    (the report form lists them and posting it matches the typed name against all)."""
    portals = remembered(("portals",), _every_unmerged_portal)
    return [p for p in portals if include_unlisted or p.listed]


def _every_unmerged_portal() -> list[Portal]:
    query = sa.select(Portal).where(Portal.merged_into_id.is_(None)).order_by(Portal.name)
    return list(db.session.scalars(query))


def get_portal(slug: str) -> Portal:
    """The portal at this slug, following merges to the portal it now lives in."""
    portal = db.session.scalar(sa.select(Portal).where(Portal.slug == slug))
    if portal is None:
        raise NotFound("No such portal.")
    while portal.merged_into is not None:
        portal = portal.merged_into
    return portal


def find_portal(name: str) -> Portal | None:
    """Match a typed name against slugs, names and aliases, case-insensitively."""
    wanted = _normal(name)
    if not wanted:
        return None
    for portal in catalogue(include_unlisted=True):
        if wanted == portal.slug or wanted in {_normal(n) for n in portal.all_names}:
            return portal
    return None


def resolve_portal(name_or_slug: str, *, allow_unlisted: bool = True) -> Portal:
    """The catalogue portal a member means, or a new unlisted portal under the name they typed
    (an admin can list it or merge it later)."""
    name = re.sub(r"\s+", " ", name_or_slug or "").strip()
    if not name:
        raise ValidationError("portal", "Choose the portal, or type its name.")
    if len(name) > MAX_NAME:
        raise ValidationError("portal", f"A portal name has at most {MAX_NAME} characters.")
    portal = find_portal(name)
    if portal is not None:
        return portal
    if not allow_unlisted:
        raise ValidationError("portal", f"Unknown portal: {name}.")
    portal = Portal(slug=_unique_slug(slugify(name)), name=name, listed=False)
    db.session.add(portal)
    db.session.flush()
    return portal


def _unique_slug(base: str) -> str:
    slug, n = base, 2
    while db.session.scalar(sa.select(Portal.id).where(Portal.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def clean_aliases(aliases: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for alias in aliases:
        alias = re.sub(r"\s+", " ", alias).strip()
        if not alias or alias.casefold() in {a.casefold() for a in cleaned}:
            continue
        if len(alias) > MAX_NAME:
            raise ValidationError("aliases", f"An alias has at most {MAX_NAME} characters.")
        cleaned.append(alias)
    if len(cleaned) > MAX_ALIASES:
        raise ValidationError("aliases", f"At most {MAX_ALIASES} aliases.")
    return cleaned


def save_portal(
    actor: User,
    portal: Portal | None,
    *,
    name: str,
    vendor: str = "",
    aliases: Sequence[str] = (),
    website: str = "",
    description: str = "",
    fees_summary: str = "",
    listed: bool = True,
) -> Portal:
    """Create (portal None) or update a catalogue entry. Admins only."""
    require_admin(actor)
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError("name", f"A name of 1 to {MAX_NAME} characters is required.")
    if website and not re.match(r"^https?://[^\s]+$", website):
        raise ValidationError("website", "The website must start with http:// or https://.")
    cleaned_aliases = clean_aliases(aliases)
    # An alias another portal already answers to would make look-ups ambiguous, like a name.
    for candidate in [name, *cleaned_aliases]:
        clash = find_portal(candidate)
        if clash is not None and clash is not portal:
            raise Conflict(f'{clash.name} already has the name or alias "{candidate}".')
    if portal is None:
        portal = Portal(slug=_unique_slug(slugify(name)))
        db.session.add(portal)
    portal.name, portal.vendor, portal.website = name, vendor.strip()[:120], website.strip()
    portal.aliases = cleaned_aliases
    portal.description, portal.fees_summary, portal.listed = description, fees_summary, listed
    db.session.flush()
    record(actor, "portal.save", target_type="portal", target_label=portal.name)
    return portal


def merge_portal(actor: User, source: Portal, target: Portal) -> Portal:
    """Fold a (usually member-named) portal into a catalogue entry: its reports move over and
    its name becomes an alias."""
    from credgroup.reports.models import Report

    require_admin(actor)
    if source.id == target.id or target.merged_into_id is not None:
        raise ValidationError("target", "Choose a different portal to merge into.")
    db.session.execute(
        sa.update(Report).where(Report.portal_id == source.id).values(portal_id=target.id)
    )
    target.aliases = clean_aliases([*target.aliases, source.name, *source.aliases])
    source.merged_into, source.merged_at, source.listed = target, utcnow(), False
    db.session.flush()
    record(
        actor,
        "portal.merge",
        target_type="portal",
        target_label=f"{source.name} -> {target.name}",
    )
    return target


def seed_catalogue() -> int:
    """Add the seed portals that are missing (idempotent). Returns how many were added."""
    added = 0
    for seed in SEED_PORTALS:
        if db.session.scalar(sa.select(Portal.id).where(Portal.slug == seed.slug)):
            continue
        db.session.add(
            Portal(
                slug=seed.slug,
                name=seed.name,
                vendor=seed.vendor,
                aliases=list(seed.aliases),
                website=seed.website,
                description=seed.description,
                fees_summary=seed.fees_summary,
            )
        )
        added += 1
    db.session.flush()
    return added
