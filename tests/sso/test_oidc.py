"""Sign-in with the organisation's identity provider, end to end against a real OpenID provider
(django-oauth-toolkit in its own process on loopback: tests/oidc_provider/)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import (
    ExternalIdentity,
    IdentityProviderDevice,
    Membership,
    RoleMapping,
    User,
)
from accounts.roles import Role
from tests.conftest import PASSWORD
from tests.oidc_provider.fixtures import callback_path, harbour_provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_discovery_cache():
    cache.clear()  # discovery documents are cached per provider row


@pytest.fixture
def force_idp(oidc_provider, force):
    RoleMapping.objects.create(
        organisation=force, claim="groups", value="harbour-officers", role=Role.RESPONSE_OFFICER
    )
    RoleMapping.objects.create(
        organisation=force, claim="groups", value="harbour-admins", role=Role.ADMINISTRATOR
    )
    return harbour_provider(
        oidc_provider,
        force,
        slug="midshire",
        client_id="harbour-force",
        mfa_acr_values=["urn:test:aal3"],
    )


@pytest.fixture
def trust_idp(oidc_provider, health_trust):
    RoleMapping.objects.create(
        organisation=health_trust,
        claim="groups",
        value="harbour-officers",
        role=Role.PLACE_OF_SAFETY_STAFF,
    )
    return harbour_provider(oidc_provider, health_trust, slug="trust", client_id="harbour-trust")


def start(client, slug, next_url=""):
    response = client.get(f"/sign-in/with/{slug}/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def sign_in(client, oidc_provider, slug, username, next_url=""):
    """The whole journey: Harbour's button, the provider's form, Harbour's callback."""
    back = oidc_provider.sign_in(start(client, slug, next_url), username)
    return client.get(callback_path(back))


def test_the_authorisation_request_uses_pkce_state_and_nonce(client, force_idp, oidc_provider):
    query = parse_qs(urlsplit(start(client, "midshire")).query)
    assert query["client_id"] == ["harbour-force"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["openid profile email"]
    assert query["redirect_uri"] == ["http://testserver/sign-in/callback/"]
    state = query["state"][0]
    assert client.session["oidc_states"][state]["provider"] == force_idp.pk
    assert client.session["oidc_states"][state]["nonce"] == query["nonce"][0]


def test_the_sign_in_page_offers_each_active_provider(client, force_idp, trust_idp):
    trust_idp.active = False
    trust_idp.save()
    page = client.get("/sign-in/").content.decode()
    assert "Sign in with Midshire Police" in page
    assert 'href="/sign-in/with/midshire/"' in page
    assert "/sign-in/with/trust/" not in page
    assert client.get("/sign-in/with/trust/").status_code == 404


def test_first_sign_in_provisions_the_user_into_the_organisation_and_role(
    client, force_idp, oidc_provider, force
):
    response = sign_in(client, oidc_provider, "midshire", "alice")
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="alice.officer")
    assert user.membership.organisation == force
    assert user.membership.roles == [Role.RESPONSE_OFFICER]
    assert user.email == "alice@midshire.example" and user.display_name == "Alice Officer"
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.issuer == oidc_provider.issuer and identity.provider == force_idp
    assert identity.last_sign_in_at is not None
    # In history, attributed to the sign-in.
    assert user.history.earliest("history_date").changed_by == "system:sign-in:midshire"
    assert Membership.history.filter(user_id=user.pk).count() == 1
    # Signed in: the home page answers.
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_second_sign_in_matches_the_same_user_and_follows_role_changes(
    client, force_idp, oidc_provider
):
    sign_in(client, oidc_provider, "midshire", "alice")
    user = User.objects.get(username="alice.officer")
    client.post("/sign-out/")
    # The organisation now maps the group to another role as well.
    RoleMapping.objects.create(
        organisation=force_idp.organisation,
        claim="groups",
        value="all-staff",
        role=Role.NPU_LEAD,
    )
    other = Client()
    response = sign_in(other, oidc_provider, "midshire", "alice", next_url="/alerts/")
    assert response["Location"] == "/alerts/"
    assert User.objects.filter(external_identities__isnull=False).count() == 1
    assert int(other.session["_auth_user_id"]) == user.pk
    user.membership.refresh_from_db()
    assert user.membership.roles == [Role.RESPONSE_OFFICER, Role.NPU_LEAD]


