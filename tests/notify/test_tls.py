"""Encrypted delivery: STARTTLS and implicit TLS against a real server, certificates checked."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from credgroup.notify import mailer as mailer_module
from credgroup.notify.mailer import Mailer, MailSettings, build_message
from tests.fixtures.mail import RecordingHandler, free_port

OPENSSL = shutil.which("openssl") or "openssl"
CERT_REQUEST = [
    "req",
    "-x509",
    "-nodes",
    "-days",
    "1",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost",
]

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost (EC: quick to generate)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, *CERT_REQUEST, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server_context(certificate) -> ssl.SSLContext:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def trust_test_certificate(monkeypatch, certificate) -> None:
    """Trust our test certificate instead of the system CAs; checks stay on."""
    cert, _ = certificate
    monkeypatch.setattr(
        mailer_module, "tls_context", lambda: ssl.create_default_context(cafile=str(cert))
    )


def start(handler: RecordingHandler, **kwargs) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(server_context) -> Iterator[tuple[int, RecordingHandler]]:
    handler = RecordingHandler()
    for port in start(handler, tls_context=server_context, require_starttls=True):
        yield port, handler


@pytest.fixture
def tls_server(server_context) -> Iterator[tuple[int, RecordingHandler]]:
    handler = RecordingHandler()
    for port in start(handler, ssl_context=server_context):
        yield port, handler


def settings(tmp_path: Path, port: int, **overrides) -> MailSettings:
    values = {
        "server": "localhost",
        "port": port,
        "use_starttls": False,
        "use_ssl": False,
        "username": "",
        "password": "",
        "timeout": 5.0,
        "sender": "no-reply@association.example",
        "folder": tmp_path,
    }
    return MailSettings(**{**values, **overrides})


def message():
    return build_message(
        sender="no-reply@association.example", to="ann@supplier.example", subject="Hi", text="x"
    )


@pytest.mark.usefixtures("trust_test_certificate")
def test_starttls_encrypts_before_sending(tmp_path, starttls_server):
    port, handler = starttls_server

    with Mailer(settings(tmp_path, port, use_starttls=True)) as mailer:
        mailer.send(message())

    [received] = handler.messages
    assert received.tls


@pytest.mark.usefixtures("trust_test_certificate")
def test_server_that_requires_starttls_refuses_plain_sending(tmp_path, starttls_server):
    port, handler = starttls_server

    with Mailer(settings(tmp_path, port)) as mailer, pytest.raises(Exception, match="STARTTLS"):
        mailer.send(message())
    assert handler.messages == []


@pytest.mark.usefixtures("trust_test_certificate")
def test_implicit_tls_with_mail_use_ssl(tmp_path, tls_server):
    port, handler = tls_server

    with Mailer(settings(tmp_path, port, use_ssl=True)) as mailer:
        mailer.send(message())

    [received] = handler.messages
    assert received.tls


def test_untrusted_certificate_is_refused(tmp_path, starttls_server):
    port, handler = starttls_server

    with (
        Mailer(settings(tmp_path, port, use_starttls=True)) as mailer,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        mailer.send(message())
    assert handler.messages == []


@pytest.mark.usefixtures("trust_test_certificate")
def test_certificate_for_another_host_name_is_refused(tmp_path, starttls_server):
    port, handler = starttls_server

    with (
        Mailer(settings(tmp_path, port, server="127.0.0.1", use_starttls=True)) as mailer,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        mailer.send(message())
    assert handler.messages == []
