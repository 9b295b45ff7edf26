import pytest

from accounts.roles import Role


@pytest.fixture
def mh_lead(make_user, force):
    user = make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")
    user.collar_number = "MH1"
    user.save()
    return user


@pytest.fixture
def npu_lead(make_user, force):
    return make_user("npulead", force, Role.NPU_LEAD)


@pytest.fixture
def staff(make_user, force):
    """Six operational officers over two NPUs with collar numbers, plus non-operational users."""
    n, c = force.npus.get(code="NPU-N"), force.npus.get(code="NPU-C")

    def officer(username, role, npu, collar):
        from accounts.models import Membership

        user = make_user(username, force, role)
        user.collar_number = collar
        user.save()
        Membership.objects.filter(user=user).update(npu=npu)
        user.refresh_from_db()
        return user

    return {
        "r1": officer("r1", Role.RESPONSE_OFFICER, n, "1001"),
        "r2": officer("r2", Role.RESPONSE_OFFICER, n, "1002"),
        "r3": officer("r3", Role.RESPONSE_OFFICER, c, "1003"),
        "s1": officer("s1", Role.CUSTODY_SERGEANT, c, "2001"),
        "s2": officer("s2", Role.CUSTODY_SERGEANT, c, "2002"),
        "a1": officer("a1", Role.MH_TACTICAL_ADVISER, n, "3001"),
    }