def test_matching_is_by_issuer_and_subject_never_by_email(
    client, force_idp, oidc_provider, make_user, force
):
    # A local user of the force with the same email and username is not taken over.
    local = make_user("alice.officer", force, Role.CUSTODY_SERGEANT)
    local.email = "alice@midshire.example"
    local.save()
    sign_in(client, oidc_provider, "midshire", "alice")
    identity = ExternalIdentity.objects.get()
    assert identity.user != local
    assert identity.user.username == "alice.officer.midshire-police"
    local.membership.refresh_from_db()
    assert local.membership.roles == [Role.CUSTODY_SERGEANT]


def test_a_user_of_another_organisations_provider_cannot_land_in_this_one(
    client, force_idp, trust_idp, oidc_provider, force
):
    sign_in(client, oidc_provider, "midshire", "alice")
    user = User.objects.get(username="alice.officer")
    # The same provider account (same issuer and subject) through the trust's button.
    other = Client()
    response = sign_in(other, oidc_provider, "trust", "alice")
    assert response.status_code == 403
    assert "belongs to another organisation" in response.content.decode()
    assert "_auth_user_id" not in other.session
    user.membership.refresh_from_db()
    assert user.membership.organisation == force
    assert user.membership.roles == [Role.RESPONSE_OFFICER]
    assert Membership.objects.count() == 1


def test_a_user_whose_claims_map_to_no_role_is_refused(client, force_idp, oidc_provider):
    response = sign_in(client, oidc_provider, "midshire", "carol")
    assert response.status_code == 403
    page = response.content.decode()
    assert "gives you no role in Harbour" in page
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="carol").exists()
    assert not ExternalIdentity.objects.exists()


def test_a_roleless_known_user_is_refused_too(client, force_idp, oidc_provider):
    sign_in(client, oidc_provider, "midshire", "alice")
    RoleMapping.objects.filter(value="harbour-officers").delete()
    other = Client()
    response = sign_in(other, oidc_provider, "midshire", "alice")
    assert response.status_code == 403 and "no role" in response.content.decode()
    assert "_auth_user_id" not in other.session
    assert User.objects.get(username="alice.officer").membership.roles == [Role.RESPONSE_OFFICER]


def test_amr_mfa_skips_local_totp(client, force_idp, oidc_provider):
    # alice's provider asserts amr=mfa; make her an administrator (a role that needs a 2nd factor)
    RoleMapping.objects.create(
        organisation=force_idp.organisation,
        claim="groups",
        value="harbour-officers",
        role=Role.ADMINISTRATOR,
    )
    sign_in(client, oidc_provider, "midshire", "alice")
    user = User.objects.get(username="alice.officer")
    assert Role.ADMINISTRATOR in user.roles
    response = client.get("/organisation/sign-in/")
    assert response.status_code == 200  # no detour to /account/two-factor/
    assert IdentityProviderDevice.objects.filter(user=user, provider=force_idp).exists()


def test_acr_in_the_providers_list_skips_local_totp(client, force_idp, oidc_provider):
    sign_in(client, oidc_provider, "midshire", "dave")
    assert client.get("/organisation/sign-in/").status_code == 200


def test_without_a_second_factor_at_the_provider_the_local_totp_is_asked(
    client, force_idp, oidc_provider
):
    response = sign_in(client, oidc_provider, "midshire", "bob")
    assert response.status_code == 302
    user = User.objects.get(username="bob.admin")
    assert user.roles == {Role.ADMINISTRATOR}
    response = client.get("/organisation/sign-in/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")
    assert not IdentityProviderDevice.objects.filter(user=user).exists()


def test_the_providers_second_factor_counts_only_for_the_sign_in_that_asserted_it(
    client, force_idp, oidc_provider
):
    sign_in(client, oidc_provider, "midshire", "dave")
    force_idp.mfa_acr_values = []  # the organisation stops trusting that acr
    force_idp.save()
    other = Client()
    sign_in(other, oidc_provider, "midshire", "dave")
    assert other.get("/organisation/sign-in/")["Location"].startswith("/account/two-factor/")


