"""Action items: what someone agreed to do at a meeting, who (a person of the group, or a
label such as "Facilitator" or "All members"), by when, and whether it is open, done or
dropped.

Open items show on the group's next agenda (:func:`open_actions_for_group`), on their
owner's home page (:func:`my_open_actions`), and the reminders job emails the owners of
overdue ones (:func:`overdue_actions`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.audit.services import record
from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, require_facilitator, visible_groups_query
from credgroup.groups.models import CreditGroup
from credgroup.meetings.inputs import ACTION_MAX, MAX_YEARS_AHEAD, clean_enum, parse_date
from credgroup.meetings.meetings import get_meeting
from credgroup.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from credgroup.meetings.records_rules import (
    clean_record_text,
    person_of_meeting,
    refuse_unless_taking_place,
)

if TYPE_CHECKING:
    from credgroup.accounts.models import User

LABEL_MAX = 200
UNASSIGNED = "Unassigned"
ACTION_FIELDS = ("what", "owner", "owner_label", "due_on", "agenda_item", "status")


# --- reading ----------------------------------------------------------------------------------


def owner_name(action: ActionItem) -> str:
    """Who the action is for, as people read it."""
    if action.owner is not None:
        return action.owner.name
    return action.owner_label or UNASSIGNED


def is_overdue(action: ActionItem, today: date | None = None) -> bool:
    today = today or datetime.now(UTC).date()
    return (
        action.status is ActionStatus.OPEN and action.due_on is not None and action.due_on < today
    )


def meeting_actions(meeting: Meeting) -> list[ActionItem]:
    """Every action item of the meeting: open first, then by due date."""
    rows = db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.meeting_id == meeting.id)
        .options(selectinload(ActionItem.owner))
        .order_by(ActionItem.id)
    )
    return sorted(rows, key=_order)


def _order(action: ActionItem) -> tuple[int, date, int]:
    return (
        0 if action.status is ActionStatus.OPEN else 1,
        action.due_on or date.max,
        action.id,
    )


def _open_query() -> sa.Select[tuple[ActionItem]]:
    return (
        sa.select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .join(CreditGroup, CreditGroup.id == Meeting.group_id)
        .where(ActionItem.status == ActionStatus.OPEN, CreditGroup.archived_at.is_(None))
        .options(selectinload(ActionItem.owner), selectinload(ActionItem.meeting))
    )


def open_actions_for_group(group: CreditGroup) -> list[ActionItem]:
    """The group's open action items (from any meeting), for the next agenda."""
    rows = db.session.scalars(_open_query().where(Meeting.group_id == group.id))
    return sorted(rows, key=_order)


# The name the meetings core's agenda looks for.
open_action_items = open_actions_for_group


def my_open_actions(user: User) -> list[ActionItem]:
    """The person's own open action items, in groups they can still see."""
    if not getattr(user, "is_authenticated", True) or getattr(user, "id", None) is None:
        return []
    visible = visible_groups_query(user).with_only_columns(CreditGroup.id)
    rows = db.session.scalars(
        _open_query().where(ActionItem.owner_user_id == user.id, Meeting.group_id.in_(visible))
    )
    return sorted(rows, key=_order)


def overdue_actions(today: date) -> list[ActionItem]:
    """Open action items due before ``today``, with an owner to remind (a person); for the
    reminders job. Items with only a label have nobody to email."""
    rows = db.session.scalars(
        _open_query().where(
            ActionItem.due_on.is_not(None),
            ActionItem.due_on < today,
            ActionItem.owner_user_id.is_not(None),
        )
    )
    return [a for a in sorted(rows, key=_order) if a.owner is not None and a.owner.active]


def get_action(viewer: User, public_id: str) -> ActionItem:
    """An action item of a meeting the viewer can see."""
    action = None
    if isinstance(public_id, str) and 0 < len(public_id) <= 64:
        action = db.session.scalar(sa.select(ActionItem).where(ActionItem.public_id == public_id))
    if action is None:
        raise NotFound("No such action item.")
    get_meeting(viewer, action.meeting.public_id)  # NotFound unless the viewer sees it
    return action


# --- writing ----------------------------------------------------------------------------------


def add_action(
    actor: User,
    meeting: Meeting,
    *,
    what: Any,
    owner: Any = None,
    owner_label: Any = "",
    due_on: Any = None,
    agenda_item: Any = None,
) -> ActionItem:
    """A new open action item (facilitators). ``owner`` is the public id of a person of the
    group; ``owner_label`` free text when it is not one person. One of them is needed."""
    require_facilitator(actor, meeting.group)
    refuse_unless_taking_place(meeting, "what")
    action = ActionItem(meeting_id=meeting.id, meeting=meeting, status=ActionStatus.OPEN)
    _apply(
        action,
        meeting,
        {
            "what": what,
            "owner": owner,
            "owner_label": owner_label,
            "due_on": due_on,
            "agenda_item": agenda_item,
        },
    )
    db.session.add(action)
    db.session.flush()
    _audit(actor, "meeting.action_added", action)
    return action


