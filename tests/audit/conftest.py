"""The audit pages reuse the organisation's test association and signed-in browsers."""

from tests.groups.conftest import org, signed_in  # noqa: F401
