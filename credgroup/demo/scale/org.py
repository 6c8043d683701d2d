"""The organisation: association, portal catalogue, groups, member companies, their seats,
their people, and the association's staff (facilitators and admins)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from credgroup.accounts.models import User
from credgroup.accounts.passwords import hash_password
from credgroup.demo.data import DEMO_PASSWORD
from credgroup.demo.scale import vocabulary as words
from credgroup.demo.scale.context import GroupInfo, Run, Weighted
from credgroup.extensions import db
from credgroup.groups.models import (
    Association,
    CreditGroup,
    CustomerNaming,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.portals.models import Portal
from credgroup.portals.services import seed_catalogue, slugify

GROUPS_PER_FACILITATOR = 4
SECOND_SEAT_SHARE = 0.15  # companies that sit in two groups
SCALE_ADMINS = 2
NAMING_WEIGHTS = {
    CustomerNaming.INDUSTRY_ONLY: 50,
    CustomerNaming.NAMED: 25,
    CustomerNaming.NOT_NAMED: 25,
}
THRESHOLDS, THRESHOLD_WEIGHTS = (5, 3, 7), (85, 5, 10)


def make_organisation(run: Run) -> None:
    """Association (if missing), catalogue, groups, companies, seats, people, staff."""
    _association(run)
    _portals(run)
    _groups(run)
    _companies(run)
    _seats(run)
    _people(run)
    _staff(run)


def _existing(column: sa.Column) -> set[str]:
    return set(db.session.scalars(sa.select(column)))


def _association(run: Run) -> None:
    if db.session.scalar(sa.select(Association.id).limit(1)) is not None:
        return
    name = current_app.config["ASSOCIATION_NAME"]
    run.write(Association, [{"id": run.writer.take_ids(Association, 1)[0], "name": name}])


def _portals(run: Run) -> None:
    """The real catalogue (as ``portals seed`` makes it) and a few buyers' own portals that
    members named, unlisted as the reports service leaves them."""
    seed_catalogue()
    taken = _existing(Portal.slug)
    unlisted = [name for name in words.UNLISTED_PORTALS if slugify(name) not in taken]
    ids = run.writer.take_ids(Portal, len(unlisted))
    run.write(
        Portal,
        [
            {"id": i, "slug": slugify(name), "name": name, "listed": False}
            for i, name in zip(ids, unlisted, strict=True)
        ],
    )
    rows = db.session.execute(
        sa.select(Portal.id, Portal.name, Portal.listed)
        .where(Portal.merged_into_id.is_(None))
        .order_by(Portal.listed.desc(), Portal.id)
    ).all()
    org = run.org
    org.portals = [r.id for r in rows]
    org.portal_names = {r.id: r.name for r in rows}
    # The big networks carry most reports (Zipf-like); members' own portals a few.
    listed = [r for r in rows if r.listed]
    org.portal_weights = [
        1 / (rank + 1) if r.listed else 0.04 / max(1, len(rows) - len(listed))
        for rank, r in enumerate(rows)
    ]
    org.portal_draw = Weighted(org.portals, org.portal_weights)


def _groups(run: Run) -> None:
    taken = _existing(CreditGroup.slug)
    combos = [(region, industry) for region in words.REGIONS for industry in words.INDUSTRIES]
    run.rng.shuffle(combos)
    ids = run.writer.take_ids(CreditGroup, run.sizes.groups)
    rows = []
    for n, group_id in enumerate(ids):
        region, industry = combos[n % len(combos)]
        base = slugify(f"{region} {industry}")[:50]
        slug, k = base, 1
        while slug in taken:
            k += 1
            slug = f"{base}-{k}"
        taken.add(slug)
        name = f"{region} {industry} Credit Group" + (f" {k}" if k > 1 else "")
        naming = run.pick(list(NAMING_WEIGHTS), list(NAMING_WEIGHTS.values()))
        timezone = run.pick(words.TIMEZONES)
        rows.append(
            {
                "id": group_id,
                "slug": slug,
                "name": name,
                "industry": industry,
                "description": f"Credit managers of {industry.lower()} suppliers in the "
                f"{region} region.",
                "timezone": timezone,
                "anonymity_threshold": run.pick(THRESHOLDS, THRESHOLD_WEIGHTS),
                "customer_naming": naming,
            }
        )
        run.org.groups.append(GroupInfo(group_id, slug, name, naming, timezone))
    run.write(CreditGroup, rows, "groups")


def _company_names(run: Run, count: int) -> list[str]:
    taken = _existing(MemberCompany.name)
    names: list[str] = []
    for first in words.COMPANY_FIRST:
        for second in words.COMPANY_SECOND:
            for suffix in words.COMPANY_SUFFIX:
                names.append(f"{first} {second} {suffix}")
    run.rng.shuffle(names)
    fresh = [n for n in names if n not in taken]
    n = 2
    while len(fresh) < count:  # beyond the word lists: numbered branches
        fresh += [f"{name} ({n})" for name in names if f"{name} ({n})" not in taken]
        n += 1
    return fresh[:count]


def _companies(run: Run) -> None:
    ids = run.writer.take_ids(MemberCompany, run.sizes.companies)
    names = _company_names(run, run.sizes.companies)
    run.org.company_names = dict(zip(ids, names, strict=True))
    rows = [{"id": i, "name": name, "aliases": []} for i, name in run.org.company_names.items()]
    run.write(MemberCompany, rows, "companies")


def _group_sizes(run: Run, total: int) -> list[int]:
    """Groups of 10-40 companies in proportion, summing to ``total`` seats."""
    groups = len(run.org.groups)
    floor = min(8, total // groups)
    weights = [run.rng.uniform(10, 40) for _ in range(groups)]
    spare = total - floor * groups
    shares = [spare * w / sum(weights) for w in weights]
    sizes = [floor + int(s) for s in shares]
    for i in sorted(range(groups), key=lambda i: shares[i] - int(shares[i]), reverse=True):
        if sum(sizes) >= total:
            break
        sizes[i] += 1
    return sizes


def _seats(run: Run) -> None:
    """Every company sits in one group; some in a second one too."""
    companies = list(run.org.company_names)
    sizes = _group_sizes(run, len(companies))
    start = 0
    for group, size in zip(run.org.groups, sizes, strict=True):
        group.companies = companies[start : start + size]
        start += size
    if len(run.org.groups) > 1:
        for company in run.rng.sample(companies, int(len(companies) * SECOND_SEAT_SHARE)):
            group = run.pick(run.org.groups)
            if company not in group.companies:
                group.companies.append(company)
    joined = datetime.now(UTC) - timedelta(days=4 * 365)
    rows = []
    ids = iter(run.writer.take_ids(GroupMembership, sum(len(g.companies) for g in run.org.groups)))
    for group in run.org.groups:
        run.rng.shuffle(group.companies)  # the first ones will be the chattiest
        for company in group.companies:
            rows.append(
                {"id": next(ids), "group_id": group.id, "company_id": company, "joined_at": joined}
            )
    run.write(GroupMembership, rows, "memberships")


def _email_name(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace("'", "")


def _people(run: Run) -> None:
    """People of each company: at least one, three on average, a few big departments."""
    companies = list(run.org.company_names)
    extra = max(0, run.sizes.people - len(companies))
    per_company = dict.fromkeys(companies, 1)
    weights = [1 + 3 * run.rng.random() ** 3 for _ in companies]
    for company in run.rng.choices(companies, weights=weights, k=extra):
        per_company[company] += 1
    run.org.password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow
    timezones = {c: g.timezone for g in reversed(run.org.groups) for c in g.companies}
    ids = iter(run.writer.take_ids(User, sum(per_company.values())))
    rows = []
    for company, count in per_company.items():
        domain = slugify(run.org.company_names[company]) + ".example"
        people = run.org.people.setdefault(company, [])
        for _ in range(count):
            user_id = next(ids)
            first, last = run.pick(words.FIRST_NAMES), run.pick(words.LAST_NAMES)
            people.append(user_id)
            rows.append(
                {
                    "id": user_id,
                    "email": f"{_email_name(first, last)}.{user_id}@{domain}",
                    "name": f"{first} {last}",
                    "password_hash": run.org.password_hash,
                    "company_id": company,
                    "is_staff": False,
                    "timezone": timezones[company],
                }
            )
    run.write(User, rows, "people")


def _staff(run: Run) -> None:
    """Facilitators (about one per four groups, some groups with two) and admins."""
    groups = run.org.groups
    count = max(1, math.ceil(len(groups) / GROUPS_PER_FACILITATOR))
    ids = list(run.writer.take_ids(User, count + SCALE_ADMINS))
    rows = []
    for n, user_id in enumerate(ids):
        admin = n >= count
        first, last = run.pick(words.FIRST_NAMES), run.pick(words.LAST_NAMES)
        kind = "admin" if admin else "facilitator"
        rows.append(
            {
                "id": user_id,
                "email": f"{kind}.{user_id}@scale.association.example",
                "name": f"{first} {last}",
                "password_hash": run.org.password_hash,
                "company_id": None,
                "is_staff": True,
                "is_admin": admin,
            }
        )
    run.write(User, rows, "staff")
    facilitators, run.org.admins = ids[:count], ids[count:]
    for n, group in enumerate(groups):
        group.staff = [facilitators[n // GROUPS_PER_FACILITATOR % count]]
        if count > 1 and run.chance(0.1):
            other = run.pick(facilitators)
            if other not in group.staff:
                group.staff.append(other)
    assign = iter(run.writer.take_ids(FacilitatorAssignment, sum(len(g.staff) for g in groups)))
    run.write(
        FacilitatorAssignment,
        [{"id": next(assign), "group_id": g.id, "user_id": u} for g in groups for u in g.staff],
    )
