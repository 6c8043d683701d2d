"""Draining the outbox against a real SMTP server: after-commit delivery, exactly once,
retries with backoff, giving up, concurrent drains and the file fallback."""

from __future__ import annotations

import email
import email.policy
import logging
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.notify.mailer import MailSettings
from credgroup.notify.models import OutboxEmail, OutboxStatus
from credgroup.notify.outbox import (
    backoff,
    claim_next_email,
    describe_error,
    drain_outbox,
    purge_old_emails,
)
from credgroup.notify.services import queue_email
from tests.fixtures.app import is_postgres
from tests.fixtures.mail import RecordingHandler, free_port

pytestmark = pytest.mark.usefixtures("email_templates")


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.config(MAIL_FROM="Demo Credit Association <no-reply@demo.example>")


def queue(to="ann@supplier.example", subject="Roofing group meets Tuesday", **ctx) -> int:
    context = {"name": "Ann", "group": "Roofing", **ctx}
    row = queue_email(to, subject, "test_notice", **context)
    db.session.commit()
    return row.id


def row(email_id: int) -> OutboxEmail:
    db.session.expire_all()
    return db.session.get(OutboxEmail, email_id)


def smtp_down(app) -> None:
    app.config["MAIL_PORT"] = free_port()  # nothing listens there


def test_email_queued_in_a_rolled_back_transaction_is_never_sent(app, smtp_server):
    queue_email("ann@supplier.example", "Hello", "test_notice", name="Ann", group="Roofing")
    db.session.rollback()

    result = drain_outbox()

    assert result.sent == 0
    assert smtp_server.messages == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0


def test_committed_email_is_delivered_once_with_headers_and_both_bodies(app, smtp_server):
    email_id = queue(name="Ann Lee", group="Roofing")

    first = drain_outbox()
    second = drain_outbox()

    assert (first.sent, second.sent) == (1, 0)
    [received] = smtp_server.messages
    msg = received.message
    assert received.rcpt_tos == ["ann@supplier.example"]
    assert msg["From"] == "Demo Credit Association <no-reply@demo.example>"
    assert msg["To"] == "ann@supplier.example"
    assert msg["Subject"] == "Roofing group meets Tuesday"
    assert msg["Date"] is not None
    assert msg["Message-ID"].startswith(f"<outbox.{email_id}.")
    assert msg["Message-ID"].endswith("@demo.example>")
    assert "Hello Ann Lee," in received.text()
    assert "The Roofing group meets on Tuesday." in received.text()
    assert "<p>Hello Ann Lee,</p>" in received.html()
    sent = row(email_id)
    assert sent.status is OutboxStatus.SENT
    assert sent.sent_at is not None
    assert sent.attempts == 1
    assert sent.last_error == ""
    # The body (which may hold an invitation or reset link) is not kept once sent.
    assert (sent.body_text, sent.body_html) == ("", None)
    assert (sent.to_addr, sent.subject) == ("ann@supplier.example", "Roofing group meets Tuesday")


def test_text_is_not_html_escaped_and_html_is(app, smtp_server):
    queue(name="O'Brien & <Sons>")

    drain_outbox()

    [received] = smtp_server.messages
    assert "Hello O'Brien & <Sons>," in received.text()
    assert "Hello O&#39;Brien &amp; &lt;Sons&gt;," in received.html()
    assert received.text().endswith(f"-- {app.config['ASSOCIATION_NAME']}\n")


def test_email_can_be_queued_outside_any_request(app, smtp_server):
    # Jobs and CLI commands have no request and no signed-in user.
    from flask import has_request_context

    assert not has_request_context()
    email_id = queue()

    assert row(email_id).body_text.startswith("Hello Ann,")


def test_text_only_template_sends_a_plain_message(app, smtp_server):
    queue_email("bob@supplier.example", "Plain", "test_plain", name="Bob")
    db.session.commit()

    drain_outbox()

    [received] = smtp_server.messages
    assert received.message.get_content_type() == "text/plain"
    assert received.text() == "Plain text only for Bob.\n"


