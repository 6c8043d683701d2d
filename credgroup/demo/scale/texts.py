"""Filling the vocabulary's templates: titles, bodies, comments, articles."""

from __future__ import annotations

import random

from credgroup.demo.scale import vocabulary as words
from credgroup.reports.enums import ProblemCategory


class Slots(dict):
    """Template slots drawn on first use, so a text only draws what it mentions."""

    def __init__(self, rng: random.Random, portal: str) -> None:
        super().__init__(portal=portal)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        value = {
            "code": lambda: rng.choice(words.ERROR_CODES),
            "field": lambda: rng.choice(words.FIELDS),
            "status": lambda: rng.choice(words.STATUSES),
            "days": lambda: str(rng.randrange(5, 90)),
            "lines": lambda: str(rng.choice((50, 100, 200, 500, 999))),
            "count": lambda: str(rng.randrange(12, 400)),
            "channel": lambda: rng.choice(words.CHANNEL_WORDS),
        }[key]()
        self[key] = value
        return value


def fill(template: str, slots: Slots) -> str:
    return template.format_map(slots)


def report_texts(
    rng: random.Random, category: ProblemCategory, portal: str, workaround: bool
) -> dict[str, str]:
    """Title, body (Markdown, two short paragraphs), error message and workaround."""
    slots = Slots(rng, portal)
    details = rng.sample(words.DETAILS, rng.randrange(1, 3))
    body = fill(rng.choice(words.OPENINGS[category]), slots)
    body += " " + " ".join(fill(d, slots) for d in details)
    if rng.random() < 0.5:
        body += "\n\n" + fill(rng.choice(words.DETAILS), slots)
    return {
        "title": fill(rng.choice(words.TITLES[category]), slots)[:200],
        "body": body,
        "error_message": fill(rng.choice(words.ERROR_MESSAGES[category]), slots),
        "workaround": fill(rng.choice(words.WORKAROUNDS), slots) if workaround else "",
    }


def comment_text(rng: random.Random, portal: str, staff: bool) -> str:
    pool = words.STAFF_COMMENTS if staff else words.COMMENTS
    return fill(rng.choice(pool), Slots(rng, portal))


def article_texts(rng: random.Random, portal: str) -> dict[str, str]:
    slots = Slots(rng, portal)
    steps = rng.sample(words.ARTICLE_STEPS, rng.randrange(2, 5))
    return {
        "title": fill(rng.choice(words.ARTICLE_TITLES), slots)[:200],
        "problem": fill(rng.choice(words.ARTICLE_PROBLEMS), slots),
        "workaround": "\n".join(f"{n}. {fill(s, slots)}" for n, s in enumerate(steps, 1)),
        "error_text": fill(rng.choice(words.ERROR_MESSAGES[ProblemCategory.REJECTED_FORMAT]), slots)
        if rng.random() < 0.4
        else "",
    }
