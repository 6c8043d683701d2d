"""The shared Markdown helper renders formatting and strips anything active."""

import pytest

from credgroup.markdown import render_markdown


def test_renders_common_formatting():
    html = render_markdown("**Step 1**: open *Invoices*\n\n- PO flip\n- attach PDF\n\n`INV-15`")
    assert "<strong>Step 1</strong>" in html
    assert "<li>PO flip</li>" in html
    assert "<code>INV-15</code>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<div style="position:fixed">overlay</div>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_strips_scripts_handlers_and_dangerous_urls(source):
    html = str(render_markdown(source)).lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "<svg"):
        assert needle not in html


def test_links_get_safe_rel():
    html = render_markdown("[Coupa help](https://supplier.coupa.com/help/faq/)")
    assert 'href="https://supplier.coupa.com/help/faq/"' in html
    assert "noopener" in html and "noreferrer" in html


def test_empty_input_gives_empty_markup():
    assert render_markdown(None) == "" and render_markdown("") == ""


def test_one_text_leaves_nothing_behind_for_the_next():
    # The converter is reused: a reference or footnote defined in one text must not
    # resolve in the next one.
    first = render_markdown("Intro[^1]\n\n[^1]: A note.\n\n[coupa]: https://coupa.example/")
    assert "A note." in first
    second = render_markdown("See [the FAQ][coupa] and this[^1].")
    assert "href" not in second and "A note." not in second
    assert second == render_markdown("See [the FAQ][coupa] and this[^1].")
