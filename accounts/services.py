"""The one door for changes to organisations, users and API keys."""

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from .models import NPU, ApiKey, Membership, Organisation, User
from .roles import SCOPES, OrganisationKind


class AccountsError(ValueError):
    pass


@transaction.atomic
def ensure_organisation(slug: str, name: str, kind: str, npus=()) -> tuple[Organisation, bool]:
    if kind not in OrganisationKind.values:
        raise AccountsError(
            f"Unknown kind {kind!r}; choose one of: {', '.join(OrganisationKind.values)}"
        )
    if slug != slugify(slug):
        raise AccountsError(f"{slug!r} is not a valid slug (lower case letters, digits, hyphens).")
    org, created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind}
    )
    if not created and (org.name != name or org.kind != kind):
        org.name, org.kind = name, kind
        org.save()
    if npus and kind != OrganisationKind.POLICE_FORCE:
        raise AccountsError("Only a police force has NPUs.")
    for code, npu_name in npus:
        npu, made = NPU.objects.get_or_create(force=org, code=code, defaults={"name": npu_name})
        if not made and npu.name != npu_name:
            npu.name = npu_name
            npu.save()
    return org, created


@transaction.atomic
def ensure_user(
    username,
    *,
    organisation,
    roles,
    password,
    display_name="",
    npu=None,
    rank="",
    is_staff=False,
    is_superuser=False,
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "is_staff": is_staff, "is_superuser": is_superuser},
    )
    if created:
        user.set_password(password)
        user.save()
    membership = getattr(user, "membership", None) if not created else None
    if membership is None:
        membership = Membership(
            user=user, organisation=organisation, roles=list(roles), npu=npu, rank=rank
        )
        membership.full_clean()
        membership.save()
    elif (
        membership.organisation_id,
        list(membership.roles),
        membership.npu_id,
        membership.rank,
    ) != (organisation.pk, list(roles), npu.pk if npu else None, rank):
        membership.organisation, membership.roles, membership.npu, membership.rank = (
            organisation,
            list(roles),
            npu,
            rank,
        )
        membership.full_clean()
        membership.save()
    return user


def parse_scopes(text: str) -> list[str]:
    scopes = sorted({s.strip() for s in text.split(",") if s.strip()})
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise AccountsError(f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(SCOPES)}")
    if not scopes:
        raise AccountsError("Give at least one scope.")
    return scopes


@transaction.atomic
def issue_api_key(
    organisation: Organisation, name: str, scopes: list[str], created_by=None, expiry_date=None
) -> tuple[ApiKey, str]:
    """Returns the key and its secret, which is shown once and never stored."""
    key, secret = ApiKey.objects.create_key(
        name=name,
        organisation=organisation,
        scopes=scopes,
        created_by=created_by,
        expiry_date=expiry_date,
    )
    return key, secret


@transaction.atomic
def rotate_api_key(key: ApiKey, *, overlap=None, created_by=None, now=None) -> tuple[ApiKey, str]:
    """Issues a new key with the same name, organisation and scopes; the old one keeps working
    for `overlap` (default settings.HARBOUR["API_KEY_ROTATION_OVERLAP"], 24 hours) and is then
    revoked by `accounts.tasks.revoke_expired_api_keys`. Returns the new key and its secret."""
    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    if overlap is None:
        overlap = settings.HARBOUR["API_KEY_ROTATION_OVERLAP"]
    old = ApiKey.objects.select_for_update().get(pk=key.pk)
    if old.revoked:
        raise AccountsError("A revoked key cannot be rotated.")
    new_key, secret = issue_api_key(
        old.organisation, old.name, list(old.scopes), created_by=created_by
    )
    ends = now + overlap
    if old.expiry_date is None or old.expiry_date > ends:
        old.expiry_date = ends
        old._change_reason = f"rotated: replaced by {new_key.prefix}"
        old.save(update_fields=["expiry_date"])
        if overlap.total_seconds() <= 0:
            revoke_api_key(old)
    return new_key, secret


@transaction.atomic
def revoke_api_key(key: ApiKey) -> ApiKey:
    """Revokes a key at once (it stops working on its next request)."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if not key.revoked:
        key.revoked = True
        key._change_reason = "revoked"
        key.save(update_fields=["revoked"])
    return key


@transaction.atomic
def set_mobile_number(user: User, number: str) -> User:
    """Stores the user's UK mobile number (for alerts by text message) as +447XXXXXXXXX; an
    empty value removes it. ValidationError (what to type) when it is not a UK mobile."""
    from .phone import normalise_uk_mobile

    normalised = normalise_uk_mobile(number)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.mobile_number != normalised:
        user.mobile_number = normalised
        user.save(update_fields=["mobile_number"])
    return user


def set_preferred_language(user: User, code: str) -> User:
    """The language the service speaks to `user` (one of LANGUAGES, or "" for the browser's);
    recorded in the user's history."""
    codes = {c for c, _name in settings.LANGUAGES}
    if code and code not in codes:
        raise ValueError(f"unknown language {code!r}")
    if user.preferred_language != code:
        with transaction.atomic():
            user.preferred_language = code
            user._change_reason = "Preferred language changed"
            user.save(update_fields=["preferred_language"])
    return user
