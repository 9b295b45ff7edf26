"""Issue 24: the session's user is loaded with their membership and its organisation in one
query (`LocalPasswordBackend.get_user`), which every request asks next (the password backend's
own check, then the actor: accounts/principal.py). Who is let in stays the same."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.backends import LocalPasswordBackend
from accounts.roles import Role
from tests.security.otp import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORDS = "accounts.backends.LocalPasswordBackend"
BEFORE = f"{__name__}.BeforeBackend"
OIDC = "accounts.oidc.OrganisationOIDCBackend"


class BeforeBackend(LocalPasswordBackend):
    """The backend as it was: Django's get_user (the user alone), the same check."""

    get_user = ModelBackend.get_user


def test_the_user_comes_with_membership_and_organisation_in_one_query(
    sergeant, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = LocalPasswordBackend().get_user(sergeant.pk)
    with django_assert_num_queries(0):
        assert user == sergeant
        assert user.membership.organisation.kind == "police_force"
        assert user.membership.roles == [Role.CUSTODY_SERGEANT]


def test_who_is_let_in_is_unchanged(make_user, force, sergeant, django_assert_num_queries):
    backend, before = LocalPasswordBackend(), BeforeBackend()
    users = get_user_model().objects
    root = users.create_superuser("root", "root@example.org", "x" * 20)
    gone = make_user("gone", force, Role.RESPONSE_OFFICER)
    gone.is_active = False
    gone.save()
    for user_id in (sergeant.pk, root.pk, gone.pk, 10**9):
        assert backend.get_user(user_id) == before.get_user(user_id)
    assert backend.get_user(gone.pk) is None and backend.get_user(10**9) is None
    # A user without an organisation (the platform's superuser): no membership, no query.
    with django_assert_num_queries(1):
        user = backend.get_user(root.pk)
        assert user == root and getattr(user, "membership", None) is None
    # An organisation that signs in only with its identity provider: password sessions end.
    force.local_passwords_allowed = False
    force.save()
    assert backend.get_user(sergeant.pk) is None is before.get_user(sergeant.pk)


def _queries_of_a_page(client, path="/") -> list[str]:
    client.get(path)  # the first request after sign-in may write the session
    with CaptureQueriesContext(connection) as ran:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in ran.captured_queries]


def test_a_signed_in_page_costs_two_queries_fewer(settings, inspector):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BEFORE]
    counts = {}
    for backend in (BEFORE, PASSWORDS):
        client = Client()
        client.force_login(inspector, backend=backend)
        sign_in_with_second_factor(client, inspector)
        counts[backend] = _queries_of_a_page(client)
    before, after = counts[BEFORE], counts[PASSWORDS]
    assert len(before) - len(after) == 2, (before, after)
    membership = [q for q in before if 'FROM "accounts_membership"' in q]
    assert membership and not [q for q in after if 'FROM "accounts_membership"' in q]


def test_identity_provider_sessions_are_unchanged(client, make_user, force):
    """Users of an organisation without local passwords stay signed in through the identity
    provider's backend (accounts/oidc.py), whose `get_user` loads the user with membership and
    organisation in one query too."""
    force.local_passwords_allowed = False
    force.save()
    pat = make_user("pat", force, Role.RESPONSE_OFFICER)
    client.force_login(pat, backend=OIDC)
    response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user == pat
    client.logout()
    client.force_login(pat, backend=PASSWORDS)
    assert client.get("/").status_code == 302  # a password session of theirs ends, as before


def test_the_identity_providers_backend_loads_the_user_in_one_query(
    make_user, force, django_assert_num_queries
):
    from accounts.oidc import OrganisationOIDCBackend

    pat = make_user("pat", force, Role.RESPONSE_OFFICER)
    with django_assert_num_queries(1):
        user = OrganisationOIDCBackend().get_user(pat.pk)
    with django_assert_num_queries(0):
        assert user == pat and user.membership.organisation == force
    assert OrganisationOIDCBackend().get_user(10**9) is None
    pat.is_active = False
    pat.save()
    assert OrganisationOIDCBackend().get_user(pat.pk) is None
