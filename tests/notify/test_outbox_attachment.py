"""One text attachment through the outbox (meeting reminders attach their .ics)."""

from __future__ import annotations

import pytest

from credgroup.extensions import db
from credgroup.notify.mailer import PermanentMailError, build_message
from credgroup.notify.models import OutboxEmail, OutboxStatus
from credgroup.notify.outbox import drain_outbox
from credgroup.notify.services import Attachment, queue_email

pytestmark = pytest.mark.usefixtures("email_templates")

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.config()


def test_attachment_is_delivered_and_dropped_from_the_outbox_once_sent(app, smtp_server):
    row = queue_email(
        "ann@supplier.example",
        "Meeting",
        "test_notice",
        attachment=Attachment("meeting.ics", "text/calendar; method=PUBLISH", ICS),
        name="Ann",
        group="Roofing",
    )
    db.session.commit()

    drain_outbox(app)

    (received,) = smtp_server.messages
    assert "Ann" in received.text()
    (part,) = list(received.message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == "meeting.ics"
    assert "BEGIN:VCALENDAR" in part.get_content()
    db.session.expire_all()
    sent = db.session.get(OutboxEmail, row.id)
    assert sent.status is OutboxStatus.SENT and sent.attachment_text is None


def test_email_without_attachment_has_none(app, smtp_server):
    queue_email("ann@supplier.example", "Plain", "test_notice", name="Ann", group="Roofing")
    db.session.commit()
    drain_outbox(app)
    assert list(smtp_server.messages[0].message.iter_attachments()) == []


def test_only_text_attachments_are_built():
    with pytest.raises(PermanentMailError):
        build_message(
            sender="a@example.com",
            to="b@example.com",
            subject="x",
            text="x",
            attachment=("x.bin", "application/octet-stream", "x"),
        )
