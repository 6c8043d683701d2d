"""Journey 2: a credit professional finds a workaround.

She searches with typos and a portal's nickname ("Ariba" is SAP Business Network), narrows
the results to that portal and to articles, opens the article, marks "worked for us" for
her company, and looks at the portal's page: what suppliers are charged, the problems
counted under the group's anonymity threshold, the workarounds and the open reports.

It runs with the mouse and again keyboard-only. The two runs use different member
companies (one answer per company), so they run in any order against the session's one
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.fixtures_journeys import (
    HANDS,
    assert_focus_visible,
    check_accessible,
    focus_is_inside,
)
from tests.browser.support import OTHER_MEMBER, expect, save_screenshot

QUERY = "Ariba invoce rejectd"  # two typos and the portal's old name
CORRECTED = "Ariba invoice rejected"
PORTAL = "SAP Business Network"
ARTICLE = "INVOICE_DUPLICATE after a rejection: resubmit under a new number"
WORKED = re.compile(r"Confirmed working by (\d+) members?")

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Reader:
    """A Building Materials member whose company has not answered for ARTICLE in the demo."""

    email: str
    name: str
    company: str


READERS = {
    "mouse": Reader(
        "credit@northfield-aggregates.example", "Dana Whitfield", "Northfield Aggregates"
    ),
    "keyboard-only": Reader(
        "angela.price@summitroofing.example", "Angela Price", "Summit Roofing Products"
    ),
}


def worked_count(page) -> int:
    found = WORKED.search(page.locator("#freshness").inner_text())
    return int(found.group(1)) if found else 0


def check_results(page) -> None:
    """The typos were corrected, the nickname understood, and every hit is about the portal."""
    expect(page.get_by_role("main")).to_contain_text(f"Showing results for “{CORRECTED}”")
    expect(page.get_by_role("link", name=QUERY)).to_be_visible()  # "search instead for"
    hits = page.locator("main ol.card-list > li")
    assert hits.count() >= 3
    for text in hits.all_inner_texts():
        assert PORTAL in text, text


def check_portal_page(page, reader: Reader, worked_after: int) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(PORTAL)
    fees = page.get_by_role("region", name="What suppliers are charged")
    expect(fees).to_contain_text("Standard accounts are free")
    # Counts per problem, each shown only with enough companies behind it.
    counts = page.get_by_role("region", name="Reports by problem")
    expect(counts).to_contain_text("enough different member companies")
    table = counts.get_by_role("table", name=re.compile("Building Materials Credit Group"))
    caption = table.locator("caption").inner_text()
    threshold = int(re.search(r"shown from (\d+) companies", caption).group(1))
    cells = table.locator("tbody td").all_inner_texts()
    assert len(cells) == 9  # one row per problem category
    for cell in cells:
        assert cell.isdigit() or cell == f"fewer than {threshold} companies", cell
    # The workarounds, the article just confirmed with its new count.
    articles = page.get_by_role("region", name=f"Workarounds for {PORTAL}")
    line = articles.get_by_role("listitem").filter(has_text=ARTICLE)
    expect(line).to_contain_text(f"Confirmed working by {worked_after} members")
    # Open problems in the reader's groups, newest first, and not a word about who
    # reported them.
    opened = page.get_by_role("region", name="Open problems reported in your groups")
    expect(opened.get_by_role("link").first).to_be_visible()
    published = opened.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert published == sorted(published, reverse=True)
    expect(page.get_by_role("main")).not_to_contain_text(reader.company)


@HANDS
def test_a_credit_professional_finds_a_workaround(hands, make_page, page_as, live_server, request):
    variant = request.node.callspec.id
    reader = READERS[variant]
    page = make_page()
    me = hands(page)
    me.sign_in(live_server.url, reader.email)

    # The home page's "Find a workaround" box: typos and the portal's nickname.
    finder = page.get_by_role("region", name="Find a workaround")
    me.search(finder.get_by_role("searchbox"), finder.get_by_role("button", name="Search"), QUERY)
    check_results(page)
    save_screenshot(page, f"journey2-{variant}-search-typo-and-alias")

    # Narrow down to the portal, then to articles.
    facets = page.get_by_role("navigation", name="Narrow down")
    me.follow(facets.get_by_role("link", name=PORTAL))
    expect(page).to_have_url(re.compile(r"portal=sap-business-network"))
    expect(facets.get_by_role("link", name="remove the portal filter")).to_be_visible()
    me.follow(facets.get_by_role("link", name="Knowledge base articles"))
    expect(page).to_have_url(re.compile(r"type=article"))
    assert set(page.locator("main ol.card-list .badge").all_inner_texts()) == {"Article"}
    save_screenshot(page, f"journey2-{variant}-search-filtered")
    if not me.keyboard_only:  # the keyboard run checks the focus on the same pages
        check_accessible(page)

    me.follow(page.get_by_role("link", name=ARTICLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE)
    if me.keyboard_only:
        # The first Tab on a page reaches "Skip to content", which moves focus into it.
        page.keyboard.press("Tab")
        assert focus_is_inside(page, page.get_by_role("link", name="Skip to content"))
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(page.get_by_role("main")).to_be_focused()

    freshness = page.get_by_role("region", name="Does it still work?")
    before = worked_count(page)
    me.press(freshness.get_by_role("button", name="Worked for us"))
    expect(page.locator(".flashes")).to_contain_text("recorded for your company")
    expect(freshness).to_contain_text("Your company said: Worked for us.")
    expect(freshness.get_by_role("button", name="Worked for us")).to_have_count(0)
    assert worked_count(page) == before + 1
    if me.keyboard_only:
        # Back on the page, the next Tab goes on in the answered section, not at the top.
        page.keyboard.press("Tab")
        assert focus_is_inside(page, freshness), "the focus did not come back to the answer"
        assert_focus_visible(page)
    save_screenshot(page, f"journey2-{variant}-worked-for-us")
    if not me.keyboard_only:  # the keyboard run checks the focus on the same pages
        check_accessible(page)

    # Another member sees the new count, and nothing of who answered.
    other = page_as(OTHER_MEMBER)
    other.goto(page.url)
    expect(other.get_by_role("region", name="Does it still work?")).to_contain_text(
        f"Confirmed working by {before + 1} members"
    )
    for identifying in (reader.name, reader.company):
        expect(other.get_by_role("main")).not_to_contain_text(identifying)

    # The portal's page, from the article's details.
    details = page.get_by_role("region", name="Details")
    me.follow(details.get_by_role("link", name=PORTAL))
    check_portal_page(page, reader, before + 1)
    save_screenshot(page, f"journey2-{variant}-portal-page")
    opened = page.get_by_role("region", name="Open problems reported in your groups")
    newest = opened.get_by_role("link").first
    title = newest.inner_text().strip()
    me.follow(newest)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