def test_smtp_down_schedules_a_retry_with_backoff_then_delivers(app, smtp_server):
    email_id = queue()
    smtp_down(app)
    start = utcnow()

    result = drain_outbox(now=start)

    assert (result.sent, result.retrying) == (0, 1)
    waiting = row(email_id)
    assert waiting.status is OutboxStatus.PENDING
    assert waiting.attempts == 1
    assert waiting.next_attempt_at == start + timedelta(minutes=1)
    assert "ConnectionRefusedError" in waiting.last_error

    app.config["MAIL_PORT"] = smtp_server.port  # the server is back
    assert drain_outbox(now=start + timedelta(seconds=30)).sent == 0  # not due yet
    assert drain_outbox(now=start + timedelta(minutes=1)).sent == 1

    delivered = row(email_id)
    assert delivered.status is OutboxStatus.SENT
    assert delivered.attempts == 2
    assert len(smtp_server.messages) == 1


def test_backoff_doubles_from_one_minute_and_stops_at_an_hour():
    waits = [backoff(n) for n in range(1, 10)]

    assert waits[:6] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32)]
    assert waits[6:] == [timedelta(hours=1)] * 3


def test_gives_up_after_max_attempts(app, smtp_server, caplog):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    email_id = queue()
    smtp_down(app)
    now = utcnow()

    outcomes = []
    for _ in range(3):
        outcomes.append(drain_outbox(now=now))
        now = row(email_id).next_attempt_at
    later = drain_outbox(now=now + timedelta(days=1))

    assert [(r.retrying, r.gave_up) for r in outcomes] == [(1, 0), (1, 0), (0, 1)]
    assert later.sent == later.gave_up == 0
    failed = row(email_id)
    assert failed.status is OutboxStatus.FAILED
    assert failed.attempts == 3
    assert failed.last_error
    assert "Gave up on outbox email" in caplog.text


def test_refused_recipient_fails_at_once_without_retries(app, smtp_server):
    smtp_server.handler.refuse.add("gone@supplier.example")
    gone = queue(to="gone@supplier.example")
    fine = queue(to="ann@supplier.example")

    result = drain_outbox()

    assert (result.sent, result.gave_up, result.retrying) == (1, 1, 0)
    assert row(gone).status is OutboxStatus.FAILED
    assert "550" in row(gone).last_error
    assert row(fine).status is OutboxStatus.SENT


def test_temporarily_refused_recipient_is_retried(app, smtp_server):
    smtp_server.handler.defer.add("busy@supplier.example")
    email_id = queue(to="busy@supplier.example")

    result = drain_outbox()

    assert result.retrying == 1
    assert row(email_id).status is OutboxStatus.PENDING
    assert "451" in row(email_id).last_error


def test_invalid_address_in_the_outbox_fails_without_reaching_the_server(app, smtp_server):
    email_id = queue(to="ann@supplier.example\nBcc: all@example.com")

    assert drain_outbox().gave_up == 1
    assert row(email_id).status is OutboxStatus.FAILED
    assert smtp_server.messages == []


def test_email_not_yet_due_is_left_alone(app, smtp_server):
    email_id = queue()
    row(email_id).next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()

    assert drain_outbox().sent == 0
    assert smtp_server.messages == []


def test_drain_sends_at_most_limit_emails_oldest_first(app, smtp_server):
    ids = [queue(subject=f"Email {n}") for n in range(3)]

    assert drain_outbox(limit=2).sent == 2
    assert [m.message["Subject"] for m in smtp_server.messages] == ["Email 0", "Email 1"]
    assert row(ids[2]).status is OutboxStatus.PENDING


def test_email_claimed_by_a_crashed_drain_is_sent_after_its_claim_runs_out(app, smtp_server):
    email_id = queue()
    now = utcnow()
    # A drainer claims the row and dies before recording any outcome.
    assert claim_next_email(now, timedelta(minutes=5)).id == email_id

    assert drain_outbox(now=now + timedelta(minutes=1)).sent == 0  # still claimed
    assert drain_outbox(now=now + timedelta(minutes=5)).sent == 1

    assert row(email_id).attempts == 2
    assert len(smtp_server.messages) == 1


def test_email_whose_every_attempt_was_interrupted_is_given_up(app, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    email_id = queue()
    now = utcnow()
    for _ in range(2):
        claim_next_email(now, timedelta(minutes=5))
        now += timedelta(minutes=5)

    assert drain_outbox(now=now).gave_up == 1
    assert row(email_id).status is OutboxStatus.FAILED
    assert "interrupted" in row(email_id).last_error
    assert smtp_server.messages == []


def test_two_concurrent_drains_deliver_each_email_exactly_once(app, smtp_server):
    ids = {queue(subject=f"Email {n}") for n in range(30)}
    smtp_server.handler.delay_seconds = 0.005  # keep both drains busy at the same time
    start = threading.Barrier(2)
    results = []

    def drain() -> None:
        start.wait()
        results.append(drain_outbox(app, limit=100))

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.sent for r in results) == 30
    subjects = [m.message["Subject"] for m in smtp_server.messages]
    assert sorted(subjects) == sorted(f"Email {n}" for n in range(30))
    assert len({m.message["Message-ID"] for m in smtp_server.messages}) == 30
    assert {row(i).status for i in ids} == {OutboxStatus.SENT}
    assert {row(i).attempts for i in ids} == {1}


