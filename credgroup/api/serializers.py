"""Turn models into the JSON shapes declared in ``credgroup/api/schemas.py``.

Public ids and slugs only: a database row id never leaves the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credgroup.groups.access import is_facilitator

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup, MemberCompany


def role_in_group(user: User, group: CreditGroup) -> str:
    """ "facilitator" for the group's facilitators (and admins), "member" otherwise."""
    return "facilitator" if is_facilitator(user, group) else "member"


def me(user: User, groups: list[CreditGroup]) -> dict[str, Any]:
    return {
        "public_id": user.public_id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "company": {"name": user.company.name} if user.company else None,
        "timezone": user.timezone,
        "groups": [
            {"slug": g.slug, "name": g.name, "role_in_group": role_in_group(user, g)}
            for g in groups
        ],
    }


def group_summary(group: CreditGroup) -> dict[str, Any]:
    return {
        "slug": group.slug,
        "name": group.name,
        "industry": group.industry,
        "timezone": group.timezone,
        "anonymity_threshold": group.anonymity_threshold,
        "customer_naming": {
            "key": group.customer_naming.value,
            "label": group.customer_naming.label,
        },
    }


def group_detail(group: CreditGroup, viewer: User) -> dict[str, Any]:
    return {
        **group_summary(group),
        "description": group.description,
        "role_in_group": role_in_group(viewer, group),
        "statements": {
            "antitrust": group.antitrust_statement,
            "anti_defamation": group.antidefamation_statement,
            "confidentiality": group.confidentiality_statement,
        },
    }


def company(company: MemberCompany) -> dict[str, Any]:
    return {"name": company.name, "industry": company.industry}
