"""Periods: what a person may ask for, how it is widened to whole quarters, and clear
errors for everything else."""

from __future__ import annotations

from datetime import date

import pytest

from credgroup.errors import ValidationError
from credgroup.trends.periods import MAX_QUARTERS, Quarter, parse_month, parse_span, span_between

TODAY = date(2026, 5, 14)


def test_quarters_know_their_months_and_neighbours():
    q = Quarter.of(date(2026, 5, 14))
    assert (q.key, q.label) == ("2026-Q2", "Q2 2026")
    assert q.months == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    assert (q.start, q.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert q.shift(-2) == Quarter(2025, 4) and q.shift(3) == Quarter(2027, 1)
    assert Quarter.from_key("2025-Q4") == Quarter(2025, 4)


def test_the_default_is_the_current_quarter():
    span = parse_span(None, None, None, today=TODAY)
    assert span.quarters == (Quarter(2026, 2),)
    assert not span.widened


def test_a_month_is_shown_with_its_quarter_and_says_so():
    span = parse_span("month", "2026-02", None, today=TODAY)
    assert span.quarters == (Quarter(2026, 1),)
    assert span.widened and span.requested_label == "February 2026"
    assert span.label == "Q1 2026 (January to March 2026)"


def test_custom_months_are_widened_to_whole_quarters():
    span = parse_span("custom", "2024-11", "2026-02", today=TODAY)
    assert [q.key for q in span.quarters] == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert (span.start, span.end) == (date(2024, 10, 1), date(2026, 3, 31))
    assert span.previous().quarters[0] == Quarter(2023, 2)
    assert len(span.previous().quarters) == 6


def test_a_to_without_a_period_means_custom_and_full_dates_count_as_their_month():
    span = parse_span(None, "2025-01-31", "2025-06-01", today=TODAY)
    assert span.kind == "custom"
    assert [q.key for q in span.quarters] == ["2025-Q1", "2025-Q2"]


@pytest.mark.parametrize(
    ("kind", "start", "end", "field", "message"),
    [
        ("custom", "2026-03", "2026-01", "to", "ends before it starts"),
        ("custom", "2026-13", None, "from", "no such month"),
        ("custom", "2026-1", None, "from", "YYYY-MM"),
        ("custom", "last year", None, "from", "YYYY-MM"),
        ("custom", "2026-02-30", None, "from", "no such date"),
        ("custom", "1999-12", None, "from", "2000"),
        ("custom", "2026-01", "x" * 500, "to", "YYYY-MM"),
        ("custom", "2026-01\x00", None, "from", "YYYY-MM"),
        ("quarter", "2027-01", None, "from", "not started"),
        ("custom", "2026-01", "2026-12", "to", "after the current quarter"),
        ("custom", "2020-01", "2026-05", "to", f"at most {MAX_QUARTERS} quarters"),
        ("weekly", None, None, "period", "month, a quarter"),
    ],
)
def test_bad_periods_are_clear_errors(kind, start, end, field, message):
    with pytest.raises(ValidationError) as caught:
        parse_span(kind, start, end, today=TODAY)
    assert caught.value.field == field
    assert message in caught.value.message
    assert caught.value.status_code == 422


def test_a_span_may_end_in_a_later_month_of_the_current_quarter():
    assert span_between(date(2026, 4, 1), date(2026, 6, 1), today=TODAY).quarters == (
        Quarter(2026, 2),
    )


def test_parse_month_accepts_months_and_dates():
    assert parse_month("2026-03", "from") == date(2026, 3, 1)
    assert parse_month(" 2026-03-17 ", "from") == date(2026, 3, 1)
