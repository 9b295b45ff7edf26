from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from core.history import HarbourHistory

from .roles import ROLE_ORGANISATION_KINDS, SCOPES, OrganisationKind, Role


class Organisation(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    active = models.BooleanField(_("active"), default=True)
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

    history = HarbourHistory(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

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
