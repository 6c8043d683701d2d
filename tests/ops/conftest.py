"""Fixtures for operations tests: the log output of this app as text."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest


class LogOutput:
    """What the app's log handler wrote, as lines."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def log_output(app) -> Iterator[LogOutput]:
    """Redirect the handler ``create_app`` installed (on the root logger) into a buffer,
    with every credgroup logger at DEBUG so nothing a deployment might log is missed."""
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_credgroup", False)]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    credgroup = logging.getLogger("credgroup")
    old_level = credgroup.level
    credgroup.setLevel(logging.DEBUG)
    try:
        yield LogOutput(stream)
    finally:
        credgroup.setLevel(old_level)
        handler.setStream(old_stream)


# The report tests' group of member companies, for the log anonymity test.
from tests.reports.conftest import reporting_group  # noqa: E402, F401