def test_a_bad_state_is_refused(client, force_idp, oidc_provider):
    back = oidc_provider.sign_in(start(client, "midshire"), "alice")
    parts = urlsplit(back)
    query = parse_qs(parts.query)
    response = client.get(parts.path, {"code": query["code"][0], "state": query["state"][0] + "x"})
    assert response.status_code == 400
    assert "not valid or has already been used" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="alice.officer").exists()


def test_a_callback_is_used_once(client, force_idp, oidc_provider):
    back = callback_path(oidc_provider.sign_in(start(client, "midshire"), "alice"))
    assert client.get(back).status_code == 302
    client.post("/sign-out/")
    assert client.get(back).status_code == 400


def test_a_bad_nonce_is_refused(client, force_idp, oidc_provider):
    authorize = start(client, "midshire")
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "not-the-nonce-sent"
    session.save()
    response = client.get(callback_path(oidc_provider.sign_in(authorize, "alice")))
    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="alice.officer").exists()


def test_an_id_token_from_another_issuer_is_refused(client, force, oidc_provider):
    RoleMapping.objects.create(
        organisation=force, claim="groups", value="harbour-officers", role=Role.RESPONSE_OFFICER
    )
    idp = harbour_provider(
        oidc_provider, force, slug="midshire", client_id="harbour-force", issuer="http://x/o"
    )
    # Explicit endpoints (no discovery, which would name the real issuer and be refused).
    base = oidc_provider.issuer
    idp.discovery_url = ""
    idp.authorization_endpoint = base + "/authorize/"
    idp.token_endpoint = base + "/token/"
    idp.userinfo_endpoint = base + "/userinfo/"
    idp.jwks_uri = base + "/.well-known/jwks.json"
    idp.save()
    response = sign_in(client, oidc_provider, "midshire", "alice")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_a_discovery_document_naming_another_issuer_is_refused(client, force, oidc_provider):
    harbour_provider(
        oidc_provider, force, slug="midshire", client_id="harbour-force", issuer="http://x/o"
    )
    response = client.get("/sign-in/with/midshire/")
    assert response.status_code == 502
    assert "names another issuer" in response.content.decode()


def test_an_expired_id_token_is_refused(client, force_idp, oidc_provider):
    back = callback_path(oidc_provider.sign_in(start(client, "midshire"), "alice"))
    # The provider's ID tokens live 300 s; the callback arrives an hour later (by our clock).
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1), tick=False):
        response = client.get(back)
    assert response.status_code == 400
    assert not User.objects.filter(username="alice.officer").exists()


def test_a_code_for_another_client_is_refused(client, force_idp, trust_idp, oidc_provider):
    # The flow started for the trust, but the session says the state is the force's.
    authorize = start(client, "trust")
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["provider"] = force_idp.pk
    session.save()
    response = client.get(callback_path(oidc_provider.sign_in(authorize, "alice")))
    assert response.status_code == 400
    assert "did not confirm" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_error_from_the_provider_is_shown(client, force_idp):
    authorize = start(client, "midshire")
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    response = client.get("/sign-in/callback/", {"error": "access_denied", "state": state})
    assert response.status_code == 400
    assert "access_denied" in response.content.decode()
    assert state not in client.session["oidc_states"]


def test_a_missing_client_secret_is_a_clear_page(client, force_idp, oidc_provider, monkeypatch):
    monkeypatch.delenv("TEST_OIDC_FORCE_SECRET")
    back = callback_path(oidc_provider.sign_in(start(client, "midshire"), "alice"))
    response = client.get(back)
    assert response.status_code == 503
    assert "not set up completely" in response.content.decode()


def test_local_passwords_can_be_switched_off_per_organisation(client, make_user, force):
    user = make_user("pat", force, Role.RESPONSE_OFFICER)
    data = {"username": "pat", "password": PASSWORD}
    assert client.post("/sign-in/", data).status_code == 302
    client.post("/sign-out/")
    force.local_passwords_allowed = False
    force.save()
    response = client.post("/sign-in/", data)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # Sessions from before the switch end too.
    assert user.pk and Client().login(username="pat", password=PASSWORD) is False


