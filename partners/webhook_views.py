"""Webhook subscriptions, self-service for an organisation's administrators
(Perm.MANAGE_ORGANISATION), under /organisation/webhooks/. The signing secret is shown once."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.permissions import Perm, perm_required
from accounts.principal import principal_of

from . import policy, webhooks
from .models import SUBSCRIBABLE_EVENTS, WebhookEvent

SECRET_SESSION_KEY = "harbour_new_webhook_secret"


class SubscriptionForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        error_messages={"required": gettext_lazy("Give the subscription a name.")},
    )
    url = forms.CharField(
        label=gettext_lazy("Address (https://)"),
        max_length=500,
        help_text=gettext_lazy("Harbour will POST signed JSON to this address."),
        error_messages={"required": gettext_lazy("Give the https:// address.")},
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=[(c, label) for c, label in WebhookEvent.choices if c in SUBSCRIBABLE_EVENTS],
        help_text=gettext_lazy(
            "Choose each event your system needs; Harbour sends only those, and only about "
            "records your organisation may see."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event.")},
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            forms.URLField(assume_scheme="https").clean(url)
            webhooks.validate_webhook_scheme(url)
        except ValidationError as exc:
            raise ValidationError(_("Give an https:// address.")) from exc
        webhooks.validate_webhook_url(url)
        return url


def _org(request):
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.organisation


@perm_required(Perm.MANAGE_ORGANISATION)
def subscription_list(request):
    subs = list(policy.visible_webhooks(principal_of(request)).order_by("-active", "name"))
    recent = list(
        policy.visible_webhook_deliveries(principal_of(request))
        .select_related("subscription")
        .order_by("-created_at", "-id")[:20]
    )
    return render(request, "partners/webhooks.html", {"subscriptions": subs, "deliveries": recent})


@perm_required(Perm.MANAGE_ORGANISATION)
def subscription_new(request):
    org = _org(request)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sub, secret = webhooks.create_subscription(
            org,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            created_by=request.user,
        )
        request.session[SECRET_SESSION_KEY] = {"pk": sub.pk, "secret": secret}
        return redirect("webhook-secret", pk=sub.pk)
    return render(
        request, "partners/webhook_new.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@perm_required(Perm.MANAGE_ORGANISATION)
def subscription_secret(request, pk):
    sub = get_object_or_404(policy.visible_webhooks(principal_of(request)), pk=pk)
    stash = request.session.get(SECRET_SESSION_KEY)
    secret = None
    if stash and stash.get("pk") == sub.pk:
        secret = stash["secret"]
        del request.session[SECRET_SESSION_KEY]
    return render(request, "partners/webhook_secret.html", {"sub": sub, "secret": secret})


@perm_required(Perm.MANAGE_ORGANISATION)
def subscription_test(request, pk):
    """Send a test event: queued like any event, its outcome shown in the recent deliveries."""
    sub = get_object_or_404(policy.visible_webhooks(principal_of(request)), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        webhooks.send_test_event(sub)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A test event is on its way to %(name)s; its outcome appears below.")
            % {"name": sub.name},
        )
    return redirect("webhooks")


@perm_required(Perm.MANAGE_ORGANISATION)
def subscription_deactivate(request, pk):
    sub = get_object_or_404(policy.visible_webhooks(principal_of(request)), pk=pk)
    if request.method == "POST":
        webhooks.deactivate_subscription(sub)
        messages.success(
            request, _("The subscription %(name)s is turned off.") % {"name": sub.name}
        )
        return redirect("webhooks")
    return render(request, "partners/webhook_deactivate.html", {"sub": sub})
