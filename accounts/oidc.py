"""Sign-in with the organisation's identity provider (OpenID Connect, mozilla-django-oidc).

mozilla-django-oidc is configured for one provider by settings; here each organisation has its
own `IdentityProvider` row. The provider chosen on the sign-in page is remembered with the
library's state in the session (`oidc_states[state]["provider"]`), and the callback hands it to
the backend on the request, so every library setting that names the provider (endpoints, client
id and secret, algorithm, scopes) is answered from that row.

- The authorisation code flow with PKCE (S256), state and nonce (the library's).
- The ID token is verified by the library against the provider's JWKS (signature, exp, nonce);
  `_verify_jws` also requires iss to be the provider's issuer and aud to include its client id.
- Users are matched by (issuer, subject) only (`ExternalIdentity`), never by email; a new
  subject is provisioned into the provider's organisation. An identity that belongs to a user of
  another organisation is refused.
- Roles come from the organisation's `RoleMapping` rows (claim, value -> role) on every sign-in;
  a user whose claims map to no role is refused with a page that says so.
- A second factor asserted by the provider (`amr` naming one, or `acr` in the provider's list)
  marks the session verified through django-otp (an `IdentityProviderDevice`), so the local TOTP
  step is skipped; otherwise it applies as after a password.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from core.actor import acting_as, system_actor

from .models import (
    ExternalIdentity,
    IdentityProvider,
    IdentityProviderDevice,
    Membership,
    RoleMapping,
)
from .roles import ROLE_ORGANISATION_KINDS, Role

log = logging.getLogger(__name__)

# amr values (RFC 8176) that show the provider checked more than a password.
MFA_AMR_VALUES = frozenset(
    {"mfa", "otp", "hwk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm", "sc", "rba"}
)
DISCOVERY_CACHE_SECONDS = 3600


class SignInRefused(Exception):
    """The provider's answer was valid but Harbour will not let this person in."""

    def __init__(self, message: str, *, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


# --- The provider's configuration --------------------------------------------------------------


def discovery(provider: IdentityProvider) -> dict:
    """The provider's discovery document (cached), checked to name the configured issuer."""
    key = f"oidc-discovery:{provider.pk}:{provider.discovery_url}"
    doc = cache.get(key)
    if doc is None:
        response = requests.get(provider.discovery_url, timeout=_timeout())
        response.raise_for_status()
        doc = response.json()
        if doc.get("issuer") != provider.issuer:
            raise SignInRefused(
                _("The identity provider's discovery document names another issuer."),
                status=502,
            )
        cache.set(key, doc, DISCOVERY_CACHE_SECONDS)
    return doc


def endpoints(provider: IdentityProvider) -> dict[str, str]:
    explicit = {
        "authorization_endpoint": provider.authorization_endpoint,
        "token_endpoint": provider.token_endpoint,
        "userinfo_endpoint": provider.userinfo_endpoint,
        "jwks_uri": provider.jwks_uri,
    }
    if provider.discovery_url and not all(
        explicit[k] for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
    ):
        doc = discovery(provider)
        return {k: v or doc.get(k, "") for k, v in explicit.items()}
    return explicit


def client_secret(provider: IdentityProvider) -> str:
    secret = os.environ.get(provider.client_secret_env, "")
    if not secret:
        log.error("identity provider %s: %s is not set", provider.slug, provider.client_secret_env)
        raise SignInRefused(
            _("Sign-in with %(name)s is not set up completely. Tell your administrator.")
            % {"name": provider.label},
            status=503,
        )
    return secret


def _timeout() -> int:
    return import_from_settings("OIDC_TIMEOUT", 10)


def provider_settings(provider: IdentityProvider, *, with_secret: bool) -> dict:
    """mozilla-django-oidc's settings for one provider."""
    ends = endpoints(provider)
    values = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": ends["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": ends["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": ends["userinfo_endpoint"] or None,
        "OIDC_OP_JWKS_ENDPOINT": ends["jwks_uri"],
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_SIGN_ALGO": provider.signing_algorithm,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_TOKEN_USE_BASIC_AUTH": provider.token_auth_basic,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
    }
    if with_secret:
        values["OIDC_RP_CLIENT_SECRET"] = client_secret(provider)
    return values


def active_providers():
    return IdentityProvider.objects.filter(active=True, organisation__active=True).select_related(
        "organisation"
    )


# --- Roles and the second factor ---------------------------------------------------------------


def _claim_values(claims: dict, name: str) -> set[str]:
    """The claim's values as strings. A dotted name reaches into objects, through lists:
    `nhsid_nrbac_roles.role_code` is every role_code of NHS CIS2's list of role objects."""
    values = [claims[name]] if name in claims else [claims]
    parts = [] if name in claims else name.split(".")
    for part in parts:
        values = [v.get(part) for v in _flatten(values) if isinstance(v, dict)]
    return {str(v) for v in _flatten(values) if v is not None and not isinstance(v, dict)}