def test_administrators_map_claims_to_roles(client, force_idp, make_user, force, health_trust):
    from tests.security.otp import sign_in as sign_in_locally

    admin = make_user("boss", force, Role.ADMINISTRATOR)
    sign_in_locally(client, admin)
    page = client.get("/organisation/sign-in/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "harbour-officers" in text and force_idp.issuer in text
    # A role that does not belong in a police force is not offered, and refused.
    response = client.post(
        "/organisation/sign-in/",
        {"claim": "groups", "value": "amhps", "role": Role.AMHP},
    )
    assert response.status_code == 400
    assert not RoleMapping.objects.filter(value="amhps").exists()
    response = client.post(
        "/organisation/sign-in/",
        {"claim": "roles", "value": "Harbour.Custody", "role": Role.CUSTODY_SERGEANT},
    )
    assert response.status_code == 302
    mapping = RoleMapping.objects.get(value="Harbour.Custody")
    assert mapping.organisation == force
    assert mapping.history.get().changed_by == "boss"
    # A duplicate is refused with a message.
    response = client.post(
        "/organisation/sign-in/",
        {"claim": "roles", "value": "Harbour.Custody", "role": Role.CUSTODY_SERGEANT},
    )
    assert response.status_code == 400 and "already gives this role" in response.content.decode()
    # Removing: own organisation's mappings only.
    other = RoleMapping.objects.create(
        organisation=health_trust, claim="groups", value="x", role=Role.PARTNER_USER
    )
    assert client.post(f"/organisation/sign-in/role-mappings/{other.pk}/delete/").status_code == 404
    response = client.post(f"/organisation/sign-in/role-mappings/{mapping.pk}/delete/")
    assert response.status_code == 302
    assert not RoleMapping.objects.filter(pk=mapping.pk).exists()
    assert RoleMapping.objects.filter(pk=other.pk).exists()


def test_roles_from_a_claim_inside_a_list_of_objects(client, trust_idp, oidc_provider):
    """NHS CIS2 puts roles in `nhsid_nrbac_roles`, a list of objects: a dotted claim name."""
    RoleMapping.objects.create(
        organisation=trust_idp.organisation,
        claim="nhsid_nrbac_roles.role_code",
        value="S8000:G8000:R8003",
        role=Role.ADMINISTRATOR,
    )
    response = sign_in(client, oidc_provider, "trust", "dave")
    assert response.status_code == 302
    user = User.objects.get(username="dave.admin")
    assert user.membership.organisation == trust_idp.organisation
    assert user.roles == {Role.ADMINISTRATOR}


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in_again(
    client, force_idp, oidc_provider
):
    sign_in(client, oidc_provider, "midshire", "alice")
    assert client.get("/").status_code == 200
    User.objects.filter(username="alice.officer").update(is_active=False)
    assert client.get("/")["Location"].startswith("/sign-in/")
    response = sign_in(Client(), oidc_provider, "midshire", "alice")
    assert response.status_code == 403


def test_an_id_token_for_another_client_is_refused(client, force_idp, trust_idp, oidc_provider):
    """A real ID token the provider issued to the trust's client, presented as the force's: the
    audience check refuses it (signature, issuer and nonce are all right)."""
    import requests
    from django.core.exceptions import SuspiciousOperation

    from accounts.oidc import OrganisationOIDCBackend
    from tests.oidc_provider.fixtures import CLIENTS

    authorize = start(client, "trust")
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    flow = client.session["oidc_states"][state]
    code = parse_qs(urlsplit(oidc_provider.sign_in(authorize, "alice")).query)["code"][0]
    tokens = requests.post(
        oidc_provider.issuer + "/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver/sign-in/callback/",
            "client_id": "harbour-trust",
            "client_secret": CLIENTS["harbour-trust"],
            "code_verifier": flow["code_verifier"],
        },
        timeout=10,
    ).json()

    def backend_for(idp):
        backend = OrganisationOIDCBackend()
        backend.use_provider(idp)
        return backend

    # The trust's own backend accepts it: the token is good.
    claims = backend_for(trust_idp).verify_token(tokens["id_token"], nonce=flow["nonce"])
    assert claims["aud"] == "harbour-trust"
    with pytest.raises(SuspiciousOperation, match="Audience"):
        backend_for(force_idp).verify_token(tokens["id_token"], nonce=flow["nonce"])
