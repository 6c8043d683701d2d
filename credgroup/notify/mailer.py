"""Mail transport: builds RFC 5322 messages and hands them to an SMTP server.

With no ``MAIL_SERVER`` configured (a local run) each message is written as a readable
``.eml`` file into ``MAIL_FOLDER`` instead, so nothing is ever silently dropped.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from pathlib import Path
from types import TracebackType
from typing import Any

from credgroup.db import utcnow

logger = logging.getLogger(__name__)

# RFC 5322 caps a line at 998 characters; longer (or non-ASCII) text goes quoted-printable,
# which survives servers without 8BITMIME and stays readable in an .eml file.
MAX_7BIT_LINE = 998


class PermanentMailError(Exception):
    """The message can never be delivered as it stands (bad address, refused recipient)."""


@dataclass(frozen=True)
class MailSettings:
    """The ``MAIL_*`` configuration, read once per drain."""

    server: str
    port: int
    use_starttls: bool
    use_ssl: bool
    username: str
    password: str
    timeout: float
    sender: str
    folder: Path

    @classmethod
    def from_config(cls, config: Any, instance_path: str) -> MailSettings:
        folder = config.get("MAIL_FOLDER") or os.path.join(instance_path, "mail")
        return cls(
            server=str(config.get("MAIL_SERVER") or ""),
            port=int(config.get("MAIL_PORT") or 25),
            use_starttls=bool(config.get("MAIL_USE_STARTTLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=str(config.get("MAIL_USERNAME") or ""),
            password=str(config.get("MAIL_PASSWORD") or ""),
            timeout=float(config.get("MAIL_TIMEOUT") or 10),
            sender=str(config["MAIL_FROM"]),
            folder=Path(folder),
        )

    @property
    def sender_domain(self) -> str:
        addresses = getaddresses([self.sender])
        address = addresses[0][1] if addresses else ""
        _, at, domain = address.rpartition("@")
        return domain if at and domain else "localhost"


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    date: datetime | None = None,
    attachment: tuple[str, str | None, str] | None = None,
) -> EmailMessage:
    """A complete message: text body, plus an HTML alternative when given, plus at most one
    text ``attachment`` given as (file name, MIME type, text).

    Raises PermanentMailError for a recipient or header that can never be sent.
    """
    msg = EmailMessage()
    try:
        msg["From"] = sender
        msg["To"] = _single_address(to)
        # Collapse whitespace: a line break in a subject would otherwise be rejected.
        msg["Subject"] = " ".join(subject.split())
        msg["Date"] = format_datetime(date or utcnow())
        msg["Message-ID"] = message_id or f"<{secrets.token_hex(16)}@credgroup.invalid>"
    except ValueError as exc:
        raise PermanentMailError(f"invalid header: {exc}") from exc
    # RFC 3834: tells vacation responders not to answer automatic mail.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, cte=_transfer_encoding(text))
    if html:
        msg.add_alternative(html, subtype="html", cte=_transfer_encoding(html))
    if attachment is not None:
        _attach(msg, *attachment)
    return msg


def _attach(msg: EmailMessage, filename: str, mime_type: str | None, text: str) -> None:
    maintype, _, subtype = (mime_type or "text/plain").partition("/")
    subtype, _, params = subtype.partition(";")
    if maintype != "text" or not subtype.strip():
        raise PermanentMailError("only text attachments are supported")
    extra = {}
    for param in params.split(";"):
        key, eq, value = param.strip().partition("=")
        if eq and key.strip():
            extra[key.strip()] = value.strip()
    msg.add_attachment(
        text,
        subtype=subtype.strip(),
        filename=filename,
        cte=_transfer_encoding(text),
        params=extra,
    )


def _single_address(to: str) -> Address:
    """Exactly one plain address: never a list, never a header smuggled in."""
    if any(char in to for char in "\r\n,;"):
        raise PermanentMailError("recipient must be a single address")
    try:
        address = Address(addr_spec=to.strip())
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise PermanentMailError("recipient is not a valid address") from exc
    if not address.username or not address.domain:
        raise PermanentMailError("recipient is not a valid address")
    return address


def _transfer_encoding(text: str) -> str:
    longest = max((len(line) for line in text.splitlines()), default=0)
    return "7bit" if text.isascii() and longest <= MAX_7BIT_LINE else "quoted-printable"


class Mailer:
    """Sends messages over one SMTP connection (opened on first use), or to files.

    Use as a context manager so the connection is closed after a batch. After any error
    the connection is dropped, so the next message starts on a fresh one.
    """

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, msg: EmailMessage) -> str:
        """Deliver one message; returns where it went ("smtp" or the file path)."""
        if not self.settings.server:
            return str(write_to_folder(msg, self.settings.folder))
        # Errors while connecting (refused, TLS, login) concern the server, never this
        # message: they propagate as retryable.
        smtp = self._connection()
        try:
            refused = smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            if all(code >= 500 for code, _ in exc.recipients.values()):
                raise PermanentMailError(_describe_refusal(exc.recipients)) from exc
            raise
        except smtplib.SMTPNotSupportedError as exc:
            # e.g. a non-ASCII address and a server without SMTPUTF8: retrying won't help.
            self.close()
            raise PermanentMailError(str(exc)) from exc
        except Exception:
            self.close()
            raise
        if refused:  # only possible with several recipients; we always send to one
            raise PermanentMailError(_describe_refusal(refused))
        return "smtp"

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = tls_context()
        smtp: smtplib.SMTP
        if s.use_ssl:
            smtp = smtplib.SMTP_SSL(s.server, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        try:
            if s.use_starttls and not s.use_ssl:
                smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, s.password)
        except Exception:
            smtp.close()
            raise
        return smtp


def tls_context() -> ssl.SSLContext:
    """Certificates and host names are always checked, against the system's CAs."""
    return ssl.create_default_context()


def _describe_refusal(recipients: dict[str, tuple[int, bytes]]) -> str:
    codes = ", ".join(
        f"{code} {reply.decode('utf-8', 'replace')}" for code, reply in recipients.values()
    )
    return f"recipient refused: {codes}"


def write_to_folder(msg: EmailMessage, folder: Path) -> Path:
    """Write ``msg`` as an .eml file (atomically) and log where it is."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path = folder / name
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(msg.as_bytes())
    os.replace(tmp, path)
    logger.info("No MAIL_SERVER configured: wrote email %s to %s", msg["Message-ID"], path)
    return path
