"""Controls named "<action>: <thing>" by aria-label, not by a visually hidden suffix.

Chromium computes the name of ``Move up<span class="visually-hidden">: Ariba</span>`` as
"Move up : Ariba": the hidden span is absolutely positioned, so it counts as a block and
gets a space before it. Screen readers then read a stray pause, and tests that find a
button by its exact name miss it. The templates give such controls an aria-label instead.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A visible word followed directly by a hidden span that starts with punctuation.
SUFFIX = re.compile(r'\w<span class="visually-hidden">\s*[:,;.]')


def test_no_control_is_named_by_a_hidden_suffix_starting_with_punctuation():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SUFFIX.search(line)
    ]
    assert offenders == []
