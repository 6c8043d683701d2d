"""Portal page tests reuse the reports' group of member companies and the catalogue."""

from tests.reports.conftest import reporting_group  # noqa: F401 - a fixture, used by name
