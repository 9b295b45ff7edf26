"""Two-factor pages: set up an authenticator app, and the second step of signing in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token

from core.security import otp_required, otp_verified

from . import otp


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": gettext_lazy("Enter the 6-digit code from your authenticator app"),
            "invalid": gettext_lazy("Enter the code as 6 digits, like 123456"),
        },
    )

    def clean_otp_token(self):
        return self.cleaned_data["otp_token"].strip()


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the user's confirmed device."""
    if not otp.has_confirmed_device(request.user):
        return redirect("otp-setup")
    if otp_verified(request):
        return redirect(_next_url(request) or "home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request) or "home")
        form.add_error(
            "otp_token",
            _("The code is not right or has expired. Enter the code your app shows now"),
        )
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=200 if not form.errors else 400,
    )


@never_cache
@login_required
def setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm a code."""
    user = request.user
    if otp.has_confirmed_device(user):
        if not otp_verified(request):
            return redirect("otp-verify")
        return render(
            request,
            "registration/otp_setup.html",
            {"enabled": True, "required": otp_required(user)},
        )
    device = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(_next_url(request) or "home")
        form.add_error(
            "otp_token",
            _("The code is not right. Check the key and enter the code your app shows now"),
        )
    return render(
        request,
        "registration/otp_setup.html",
        {
            "enabled": False,
            "required": otp_required(user),
            "form": form,
            "qr": otp.qr_data_uri(device),
            "key": otp.grouped(otp.base32_key(device)),
            "next": _next_url(request),
        },
        status=200 if not form.errors else 400,
    )


urlpatterns = [
    path("", setup, name="otp-setup"),
    path("verify/", verify, name="otp-verify"),
]
