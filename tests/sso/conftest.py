from tests.oidc_provider.fixtures import oidc_provider  # noqa: F401 (session-scoped)