def _flatten(values):
    for v in values:
        if isinstance(v, list | tuple):
            yield from v
        else:
            yield v


def mapped_roles(organisation, claims: dict) -> list[str]:
    roles = set()
    for mapping in RoleMapping.objects.filter(organisation=organisation):
        if mapping.value in _claim_values(claims, mapping.claim) and (
            organisation.kind in ROLE_ORGANISATION_KINDS.get(mapping.role, ())
        ):
            roles.add(mapping.role)
    return [r for r in Role.values if r in roles]  # a stable order


def asserts_second_factor(provider: IdentityProvider, claims: dict) -> bool:
    if _claim_values(claims, "amr") & MFA_AMR_VALUES:
        return True
    acr = claims.get("acr")
    return bool(acr) and str(acr) in set(provider.mfa_acr_values)


# --- The backend -------------------------------------------------------------------------------


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, answering for the provider chosen on the sign-in page."""

    def __init__(self, *args, **kwargs):
        # The library reads one provider's endpoints from settings here; they are per provider.
        self.UserModel = get_user_model()
        self.provider = None
        self._provider_settings = {}

    def get_settings(self, attr, *args):
        if attr in self._provider_settings:
            return self._provider_settings[attr]
        return import_from_settings(attr, *args)

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "harbour_oidc_provider", None) if request else None
        if provider is None or "nonce" not in kwargs:
            return None  # a password sign-in, or not a callback this backend started
        self.use_provider(provider)
        return super().authenticate(request, **kwargs)

    def use_provider(self, provider: IdentityProvider) -> None:
        """Answer the library's settings (read as attributes or get_settings) for `provider`."""
        self.provider = provider
        self._provider_settings = provider_settings(provider, with_secret=True)
        for attr, value in self._provider_settings.items():
            setattr(self, attr, value)

    def _verify_jws(self, payload, key):
        """The library checks the signature (key from the JWKS) and exp; iss and aud too here."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token's algorithm is not the provider's.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=import_from_settings("OIDC_CLOCK_LEEWAY_SECONDS", 30),
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's (when there is one) added; the
        userinfo answer must be about the same subject (OIDC Core 5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject")
            claims = {**info, **payload}
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        provider = self.provider
        organisation = provider.organisation
        with acting_as(system_actor(f"sign-in:{provider.slug}")), transaction.atomic():
            identity = (
                ExternalIdentity.objects.select_for_update(of=("self",))
                .select_related("user__membership")
                .filter(issuer=payload["iss"], subject=str(payload["sub"]))
                .first()
            )
            if identity is not None:
                user = identity.user
                membership = getattr(user, "membership", None)
                if membership is None or membership.organisation_id != organisation.pk:
                    log.warning(
                        "sign-in refused: %s@%s belongs to another organisation than %s",
                        identity.subject,
                        identity.issuer,
                        organisation.slug,
                    )
                    raise SignInRefused(
                        _(
                            "Your account at this identity provider belongs to another "
                            "organisation in Harbour. Sign in with that organisation's button."
                        )
                    )
            roles = mapped_roles(organisation, claims)
            if not roles:
                raise SignInRefused(
                    _(
                        "You signed in at %(name)s, but your account there gives you no role in "
                        "Harbour. Ask your organisation's Harbour administrator to map your group "
                        "to a role."
                    )
                    % {"name": provider.label}
                )
            if identity is None:
                user = self._provision(claims, roles)
                identity = ExternalIdentity.objects.create(
                    user=user,
                    provider=provider,
                    issuer=payload["iss"],
                    subject=str(payload["sub"]),
                )
            else:
                self._update(user, claims, roles)
            ExternalIdentity.objects.filter(pk=identity.pk).update(last_sign_in_at=timezone.now())
            if asserts_second_factor(provider, claims):
                device, _created = IdentityProviderDevice.objects.get_or_create(
                    user=user,
                    provider=provider,
                    defaults={"name": _("Second factor at %(p)s") % {"p": provider.label}},
                )
                # django-otp's login signal keeps it in the session (accounts/otp.py's way).
                user.otp_device = device
        return user

    def get_user(self, user_id):
        """The session's user, while they are active (the library's does not check), with the
        membership and its organisation in the same query (every request asks for them)."""
        users = self.UserModel._default_manager.select_related("membership__organisation")
        user = users.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def _username(self, claims: dict) -> str:
        base = str(claims.get(self.provider.username_claim) or claims["sub"])[:120]
        candidate = base
        n = 1
        while self.UserModel.objects.filter(username__iexact=candidate).exists():
            n += 1
            candidate = f"{base}.{self.provider.organisation.slug}" + (f".{n}" if n > 2 else "")
        return candidate

    def _names(self, claims: dict) -> dict:
        return {
            "email": str(claims.get(self.provider.email_claim) or "")[:254],
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
            "display_name": str(claims.get("name") or "")[:200],
        }

    def _provision(self, claims: dict, roles: list[str]):
        user = self.UserModel(username=self._username(claims), **self._names(claims))
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organisation=self.provider.organisation, roles=roles)
        return user

    def _update(self, user, claims: dict, roles: list[str]):
        names = self._names(claims)
        changed = [f for f, v in names.items() if v and getattr(user, f) != v]
        for f in changed:
            setattr(user, f, names[f])
        if changed:
            user.save(update_fields=changed)
        membership = user.membership
        if list(membership.roles) != roles:
            membership.roles = roles
            membership.save(update_fields=["roles"])


# --- The views ---------------------------------------------------------------------------------


def refused(request, message: str, status: int = 403):
    return render(
        request,
        "registration/sign_in_refused.html",
        {"message": message, "providers": active_providers()},
        status=status,
    )


class ProviderSignInView(OIDCAuthenticationRequestView):
    """Starts the flow for the provider named in the URL (the library's view)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self._provider_settings = {}

    def get_settings(self, attr, *args):
        if attr in self._provider_settings:
            return self._provider_settings[attr]
        return import_from_settings(attr, *args)

    def get(self, request, slug):
        provider = active_providers().filter(slug=slug).first()
        if provider is None:
            raise Http404
        try:
            self._provider_settings = provider_settings(provider, with_secret=False)
        except (requests.RequestException, ValueError):
            log.exception("identity provider %s: discovery failed", provider.slug)
            return refused(
                request,
                _("%(name)s cannot be reached just now. Try again in a few minutes.")
                % {"name": provider.label},
                status=503,
            )
        except SignInRefused as exc:
            return refused(request, exc.message, exc.status)
        self.OIDC_OP_AUTH_ENDPOINT = self._provider_settings["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        # The library has just stored this flow's state; remember which provider it is for.
        state = _state_of(response["Location"])
        request.session["oidc_states"][state]["provider"] = provider.pk
        request.session.modified = True
        return response


def _state_of(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["state"][0]


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """The library's callback, with the provider taken from the state in the session, and every
    refusal answered with a page that says what happened (never a 500)."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def get(self, request):
        if request.GET.get("error"):
            super().get(request)  # forgets the state
            return refused(
                request,
                _("The identity provider did not sign you in (%(error)s).")
                % {"error": request.GET.get("error", "")[:100]},
                status=400,
            )
        state = request.GET.get("state", "")
        flow = request.session.get("oidc_states", {}).get(state)
        if not request.GET.get("code") or not isinstance(flow, dict) or "provider" not in flow:
            return refused(
                request,
                _(
                    "This sign-in link is not valid or has already been used. Start again from "
                    "the sign-in page."
                ),
                status=400,
            )
        provider = active_providers().filter(pk=flow["provider"]).first()
        if provider is None:
            return refused(request, _("Sign-in with this provider is switched off."), status=400)
        request.harbour_oidc_provider = provider
        try:
            response = super().get(request)
        except SignInRefused as exc:
            return refused(request, exc.message, exc.status)
        except IntegrityError:
            # The same person's first sign-in twice at once: the other one created the user.
            return refused(request, _("Sign-in did not finish. Start again."), status=409)
        except SuspiciousOperation as exc:
            log.warning("sign-in with %s refused: %s", provider.slug, exc)
            return refused(
                request,
                _("The identity provider's answer could not be verified. Start again."),
                status=400,
            )
        except requests.RequestException as exc:
            log.warning("sign-in with %s failed: %s", provider.slug, exc)
            status = getattr(getattr(exc, "response", None), "status_code", None)
            return refused(
                request,
                _("%(name)s did not confirm the sign-in. Start again.") % {"name": provider.label}
                if status
                else _("%(name)s cannot be reached just now. Try again in a few minutes.")
                % {"name": provider.label},
                status=400 if status else 503,
            )
        user = getattr(self, "user", None)
        if user is None or not user.is_active:
            return refused(
                request, _("Harbour could not sign you in with this account."), status=403
            )
        return response


def sign_in_url(provider: IdentityProvider, next_url: str = "") -> str:
    from django.urls import reverse

    url = reverse("oidc-start", args=[provider.slug])
    return url + ("?" + urlencode({"next": next_url}) if next_url else "")