@pytest.mark.skipif(not is_postgres(), reason="row locks need PostgreSQL")
def test_drain_skips_emails_locked_by_another_transaction_instead_of_waiting(app, smtp_server):
    locked, *others = [queue(subject=f"Email {n}") for n in range(3)]
    results = []

    with db.engine.connect() as other:
        other.execute(
            sa.text("SELECT id FROM outbox_emails WHERE id = :id FOR UPDATE"), {"id": locked}
        )
        thread = threading.Thread(target=lambda: results.append(drain_outbox(app)))
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "drain waited for a locked row"
        other.rollback()

    assert results[0].sent == 2
    assert row(locked).status is OutboxStatus.PENDING
    assert {row(i).status for i in others} == {OutboxStatus.SENT}
    assert drain_outbox().sent == 1


def test_without_mail_server_each_email_is_written_as_an_eml_file(app, tmp_path, caplog):
    app.config.update(MAIL_SERVER="", MAIL_FOLDER=str(tmp_path / "mail"))
    caplog.set_level(logging.INFO, logger="credgroup.notify")
    email_id = queue(name="Ann")

    assert drain_outbox().sent == 1

    [path] = (tmp_path / "mail").glob("*.eml")
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "ann@supplier.example"
    assert "Hello Ann," in msg.get_body(("plain",)).get_content()
    assert str(path) in caplog.text
    assert row(email_id).status is OutboxStatus.SENT


def test_mail_folder_defaults_to_the_instance_folder(app):
    config = {"MAIL_FROM": "x@example.com", "MAIL_FOLDER": ""}

    folder = MailSettings.from_config(config, "/srv/credgroup/instance").folder

    assert str(folder) == "/srv/credgroup/instance/mail"


def test_smtp_login_is_used_when_a_username_is_configured(app, smtp_server):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"right-password"
        return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535

    handler = RecordingHandler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,  # only acceptable because this is a loopback test server
    )
    controller.start()
    try:
        app.config.update(MAIL_PORT=port, MAIL_USERNAME="mailer", MAIL_PASSWORD="wrong-secret")
        email_id = queue()
        assert drain_outbox().retrying == 1
        assert "535" in row(email_id).last_error
        assert "wrong-secret" not in row(email_id).last_error

        app.config["MAIL_PASSWORD"] = "right-password"
        assert drain_outbox(now=utcnow() + timedelta(minutes=2)).sent == 1
    finally:
        controller.stop()
    assert len(handler.messages) == 1


def test_error_descriptions_never_contain_the_smtp_password(tmp_path):
    settings = MailSettings.from_config(
        {"MAIL_FROM": "x@example.com", "MAIL_PASSWORD": "hunter2-long-secret"}, str(tmp_path)
    )
    exc = RuntimeError("login failed for mailer:hunter2-long-secret\nat host")

    text = describe_error(exc, settings)

    assert "hunter2-long-secret" not in text
    assert text == "RuntimeError: login failed for mailer:*** at host"


def test_purge_drops_sent_and_failed_emails_after_30_days_but_never_pending_ones(app):
    now = utcnow()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    rows = {
        "old sent": OutboxEmail(status=OutboxStatus.SENT, sent_at=old, created_at=old),
        "recent sent": OutboxEmail(status=OutboxStatus.SENT, sent_at=recent, created_at=old),
        "old failed": OutboxEmail(status=OutboxStatus.FAILED, created_at=old),
        "recent failed": OutboxEmail(status=OutboxStatus.FAILED, created_at=recent),
        "old pending": OutboxEmail(status=OutboxStatus.PENDING, created_at=old),
    }
    for subject, email_row in rows.items():
        email_row.to_addr, email_row.subject, email_row.body_text = "a@example.com", subject, ""
        db.session.add(email_row)
    db.session.commit()

    deleted = purge_old_emails(now)
    db.session.commit()

    assert deleted == 2
    left = set(db.session.scalars(sa.select(OutboxEmail.subject)))
    assert left == {"recent sent", "recent failed", "old pending"}
