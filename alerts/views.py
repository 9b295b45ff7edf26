"""The alerts inbox: alerts about what the user's organisation may see, newest deadline first,
filtered open / acknowledged / closed, with an acknowledge button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import resolve

from . import notify, policy, services
from .approvals import APPROVAL_KINDS
from .forms import ChannelsForm
from .models import NOTIFY_CHANNELS, Channel
from .render import describe, subject_reference

FILTERS = {
    "open": (lambda qs: qs.open()),
    "acknowledged": (lambda qs: qs.filter(acknowledged_at__isnull=False)),
    "closed": (lambda qs: qs.filter(closed_at__isnull=False, acknowledged_at__isnull=True)),
    "all": (lambda qs: qs),
}
PAGE_SIZE = 25


def _organisation_id(user):
    return resolve(user).organisation_id


def visible_alerts(user):
    return policy.inbox_alerts(user)


def _subject_url(alert):
    """Where the subject is shown: the detention, the protocol, the officer's training (an
    approval asked: the list of approvals waiting, where it is decided)."""
    if alert.kind in APPROVAL_KINDS:
        return reverse("approvals:waiting")
    if alert.detention_id:
        return alert.detention.get_absolute_url()
    if alert.protocol_id:
        return alert.protocol.get_absolute_url()
    if alert.training_record_id and alert.training_record is not None:
        return reverse("training:officer", args=[alert.training_record.user_id])
    return None


@perm_required(Perm.VIEW_ALERTS)
def inbox(request):
    state = request.GET.get("state", "open")
    if state not in FILTERS:
        state = "open"
    membership = getattr(request.user, "membership", None)
    roles = set(membership.roles) if membership else set()
    org_id = _organisation_id(request.user)
    qs = FILTERS[state](visible_alerts(request.user)).select_related(
        "detention", "referral", "protocol", "training_record__user"
    )
    page = Paginator(qs.order_by("-due_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for alert in page.object_list:
        rows.append(
            {
                "alert": alert,
                "text": describe(alert),
                "for_you": org_id in alert.organisations and bool(roles & set(alert.roles)),
                "subject": subject_reference(alert),
                "subject_url": _subject_url(alert),
            }
        )
    return render(
        request,
        "alerts/inbox.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": [
                ("open", _("Open")),
                ("acknowledged", _("Acknowledged")),
                ("closed", _("Closed")),
                ("all", _("All")),
            ],
            "may_acknowledge": has_perm(request.user, Perm.ACKNOWLEDGE_ALERTS),
        },
    )


@require_POST
@perm_required(Perm.ACKNOWLEDGE_ALERTS)
def acknowledge(request, pk):
    alert = get_object_or_404(visible_alerts(request.user), pk=pk)
    services.acknowledge(alert, by=request.user.get_username())
    messages.success(request, _("Alert acknowledged."))
    target = request.POST.get("next") or reverse("alerts:inbox")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("alerts:inbox")
    return redirect(target)


@login_required
def channels(request):
    """How the signed-in person is told about alerts: email (as ever), GOV.UK Notify email,
    GOV.UK Notify text message (with their UK mobile number). Nothing is chosen for them beyond
    what holds today (email)."""
    user = request.user
    policy.may_set_channels(resolve(user), user).enforce()
    current = services.channels_of(user)
    if request.method == "POST":
        form = ChannelsForm(request.POST)
        if form.is_valid():
            try:
                services.set_channels(
                    user,
                    channels=form.cleaned_data["channels"],
                    mobile_number=form.cleaned_data["mobile_number"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(request, _("Your alert channels are saved."))
                return redirect("alerts:channels")
    else:
        form = ChannelsForm(initial={"channels": current, "mobile_number": user.mobile_number})
    selected = set(form["channels"].value() or [])
    options = []
    for i, (value, label) in enumerate(Channel.choices):
        unavailable = notify.unavailable_reason(value)
        if unavailable:
            hint = _("Unavailable: %(why)s") % {"why": unavailable}
        elif value == Channel.NOTIFY_SMS:
            hint = _("To the mobile number below.")
        elif user.email:
            hint = _("To %(email)s") % {"email": user.email}
        else:
            hint = _("Your account has no email address.")
        options.append(
            {
                "value": value,
                "label": label,
                "checked": value in selected,
                "disabled": bool(unavailable),
                "hint": hint,
                "id": form["channels"].auto_id + f"_{i}",
            }
        )
    return render(
        request,
        "alerts/channels.html",
        {
            "form": form,
            "options": options,
            "notify_missing": any(not notify.available(c) for c in NOTIFY_CHANNELS),
            "not_configured": notify.NOT_CONFIGURED if not notify.config().get("API_KEY") else "",
        },
    )