def update_action(actor: User, action: ActionItem, **fields: Any) -> ActionItem:
    """Change an action item (facilitators): any of ``ACTION_FIELDS``."""
    require_facilitator(actor, action.meeting.group)
    unknown = sorted(set(fields) - set(ACTION_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown field '{unknown[0]}'.")
    status = fields.pop("status", None)
    _apply(action, action.meeting, fields)
    if status is not None:
        _set_status(action, status)
    db.session.flush()
    _audit(actor, "meeting.action_updated", action)
    return action


def set_action_status(user: User, action: ActionItem, status: Any) -> ActionItem:
    """Mark an action item done, dropped or open again: its owner or a facilitator."""
    get_meeting(user, action.meeting.public_id)
    staff = is_facilitator(user, action.meeting.group)
    if not staff and action.owner_user_id != user.id:
        raise PermissionDenied("Only the person it is for, or the facilitator, can do that.")
    _set_status(action, status)
    db.session.flush()
    if staff:
        _audit(user, "meeting.action_status", action, status=action.status.value)
    return action


def _set_status(action: ActionItem, status: Any) -> None:
    action.status = clean_enum(status, ActionStatus, "status")
    done = action.status is ActionStatus.DONE
    if done and action.completed_on is None:
        action.completed_on = datetime.now(ZoneInfo(action.meeting.timezone)).date()
    elif not done:
        action.completed_on = None


def _apply(action: ActionItem, meeting: Meeting, fields: dict[str, Any]) -> None:
    """Validate every given field first, then set them: a refusal changes nothing."""
    changes: dict[str, Any] = {}
    if "what" in fields:
        changes["what"] = clean_record_text(fields["what"], "what", ACTION_MAX)
        if not changes["what"]:
            raise ValidationError("what", "Say what is to be done.")
    if "owner" in fields or "owner_label" in fields:
        changes.update(_owner(meeting, fields, action))
    if "due_on" in fields:
        changes["due_on"] = _due(fields["due_on"])
    if "agenda_item" in fields:
        changes["agenda_item_id"] = _item_id(meeting, fields["agenda_item"])
    for name, value in changes.items():
        setattr(action, name, value)


def _owner(meeting: Meeting, fields: dict[str, Any], action: ActionItem) -> dict[str, Any]:
    # Given alone, either one replaces the other: a new person clears the label and a
    # new label replaces the person. Given together, only one may be filled in.
    current = action.owner.public_id if action.owner else None
    if "owner" in fields:
        raw_owner = fields["owner"]
    else:
        raw_owner = None if fields.get("owner_label") else current
    default_label = "" if "owner" in fields else action.owner_label
    label = clean_record_text(fields.get("owner_label", default_label), "owner_label", LABEL_MAX)
    if raw_owner not in (None, ""):
        if label:
            raise ValidationError("owner_label", "Choose a person or write who, not both.")
        person = person_of_meeting(meeting, raw_owner, "owner")
        return {"owner": person, "owner_user_id": person.id, "owner_label": ""}
    if not label:
        raise ValidationError("owner", "Choose who will do it, or write who (e.g. Facilitator).")
    return {"owner": None, "owner_user_id": None, "owner_label": label}


def _due(value: Any) -> date | None:
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError("due_on", "Enter a date, e.g. 2025-03-12.")
    due = parse_date(value, "due_on")
    if due is not None and not 2000 <= due.year <= date.today().year + MAX_YEARS_AHEAD:
        raise ValidationError("due_on", "Choose a date within the next ten years.")
    return due


def _item_id(meeting: Meeting, public_id: Any) -> int | None:
    if public_id in (None, ""):
        return None
    item = next((i for i in meeting.items if i.public_id == public_id), None)
    if item is None:
        raise ValidationError("agenda_item", "That item is not on this meeting's agenda.")
    return item.id


def _audit(actor: User, action_name: str, action: ActionItem, **details: Any) -> None:
    meeting = action.meeting
    record(
        actor,
        action_name,
        target_type="action_item",
        target_label=action.what[:100],
        group=meeting.group,
        meeting=meeting.public_id,
        action_item=action.public_id,
        **details,
    )


def actions_open_to_add(meeting: Meeting) -> bool:
    """Whether action items can be added to this meeting now."""
    return meeting.status in (MeetingStatus.PUBLISHED, MeetingStatus.HELD)
