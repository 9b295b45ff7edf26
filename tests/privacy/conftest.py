"""The privacy tests use the security tests' world (tests/security/world.py)."""

from tests.security.world import world  # noqa: F401
