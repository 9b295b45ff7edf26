import contextlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from core.history import HarbourHistory

from .phone import normalise_uk_mobile, validate_uk_mobile
from .roles import ROLE_ORGANISATION_KINDS, SCOPES, OrganisationKind, Role


class Organisation(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    active = models.BooleanField(_("active"), default=True)
    local_passwords_allowed = models.BooleanField(
        _("local passwords allowed"),
        default=True,
        help_text=_(
            "Untick once everyone signs in with the organisation's identity provider: its users "
            "can then no longer sign in with a Harbour password."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def is_police_force(self) -> bool:
        return self.kind == OrganisationKind.POLICE_FORCE


class NPU(models.Model):
    """A neighbourhood policing unit of a police force."""

    force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="npus",
        limit_choices_to={"kind": OrganisationKind.POLICE_FORCE},
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", _("Use capital letters, digits and hyphens."))],
    )
    name = models.CharField(_("name"), max_length=200)

    history = HarbourHistory()

    class Meta:
        ordering = ["force", "code"]
        verbose_name = _("neighbourhood policing unit")
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="npu_unique_code_per_force")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.force_id and self.force.kind != OrganisationKind.POLICE_FORCE:
            raise ValidationError({"force": _("NPUs belong to a police force.")})


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    collar_number = models.CharField(_("collar or staff number"), max_length=30, blank=True)
    # For alerts by text message (GOV.UK Notify): a UK mobile, stored as +447XXXXXXXXX
    # (accounts.phone); set by the user on the alert channels page or by an administrator.
    mobile_number = models.CharField(
        _("UK mobile number"), max_length=16, blank=True, validators=[validate_uk_mobile]
    )
    # The language the service speaks to this user (pages, emails); blank: the browser's
    # choice. Set by the header's language switcher (accounts.language).
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
    )

    history = HarbourHistory(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def clean(self):
        super().clean()
        # One stored form (+447...) whichever way it was typed (the admin's user page).
        with contextlib.suppress(ValidationError):  # the field's validator says what is wrong
            self.mobile_number = normalise_uk_mobile(self.mobile_number)

    @property
    def organisation(self):
        membership = getattr(self, "membership", None)
        return membership.organisation if membership else None

    @property
    def roles(self) -> frozenset[str]:
        membership = getattr(self, "membership", None)
        return frozenset(membership.roles) if membership else frozenset()


class Membership(models.Model):
    """A user's membership of exactly one organisation, with one or more roles."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    roles = ArrayField(
        models.CharField(max_length=40, choices=Role.choices), verbose_name=_("roles")
    )
    npu = models.ForeignKey(
        NPU,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("For police users: their home NPU."),
    )
    rank = models.CharField(_("rank"), max_length=40, blank=True)

    history = HarbourHistory()

    class Meta:
        verbose_name = _("membership")

    def __str__(self):
        return f"{self.user} @ {self.organisation}"

    def role_labels(self) -> list[str]:
        return [Role(r).label if r in Role.values else r for r in self.roles]

    def clean(self):
        errors = []
        if not self.roles:
            errors.append(_("Give the user at least one role."))
        for role in self.roles or []:
            if role not in Role.values:
                errors.append(_("Unknown role: %(role)s") % {"role": role})
            elif (
                self.organisation_id and self.organisation.kind not in ROLE_ORGANISATION_KINDS[role]
            ):
                errors.append(
                    _("The role %(role)s does not belong in a %(kind)s.")
                    % {"role": Role(role).label, "kind": self.organisation.get_kind_display()}
                )
        if self.npu_id and self.npu.force_id != self.organisation_id:
            errors.append(_("The NPU must belong to the user's own force."))
        if errors:
            raise ValidationError({"roles": errors})


def validate_scopes(value):
    unknown = sorted(set(value) - set(SCOPES))
    if unknown:
        raise ValidationError(_("Unknown scope(s): %(s)s") % {"s": ", ".join(unknown)})


class ApiKeyManager(BaseAPIKeyManager):
    pass


class ApiKey(AbstractAPIKey):
    """A partner system's key: one organisation, scopes, stored hashed (shown once)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys"
    )
    scopes = ArrayField(models.CharField(max_length=40), default=list, validators=[validate_scopes])
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiKeyManager()
    history = HarbourHistory(excluded_fields=["last_used_at"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


# --- Sign-in with the organisation's identity provider (OpenID Connect; accounts/oidc.py) ----


class SigningAlgorithm(models.TextChoices):
    RS256 = "RS256", "RS256"
    PS256 = "PS256", "PS256"
    ES256 = "ES256", "ES256"


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider (Entra ID, NHS CIS2, a council's provider).

    The client secret is never stored here: `client_secret_env` names the environment variable
    that holds it. Endpoints come from the discovery document unless given explicitly.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="identity_providers"
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Used in URLs."))
    name = models.CharField(
        _("button label"),
        max_length=100,
        blank=True,
        help_text=_('Shown as "Sign in with ..."; the organisation\'s name when blank.'),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_("Exactly as in the ID token's iss claim (and the discovery document)."),
    )
    discovery_url = models.URLField(
        _("discovery document"),
        max_length=300,
        blank=True,
        help_text=_(
            "Usually the issuer followed by /.well-known/openid-configuration. Leave blank to "
            "give the endpoints below."
        ),
    )
    authorization_endpoint = models.URLField(max_length=300, blank=True)
    token_endpoint = models.URLField(max_length=300, blank=True)
    userinfo_endpoint = models.URLField(max_length=300, blank=True)
    jwks_uri = models.URLField(_("JWKS URI"), max_length=300, blank=True)
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_env = models.CharField(
        _("client secret environment variable"),
        max_length=100,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Use an environment variable name."))],
        help_text=_("The name of the environment variable holding the client secret."),
    )
    token_auth_basic = models.BooleanField(
        _("send the client secret with HTTP Basic"),
        default=False,
        help_text=_("client_secret_basic; otherwise client_secret_post."),
    )
    signing_algorithm = models.CharField(
        _("ID token signing algorithm"),
        max_length=10,
        choices=SigningAlgorithm.choices,
        default=SigningAlgorithm.RS256,
    )
    scopes = models.CharField(_("scopes"), max_length=300, default="openid profile email")
    username_claim = models.CharField(
        _("username claim"),
        max_length=60,
        default="preferred_username",
        help_text=_("The claim that names a new user (preferred_username, upn, email...)."),
    )
    email_claim = models.CharField(_("email claim"), max_length=60, default="email")
    mfa_acr_values = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("acr values that assert a second factor"),
        help_text=_(
            "Comma-separated. A sign-in whose acr is one of these skips Harbour's own code; so "
            "does one whose amr names a second factor (mfa, otp, hwk...)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["organisation__name", "slug"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or self.organisation.name


class RoleMapping(models.Model):
    """A claim value that gives a role to the organisation's users who sign in with its
    identity provider (for example groups = "Harbour-Custody" -> custody sergeant)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_mappings"
    )
    claim = models.CharField(
        _("claim"),
        max_length=60,
        default="groups",
        validators=[RegexValidator(r"^[A-Za-z0-9_:./-]+$", _("Use the claim's name."))],
    )
    value = models.CharField(_("value"), max_length=200)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)

    history = HarbourHistory()

    class Meta:
        ordering = ["organisation", "claim", "value", "role"]
        verbose_name = _("role mapping")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "claim", "value", "role"], name="role_mapping_unique"
            )
        ]

    def __str__(self):
        return f"{self.claim} = {self.value} -> {self.role}"

    def clean(self):
        if (
            self.organisation_id
            and self.role in Role.values
            and self.organisation.kind not in ROLE_ORGANISATION_KINDS[self.role]
        ):
            raise ValidationError(
                {
                    "role": _("The role %(role)s does not belong in a %(kind)s.")
                    % {"role": Role(self.role).label, "kind": self.organisation.get_kind_display()}
                }
            )


class ExternalIdentity(models.Model):
    """A user's account at an identity provider: the (issuer, subject) pair, unique. A user is
    matched by this pair only, never by email."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    history = HarbourHistory(excluded_fields=["last_sign_in_at"])

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")
        ]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class IdentityProviderDevice(Device):
    """The second factor asserted by an identity provider (amr/acr) for one user.

    Never verifies a code: a sign-in through the provider that asserts a second factor puts it in
    the session (django-otp's `otp_device`), which is how the local TOTP step marks a session
    verified too (core.security.otp_verified).
    """

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    history = HarbourHistory()

    class Meta:
        verbose_name = _("identity provider second factor")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="idp_device_unique")
        ]

    def verify_token(self, token):
        return False
