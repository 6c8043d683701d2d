"""``flask mail drain`` and ``flask mail list``."""

from __future__ import annotations

import pytest

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail, OutboxStatus
from credgroup.notify.services import queue_email

pytestmark = pytest.mark.usefixtures("email_templates")


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.config()


def queue(to: str, subject: str) -> OutboxEmail:
    email = queue_email(to, subject, "test_notice", name="Ann", group="Roofing")
    db.session.commit()
    return email


def test_mail_drain_sends_due_email_and_says_what_it_did(runner, smtp_server):
    queue("ann@supplier.example", "Meeting on Tuesday")

    result = runner.invoke(args=["mail", "drain"])

    assert result.exit_code == 0, result.output
    assert "sent 1, retrying 0, gave up 0" in result.output
    assert [m.message["Subject"] for m in smtp_server.messages] == ["Meeting on Tuesday"]


def test_mail_drain_respects_limit(runner, smtp_server):
    for n in range(3):
        queue("ann@supplier.example", f"Email {n}")

    result = runner.invoke(args=["mail", "drain", "--limit", "2"])

    assert "sent 2" in result.output
    assert len(smtp_server.messages) == 2


def test_mail_list_shows_recent_rows_without_bodies(runner, smtp_server):
    smtp_server.handler.refuse.add("gone@supplier.example")
    queue("gone@supplier.example", "Refused one")
    queue("ann@supplier.example", "Delivered one")
    runner.invoke(args=["mail", "drain"])
    queue("bob@supplier.example", "Waiting one")

    output = runner.invoke(args=["mail", "list"]).output

    lines = output.splitlines()
    assert len(lines) == 3
    assert "pending" in lines[0] and "Waiting one" in lines[0] and "next=" in lines[0]
    assert "sent" in lines[1] and "Delivered one" in lines[1] and "sent=" in lines[1]
    assert "failed" in lines[2] and "550" in lines[2] and "gave-up" in lines[2]
    assert "Hello Ann" not in output and "meets on Tuesday" not in output


def test_mail_list_filters_by_status_and_says_when_empty(runner):
    assert "The outbox is empty." in runner.invoke(args=["mail", "list"]).output
    queue("ann@supplier.example", "Waiting")

    pending = runner.invoke(args=["mail", "list", "--status", "pending"]).output
    failed = runner.invoke(args=["mail", "list", "--status", OutboxStatus.FAILED.value]).output

    assert "Waiting" in pending
    assert "The outbox is empty." in failed


def test_mail_list_rejects_an_unknown_status(runner):
    result = runner.invoke(args=["mail", "list", "--status", "bogus"])

    assert result.exit_code == 2
    assert "Invalid value" in result.output
