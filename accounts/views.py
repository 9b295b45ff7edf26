"""API key self-service for an organisation's administrators (Perm.MANAGE_ORGANISATION).

Keys are listed, issued, rotated and revoked only within the administrator's own organisation;
another organisation's key is 404. A new key's secret is shown once: it is kept in the session
only until the next page has shown it.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .models import ApiKey
from .permissions import Perm, perm_required
from .roles import SCOPES
from .services import AccountsError, issue_api_key, revoke_api_key, rotate_api_key

SECRET_SESSION_KEY = "harbour_new_api_key"

OVERLAPS = {
    "0": timedelta(0),
    "1": timedelta(hours=1),
    "24": timedelta(hours=24),
    "168": timedelta(days=7),
}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        help_text=gettext_lazy("Which system uses it, for example 'Custody system (live)'."),
        error_messages={"required": gettext_lazy("Give the key a name.")},
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What the key may do"),
        choices=[(s, s) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )


class RotateForm(forms.Form):
    overlap = forms.ChoiceField(
        label=gettext_lazy("How long should the old key keep working?"),
        choices=[
            ("0", gettext_lazy("Stop it now")),
            ("1", gettext_lazy("1 hour")),
            ("24", gettext_lazy("24 hours")),
            ("168", gettext_lazy("7 days")),
        ],
        initial="24",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how long the old key keeps working.")},
    )


def _organisation(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def _key(request, prefix) -> ApiKey:
    return get_object_or_404(ApiKey, prefix=prefix, organisation=_organisation(request))


@perm_required(Perm.MANAGE_ORGANISATION)
def key_list(request):
    org = _organisation(request)
    keys = list(ApiKey.objects.filter(organisation=org).order_by("revoked", "name", "-created"))
    return render(request, "accounts/api_keys.html", {"keys": keys, "organisation": org})


@perm_required(Perm.MANAGE_ORGANISATION)
def key_new(request):
    org = _organisation(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, secret = issue_api_key(
            org,
            form.cleaned_data["name"],
            sorted(form.cleaned_data["scopes"]),
            created_by=request.user,
        )
        request.session[SECRET_SESSION_KEY] = {"prefix": key.prefix, "secret": secret}
        return redirect("api-key-secret", prefix=key.prefix)
    return render(
        request, "accounts/api_key_new.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@perm_required(Perm.MANAGE_ORGANISATION)
def key_secret(request, prefix):
    key = _key(request, prefix)
    stash = request.session.get(SECRET_SESSION_KEY)
    secret = None
    if stash and stash.get("prefix") == key.prefix:
        secret = stash["secret"]
        del request.session[SECRET_SESSION_KEY]  # shown once
    return render(request, "accounts/api_key_secret.html", {"key": key, "secret": secret})


@perm_required(Perm.MANAGE_ORGANISATION)
def key_rotate(request, prefix):
    key = _key(request, prefix)
    form = RotateForm(request.POST or None)
    if key.revoked:
        messages.error(request, _("A revoked key cannot be rotated. Issue a new key instead."))
        return redirect("api-keys")
    if request.method == "POST" and form.is_valid():
        try:
            new_key, secret = rotate_api_key(
                key, overlap=OVERLAPS[form.cleaned_data["overlap"]], created_by=request.user
            )
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            request.session[SECRET_SESSION_KEY] = {"prefix": new_key.prefix, "secret": secret}
            return redirect("api-key-secret", prefix=new_key.prefix)
    return render(
        request,
        "accounts/api_key_rotate.html",
        {"key": key, "form": form},
        status=400 if form.errors else 200,
    )


@perm_required(Perm.MANAGE_ORGANISATION)
def key_revoke(request, prefix):
    key = _key(request, prefix)
    if request.method == "POST":
        revoke_api_key(key)
        messages.success(request, _("The key %(name)s is revoked.") % {"name": key.name})
        return redirect("api-keys")
    return render(request, "accounts/api_key_revoke.html", {"key": key})
