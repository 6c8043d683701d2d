"""The audit pages reuse the organisation's test association and signed-in browsers."""

from tests.groups.conftest import _fresh_g_per_request, org, signed_in  # noqa: F401
