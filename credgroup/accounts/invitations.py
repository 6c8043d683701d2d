"""Invitations: staff invite a person by email; the person chooses a password and joins.

Only the SHA-256 of an invitation's secret is stored; the secret travels in the emailed
link. A newer invitation to the same address replaces a pending one.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from credgroup.accounts.models import Invitation, Role, User
from credgroup.accounts.passwords import hash_password
from credgroup.accounts.rules import (
    LinkGone,
    absolute_link,
    audit_label,
    check_new_password,
    clean_email,
    clean_name,
    ensure_email_free,
    new_user,
)
from credgroup.accounts.tokens import hash_token, new_token
from credgroup.audit.services import record
from credgroup.db import utcnow
from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import (
    is_facilitator,
    require_admin,
    require_facilitator,
    require_staff,
)
from credgroup.groups.models import (
    CreditGroup,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.notify.services import queue_email


def invite_person(
    actor: User,
    *,
    email: str,
    name: str,
    role: Role,
    company: MemberCompany | None = None,
    group: CreditGroup | None = None,
) -> Invitation:
    """Invite someone by email; they choose their password on the invitation page.

    Facilitators may invite members of companies in their own groups (``group`` is then
    required and the company must have a seat in it). Only admins invite staff. A newer
    invitation to the same address replaces a pending one.
    """
    _check_may_invite(actor, role, company, group)
    email, name = clean_email(email), clean_name(name)
    ensure_email_free(email)
    _revoke_pending_for(email)
    raw, token_hash = new_token()
    ttl = timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    invitation = Invitation(
        email=email,
        name=name,
        role=role,
        company=company,
        group=group,
        invited_by=actor,
        token_hash=token_hash,
        expires_at=utcnow() + ttl,
    )
    db.session.add(invitation)
    db.session.flush()
    _queue_invitation_email(invitation, raw)
    record(
        actor,
        "invitation.created",
        target_type="invitation",
        target_label=email,
        group=group,
        role=role.value,
        company=company.name if company else None,
    )
    return invitation


def _check_may_invite(
    actor: User, role: Role, company: MemberCompany | None, group: CreditGroup | None
) -> None:
    require_staff(actor)
    if role is not Role.MEMBER:
        require_admin(actor)
        if company is not None:
            raise ValidationError("company", "Association staff do not belong to a company.")
        return
    if company is None:
        raise ValidationError("company", "Choose the member company this person works for.")
    if group is None:
        if not actor.is_admin:
            raise ValidationError("group", "Choose the group you are inviting this person to.")
        return
    require_facilitator(actor, group)
    if not _company_in_group(company, group):
        raise ValidationError("company", f"{company.name} is not a member of {group.name}.")


def _company_in_group(company: MemberCompany, group: CreditGroup) -> bool:
    return (
        db.session.scalar(
            sa.select(GroupMembership.id).where(
                GroupMembership.company_id == company.id, GroupMembership.group_id == group.id
            )
        )
        is not None
    )


def _pending_query() -> sa.Select[tuple[Invitation]]:
    return sa.select(Invitation).where(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def _revoke_pending_for(email: str) -> None:
    for older in db.session.scalars(_pending_query().where(Invitation.email == email)):
        older.revoked_at = utcnow()


def _queue_invitation_email(invitation: Invitation, raw: str) -> None:
    association = current_app.config["ASSOCIATION_NAME"]
    queue_email(
        invitation.email,
        f"You are invited to join {association} on credgroup",
        "invitation",
        invitation=invitation,
        link=absolute_link("accounts.accept_invitation", token=raw),
        hours=current_app.config["INVITATION_TTL_HOURS"],
        association=association,
    )


def invitation_for_token(raw_token: str) -> Invitation:
    """The invitation behind a link, or a 404/410 error that says what is wrong with it."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(raw_token or ""))
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid. Check that you copied all of it.")
    if invitation.accepted_at is not None:
        raise LinkGone("This invitation has already been used. Sign in with your password.")
    if invitation.revoked_at is not None:
        raise LinkGone("This invitation was withdrawn. Ask your facilitator for a new one.")
    if invitation.expires_at <= utcnow():
        raise LinkGone("This invitation has expired. Ask your facilitator for a new one.")
    return invitation


def accept_invitation(raw_token: str, password: str, *, name: str | None = None) -> User:
    """Create the invited person's account with the password they chose.

    ``name`` lets them correct the spelling the inviter used.
    """
    invitation = invitation_for_token(raw_token)
    check_new_password(password)
    name = clean_name(name) if name is not None else invitation.name
    ensure_email_free(invitation.email)
    groups = [invitation.group] if invitation.group is not None else []
    user = new_user(
        email=invitation.email,
        name=name,
        role=invitation.role,
        company=invitation.company,
        groups=groups,
    )
    user.password_hash = hash_password(password)
    invitation.accepted_at = utcnow()
    db.session.flush()
    record(user, "invitation.accepted", target_type="user", target_label=audit_label(user))
    return user


def pending_invitations(viewer: User, group: CreditGroup | None = None) -> list[Invitation]:
    """Invitations not yet accepted, revoked or expired, newest first.

    Admins see all (or one group's); facilitators see those for their groups.
    """
    query = _pending_query().order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if group is not None:
        require_facilitator(viewer, group)
        query = query.where(Invitation.group_id == group.id)
    elif not viewer.is_admin:
        require_staff(viewer)
        mine = sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == viewer.id
        )
        query = query.where(Invitation.group_id.in_(mine))
    return list(db.session.scalars(query))


def revoke_invitation(actor: User, invitation_public_id: str) -> Invitation:
    """Withdraw a pending invitation so its link stops working."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.public_id == invitation_public_id)
    )
    if invitation is None or not _may_manage_invitation(actor, invitation):
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise Conflict("That invitation has already been accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()
        record(
            actor,
            "invitation.revoked",
            target_type="invitation",
            target_label=invitation.email,
            group=invitation.group,
        )
    return invitation


def _may_manage_invitation(actor: User, invitation: Invitation) -> bool:
    if actor.is_admin:
        return True
    return invitation.group is not None and is_facilitator(actor, invitation.group)
