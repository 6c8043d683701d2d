"""``flask users ...``: create accounts and API tokens from the command line.

Bad input stops the command with a message and a non-zero exit status; nothing is saved.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup

from credgroup.accounts import services
from credgroup.accounts.models import Role
from credgroup.accounts.rules import user_by_email
from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.services import get_company_by_name, get_group_by_slug

users_cli = AppGroup("users", help="Manage people.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, as other people will see it.")
@click.option("--company", "company_name", help="Member company (required for members).")
@click.option(
    "--group",
    "group_slugs",
    multiple=True,
    metavar="SLUG",
    help="Group a facilitator facilitates; repeat for several. Not for members.",
)
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), required=True, help="What they are."
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def create_user_command(
    email: str,
    name: str,
    company_name: str | None,
    group_slugs: tuple[str, ...],
    role: str,
    password_stdin: bool,
) -> None:
    """Create an account for EMAIL.

    Without --password-stdin the account has no password yet: the person sets one with
    "Forgot your password?" on the sign-in page. (To have them emailed a link right away,
    invite them from the admin pages instead.)
    """
    password = _read_password() if password_stdin else None
    chosen_role = Role(role)
    if chosen_role is Role.MEMBER and group_slugs:
        raise click.UsageError(
            "--group is for facilitators and admins: a member's groups are their company's."
        )
    with _domain_errors_as_click_errors():
        company = get_company_by_name(company_name) if company_name else None
        groups = [get_group_by_slug(slug) for slug in group_slugs]
        user = services.create_user(
            None,
            email=email,
            name=name,
            role=chosen_role,
            company=company,
            password=password,
            groups=groups,
        )
        db.session.commit()
    click.echo(f"Created {user.role.value} {user.name} <{user.email}>.")
    if password is None:
        click.echo(
            "No password is set: they choose one through 'Forgot your password?' on the "
            "sign-in page."
        )


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create_token_command(email: str, name: str) -> None:
    """Create a personal API token for EMAIL and print it (it is shown only this once)."""
    with _domain_errors_as_click_errors():
        user = user_by_email(email)
        if user is None or not user.active:
            raise click.ClickException(f"There is no active account for {email}.")
        _token, raw = services.create_api_token(user, name)
        db.session.commit()
    click.echo(f"API token for {user.email} (shown only this once):", err=True)
    click.echo(raw)


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise click.UsageError("--password-stdin was given but standard input had no password.")
    return password


@contextmanager
def _domain_errors_as_click_errors() -> Iterator[None]:
    """Roll back and turn a DomainError into a click error (message, exit status 1)."""
    try:
        yield
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
