"""The one Markdown helper for every feature: Python-Markdown, then nh3 with an allow-list."""

from __future__ import annotations

import threading

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists", "nl2br"]

# Building a Markdown converter loads and sets up every extension (about two milliseconds,
# several times per page with comments); one per thread is reused, reset between texts so
# nothing (reference links, footnotes, abbreviations) carries over from one to the next.
_local = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to safe HTML. Raw HTML in the source is escaped by the cleaner."""
    if not text:
        return Markup("")
    converter = _converter()
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
