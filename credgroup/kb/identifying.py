"""Anonymous writing must not name its writer: a last check before anonymous text is saved.

An anonymous article (or a suggested edit, always shown as "A member") that names the
writer's own company, one of its aliases, the writer or their email address would unmask
them to every reader. Such text is refused with the words found, so the writer can take
them out; only the writer ever sees this message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from credgroup.errors import ValidationError
from credgroup.reports.anonymise import ScrubContext, find_identifying

if TYPE_CHECKING:
    from credgroup.accounts.models import User

TEXT_FIELDS = ("title", "problem", "workaround", "error_text")


def refuse_self_identifying(user: User, content: Mapping[str, Any]) -> None:
    """ValidationError naming the first field that names the writer or their company."""
    company = user.company
    context = ScrubContext(
        company_names=[company.name, *company.aliases] if company is not None else [],
        people_names=[user.name],
        people_emails=[user.email],
    )
    own_email = user.email.casefold()
    for name in TEXT_FIELDS:
        text = content.get(name) or ""
        for finding in find_identifying(text, context):
            own = finding.kind in ("company", "person") or (
                finding.kind == "email" and finding.text.casefold() == own_email
            )
            if own:
                raise ValidationError(
                    name,
                    f"This names you or your company (“{finding.text}”). Take it out to "
                    "stay anonymous.",
                )
