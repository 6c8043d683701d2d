"""Command line for setting up the organisation: `flask groups ...`, `flask companies ...`.

Commands go through the same services as the pages (actor None: recorded in the audit log
as the command line). Bad input ends with a clear message and a non-zero exit, and nothing
is saved.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from sqlalchemy.orm import selectinload

from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups import services
from credgroup.groups.models import (
    DEFAULT_ANONYMITY_THRESHOLD,
    CreditGroup,
    CustomerNaming,
    GroupMembership,
    MemberCompany,
)

groups_cli = AppGroup("groups", help="Manage credit groups.")
companies_cli = AppGroup("companies", help="Manage member companies.")


@contextmanager
def one_transaction():
    """Commit when the block succeeds; otherwise roll back and report the reason."""
    try:
        yield
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()


@groups_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The group's name, as members know it.")
@click.option("--industry", default="", help="Industry the member companies share.")
@click.option("--timezone", default="America/New_York", show_default=True)
@click.option(
    "--threshold",
    type=int,
    default=DEFAULT_ANONYMITY_THRESHOLD,
    show_default=True,
    help="Fewest distinct companies behind any figure shown (at least 3).",
)
@click.option(
    "--naming",
    type=click.Choice([n.value for n in CustomerNaming]),
    default=CustomerNaming.INDUSTRY_ONLY.value,
    show_default=True,
    help="How far reports may identify the customer.",
)
def create_group_command(
    slug: str, name: str, industry: str, timezone: str, threshold: int, naming: str
) -> None:
    """Create the credit group SLUG (its address: /g/SLUG/)."""
    with one_transaction():
        group = services.create_group(
            None,
            slug=slug,
            name=name,
            industry=industry,
            timezone=timezone,
            anonymity_threshold=threshold,
            customer_naming=naming,
        )
    click.echo(f"Created group {group.slug}: {group.name}")


@groups_cli.command("list")
@click.option("--archived", is_flag=True, help="List archived groups instead.")
def list_groups_command(archived: bool) -> None:
    """List groups with their number of member companies."""
    condition = (
        CreditGroup.archived_at.is_not(None) if archived else CreditGroup.archived_at.is_(None)
    )
    seats = (
        sa.select(sa.func.count(GroupMembership.id))
        .where(GroupMembership.group_id == CreditGroup.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(CreditGroup, seats).where(condition).order_by(CreditGroup.slug)
    )
    _print_rows(
        ("slug", "name", "companies", "threshold", "naming"),
        [
            (g.slug, g.name, str(n), str(g.anonymity_threshold), g.customer_naming.value)
            for g, n in rows
        ],
    )


@companies_cli.command("create")
@click.argument("name")
@click.option("--group", "group_slugs", multiple=True, help="Slug of a group to join (repeatable).")
@click.option("--alias", "aliases", multiple=True, help="Another name it goes by (repeatable).")
@click.option("--industry", default="")
def create_company_command(
    name: str, group_slugs: tuple[str, ...], aliases: tuple[str, ...], industry: str
) -> None:
    """Register the member company NAME, optionally with seats in groups."""
    with one_transaction():
        groups = [services.get_group_by_slug(slug) for slug in dict.fromkeys(group_slugs)]
        company = services.create_company(None, name=name, aliases=aliases, industry=industry)
        for group in groups:
            services.add_company_to_group(None, group, company)
    joined = f" in {', '.join(g.slug for g in groups)}" if groups else ""
    click.echo(f"Created company {company.name}{joined}")


@companies_cli.command("list")
def list_companies_command() -> None:
    """List member companies with their other names and groups."""
    companies = db.session.scalars(
        sa.select(MemberCompany)
        .options(selectinload(MemberCompany.memberships).selectinload(GroupMembership.group))
        .order_by(MemberCompany.name)
    )
    _print_rows(
        ("name", "groups", "other names"),
        [
            (c.name, _joined(m.group.slug for m in c.memberships), _joined(c.aliases))
            for c in companies
        ],
    )


def _joined(values: Any) -> str:
    return ", ".join(sorted(values)) or "-"


def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        click.echo("(none)")
        return
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
