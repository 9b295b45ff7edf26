import pytest

from . import helpers as h


@pytest.fixture
def suite(health_trust):
    """A health-based place of safety run by the mental health trust."""
    return h.place(health_trust, "health_based", name="Willow Suite")


@pytest.fixture
def ed(acute_trust):
    return h.place(acute_trust, "emergency_department", name="Midshire ED")


@pytest.fixture
def station(force):
    return h.place(force, "police_station", name="Castleford Custody", accepts_under_18=False)


@pytest.fixture
def force_api(api_for, force):
    return api_for(force, "detentions:read", "detentions:write", "audit:read", name="force-cad")


@pytest.fixture
def trust_api(api_for, health_trust):
    return api_for(
        health_trust, "detentions:read", "detentions:write", "audit:read", name="trust-epr"
    )


@pytest.fixture
def outsider_api(api_for, other_force):
    return api_for(
        other_force, "detentions:read", "detentions:write", "audit:read", name="west-cad"
    )
