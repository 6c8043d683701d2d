"""The mail transport on its own: message building, SMTP delivery, the file fallback."""

from __future__ import annotations

import email
import email.policy
import logging
import smtplib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credgroup.notify.mailer import (
    Mailer,
    MailSettings,
    PermanentMailError,
    build_message,
    write_to_folder,
)
from tests.fixtures.mail import free_port


def settings(tmp_path: Path, **overrides) -> MailSettings:
    values = {
        "server": "",
        "port": 25,
        "use_starttls": False,
        "use_ssl": False,
        "username": "",
        "password": "",
        "timeout": 5.0,
        "sender": "Credit Association <no-reply@association.example>",
        "folder": tmp_path / "mail",
    }
    values.update(overrides)
    return MailSettings(**values)


def message(**overrides):
    values = {
        "sender": "Credit Association <no-reply@association.example>",
        "to": "ann@supplier.example",
        "subject": "Your meeting",
        "text": "Hello Ann,\n\nSee you on Tuesday.\n",
    }
    values.update(overrides)
    return build_message(**values)


def test_message_has_all_headers_and_text_then_html_alternative():
    when = datetime(2025, 3, 7, 14, 30, tzinfo=UTC)
    msg = message(html="<p>Hello Ann</p>", message_id="<abc@association.example>", date=when)

    assert msg["From"] == "Credit Association <no-reply@association.example>"
    assert msg["To"] == "ann@supplier.example"
    assert msg["Subject"] == "Your meeting"
    assert msg["Date"] == "Fri, 07 Mar 2025 14:30:00 +0000"
    assert msg["Message-ID"] == "<abc@association.example>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg.get_body(("plain",)).get_content() == "Hello Ann,\n\nSee you on Tuesday.\n"
    assert msg.get_body(("html",)).get_content().strip() == "<p>Hello Ann</p>"


def test_message_without_html_is_a_single_text_part_with_generated_id_and_date():
    msg = message()

    assert msg.get_content_type() == "text/plain"
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith(">")
    assert msg["Date"]


def test_non_ascii_text_survives_the_round_trip_as_quoted_printable():
    text = "Grüße aus Köln \u2013 the Coupa portal rejected 3 invoices.\n"
    msg = message(text=text, subject="Réunion du groupe")

    raw = msg.as_bytes()
    assert raw.isascii()  # 7-bit clean on the wire, whatever the server supports
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == "Réunion du groupe"
    assert parsed.get_body(("plain",)).get_content() == text


@pytest.mark.parametrize(
    "to",
    [
        "ann@supplier.example\r\nBcc: everyone@example.com",
        "ann@supplier.example, bob@supplier.example",
        "not an address",
        "ann@",
    ],
)
def test_recipient_that_is_not_one_plain_address_is_refused_for_good(to):
    with pytest.raises(PermanentMailError):
        message(to=to)


def test_line_breaks_in_a_subject_are_collapsed_not_injected():
    msg = message(subject="Hello\r\nBcc: everyone@example.com")

    assert msg["Subject"] == "Hello Bcc: everyone@example.com"
    assert msg["Bcc"] is None


def test_sender_domain_comes_from_mail_from(tmp_path):
    assert settings(tmp_path).sender_domain == "association.example"
    assert settings(tmp_path, sender="no-at-sign").sender_domain == "localhost"


def test_mailer_sends_several_messages_over_smtp(smtp_server, tmp_path):
    config = settings(tmp_path, server=smtp_server.host, port=smtp_server.port)

    with Mailer(config) as mailer:
        assert mailer.send(message(subject="First")) == "smtp"
        assert mailer.send(message(subject="Second")) == "smtp"

    received = smtp_server.messages
    assert [m.message["Subject"] for m in received] == ["First", "Second"]
    assert received[0].mail_from == "no-reply@association.example"
    assert received[0].rcpt_tos == ["ann@supplier.example"]


def test_refused_recipient_is_a_permanent_error(smtp_server, tmp_path):
    smtp_server.handler.refuse.add("gone@supplier.example")
    config = settings(tmp_path, server=smtp_server.host, port=smtp_server.port)

    with Mailer(config) as mailer, pytest.raises(PermanentMailError, match="550"):
        mailer.send(message(to="gone@supplier.example"))


def test_deferred_recipient_is_a_temporary_error(smtp_server, tmp_path):
    smtp_server.handler.defer.add("busy@supplier.example")
    config = settings(tmp_path, server=smtp_server.host, port=smtp_server.port)

    with Mailer(config) as mailer:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            mailer.send(message(to="busy@supplier.example"))
        # The failed connection was dropped; the next message goes through a fresh one.
        assert mailer.send(message(to="ann@supplier.example")) == "smtp"
    assert len(smtp_server.messages) == 1


def test_server_down_is_a_temporary_error(tmp_path):
    config = settings(tmp_path, server="127.0.0.1", port=free_port(), timeout=2.0)

    with Mailer(config) as mailer, pytest.raises(OSError):
        mailer.send(message())


def test_starttls_required_but_not_offered_is_not_blamed_on_the_message(smtp_server, tmp_path):
    config = settings(tmp_path, server=smtp_server.host, port=smtp_server.port, use_starttls=True)

    with Mailer(config) as mailer, pytest.raises(smtplib.SMTPNotSupportedError):
        mailer.send(message())
    assert smtp_server.messages == []


def test_without_mail_server_messages_become_eml_files(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="credgroup.notify.mailer")

    with Mailer(settings(tmp_path)) as mailer:
        where = mailer.send(message(html="<p>Hi</p>"))

    path = Path(where)
    assert path.parent == tmp_path / "mail" and path.suffix == ".eml"
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "ann@supplier.example"
    assert parsed.get_body(("plain",)).get_content() == "Hello Ann,\n\nSee you on Tuesday.\n"
    assert str(path) in caplog.text
    assert not list((tmp_path / "mail").glob(".*.tmp"))


def test_eml_files_never_overwrite_each_other(tmp_path):
    paths = {write_to_folder(message(), tmp_path) for _ in range(5)}

    assert len(paths) == 5
