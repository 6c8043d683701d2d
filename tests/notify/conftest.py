"""Email templates for the notify tests, so they do not depend on other features' mail.

They are real files (FileSystemLoader), so autoescaping follows the file name as it does
for templates/email/: on for .html, off for .txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

TEST_TEMPLATES = {
    "test_notice.txt": (
        "Hello {{ name }},\n\nThe {{ group }} group meets on Tuesday.\n\n"
        "-- {{ association_name }}\n"
    ),
    "test_notice.html": "<p>Hello {{ name }},</p><p>The {{ group }} group meets.</p>",
    "test_plain.txt": "Plain text only for {{ name }}.\n",
}


@pytest.fixture(scope="session")
def email_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("templates")
    (root / "email").mkdir()
    for name, source in TEST_TEMPLATES.items():
        (root / "email" / name).write_text(source, encoding="utf-8")
    return root


@pytest.fixture
def email_templates(app: Flask, email_template_dir: Path) -> None:
    """Serve ``email/test_notice`` (text + HTML) and ``email/test_plain`` (text only)."""
    app.jinja_env.loader = ChoiceLoader(
        [FileSystemLoader(email_template_dir), app.jinja_env.loader]
    )
