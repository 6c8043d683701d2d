"""Readable differences between two versions of an article's content (difflib).

Pure functions, no database: they return plain structures (blocks of lines, and inside a
changed block the words that changed) that a template renders with ``<del>``/``<ins>``.
Nothing here builds HTML, so everything shown is escaped by the template like any text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from credgroup.kb.inputs import CONTENT_FIELDS, LIST_FIELDS

FIELD_LABELS = {
    "title": "Title",
    "problem": "The problem",
    "workaround": "The workaround",
    "error_text": "The portal's error text",
    "categories": "Categories",
    "tags": "Tags",
    "channels": "Submission channels",
}
CONTEXT_LINES = 2
SIMILAR = 0.5  # below this share of common words a passage counts as rewritten
WORD = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Block:
    """A run of lines. ``kind``: "same", "skip" (unchanged lines left out), "removed",
    "added", or "changed" (``segments`` then hold (op, text) pieces: "same", "del", "ins")."""

    kind: str
    lines: list[str] = field(default_factory=list)
    skipped: int = 0
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FieldDiff:
    name: str
    label: str
    changed: bool
    blocks: list[Block]


def _lines(value: Any, name: str) -> list[str]:
    if name in LIST_FIELDS:
        return [str(item) for item in value or []]
    return str(value or "").split("\n") if value else []


def word_segments(old: str, new: str) -> list[tuple[str, str]]:
    """The words of two versions of a passage, marked kept, deleted or inserted. A lone
    space between two changes joins them, so "suffix letter" -> "new number" reads as one
    replacement rather than two."""
    a, b = WORD.findall(old), WORD.findall(new)
    runs: list[list] = []  # [equal?, old text, new text]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        runs.append([op == "equal", "".join(a[i1:i2]), "".join(b[j1:j2])])
    for index in range(1, len(runs) - 1):
        between_changes = not runs[index - 1][0] and not runs[index + 1][0]
        if runs[index][0] and not runs[index][1].strip() and between_changes:
            runs[index][0] = False
    merged: list[list] = []
    for run in runs:
        if merged and not run[0] and not merged[-1][0]:
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(list(run))
    segments: list[tuple[str, str]] = []
    for equal, old_text, new_text in merged:
        if equal:
            segments.append(("same", old_text))
            continue
        if old_text:
            segments.append(("del", old_text))
        if new_text:
            segments.append(("ins", new_text))
    return segments


def _same(lines: list[str], first: bool, last: bool) -> list[Block]:
    """Unchanged lines, keeping only a little context around the changes."""
    keep_head = 0 if first else CONTEXT_LINES
    keep_tail = 0 if last else CONTEXT_LINES
    if len(lines) <= keep_head + keep_tail + 1:
        return [Block("same", lines)]
    blocks = [Block("same", lines[:keep_head])] if keep_head else []
    blocks.append(Block("skip", skipped=len(lines) - keep_head - keep_tail))
    if keep_tail:
        blocks.append(Block("same", lines[-keep_tail:]))
    return blocks


def _similar(old: list[str], new: list[str]) -> bool:
    """Rewritten passages read better as "removed, then added" than as a word salad."""
    a, b = WORD.findall("\n".join(old)), WORD.findall("\n".join(new))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def diff_field(name: str, old: Any, new: Any) -> FieldDiff:
    a, b = _lines(old, name), _lines(new, name)
    label = FIELD_LABELS.get(name, name)
    if a == b:
        return FieldDiff(name, label, False, [])
    blocks: list[Block] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal" and name in LIST_FIELDS:
            blocks.append(Block("same", a[i1:i2]))  # short lists: show them whole
        elif op == "equal":
            blocks += _same(a[i1:i2], index == 0, index == len(opcodes) - 1)
        elif op == "delete":
            blocks.append(Block("removed", a[i1:i2]))
        elif op == "insert":
            blocks.append(Block("added", b[j1:j2]))
        elif name in LIST_FIELDS or not _similar(a[i1:i2], b[j1:j2]):
            blocks += [Block("removed", a[i1:i2]), Block("added", b[j1:j2])]
        else:
            old_text, new_text = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
            blocks.append(Block("changed", segments=word_segments(old_text, new_text)))
    return FieldDiff(name, label, True, blocks)


def diff_contents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldDiff]:
    """Every content field, changed or not, in a fixed order."""
    return [diff_field(name, old.get(name), new.get(name)) for name in CONTENT_FIELDS]


def unified_text(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """A plain unified diff, for the API and for people who prefer it."""
    parts: list[str] = []
    for name in CONTENT_FIELDS:
        a, b = _lines(old.get(name), name), _lines(new.get(name), name)
        if a != b:
            parts += difflib.unified_diff(a, b, f"{name} (before)", f"{name} (after)", lineterm="")
    return "\n".join(parts)
