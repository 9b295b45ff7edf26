"""Referral pages: partner inbox, police outbox, send a referral, a referral with its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from detentions import policy as detention_policy
from incidents import policy as incidents_policy

from . import policy, services
from .forms import ReferralForm, StatusForm
from .models import Referral, ReferralStatus, ReferralStatusChange

LIST_LIMIT = 200


def _org_id(request):
    org_id = principal_of(request).organisation_id
    if org_id is None:
        raise PermissionDenied
    return org_id


def _box(request, template, **filters):
    """The inbox or outbox: the latest referrals matching `filters`, optionally of one status."""
    qs = (
        Referral.objects.filter(**filters)
        .select_related("person", "from_organisation", "to_organisation")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status")
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        template,
        {
            "referrals": list(qs[:LIST_LIMIT]),
            "status": status,
            "statuses": ReferralStatus.choices,
            "now": timezone.now(),
        },
    )


@perm_required(Perm.VIEW_REFERRALS)
def inbox(request):
    return _box(request, "partners/inbox.html", to_organisation_id=_org_id(request))


@perm_required(Perm.VIEW_REFERRALS)
def outbox(request):
    return _box(request, "partners/outbox.html", from_organisation_id=_org_id(request))


def _visible(request, pk) -> Referral:
    _org_id(request)
    return get_object_or_404(
        policy.visible_referrals(principal_of(request))
        .select_related("person", "from_organisation", "to_organisation", "incident", "detention")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=ReferralStatusChange.objects.select_related("organisation").order_by(
                    "at", "id"
                ),
            )
        ),
        pk=pk,
    )


def _may_change(user) -> bool:
    return has_perm(user, Perm.RESPOND_REFERRALS) or has_perm(user, Perm.SEND_REFERRALS)


@perm_required(Perm.VIEW_REFERRALS)
def detail(request, pk, form=None):
    referral = _visible(request, pk)
    org_id = _org_id(request)
    allowed = services.allowed_transitions(referral, org_id) if _may_change(request.user) else []
    if referral.to_organisation_id == org_id and not has_perm(request.user, Perm.RESPOND_REFERRALS):
        allowed = []
    if referral.from_organisation_id == org_id and not has_perm(request.user, Perm.SEND_REFERRALS):
        allowed = []
    if form is None and allowed:
        form = StatusForm(allowed=allowed)
    return render(
        request,
        "partners/detail.html",
        {
            "referral": referral,
            "is_sender": referral.from_organisation_id == org_id,
            "form": form if allowed else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@perm_required(Perm.VIEW_REFERRALS)
def change_status(request, pk):
    referral = _visible(request, pk)
    if not _may_change(request.user):
        raise PermissionDenied
    org_id = _org_id(request)
    allowed = services.allowed_transitions(referral, org_id)
    form = StatusForm(request.POST, allowed=allowed)
    if form.is_valid():
        try:
            services.change_status(
                referral,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                organisation=request.user.membership.organisation,
                user=request.user,
            )
        except services.ReferralNotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.ReferralRefused as exc:
            for p in exc.problems:
                form.add_error(p.attr if p.attr in form.fields else None, p.message)
        else:
            messages.success(
                request,
                _("Referral %(ref)s is now %(status)s.")
                % {
                    "ref": referral.reference,
                    "status": ReferralStatus(form.cleaned_data["status"]).label.lower(),
                },
            )
            return redirect("referral-detail", pk=referral.pk)
    return detail(request, pk, form=form)


@perm_required(Perm.SEND_REFERRALS)
def new(request):
    org = request.user.membership.organisation if hasattr(request.user, "membership") else None
    if org is None:
        raise PermissionDenied
    incident = detention = None
    source = request.GET.get("detention") or request.POST.get("detention")
    if source:
        if not str(source).isdigit():
            raise Http404
        detention = get_object_or_404(
            detention_policy.visible_detentions(principal_of(request)).select_related(
                "person", "incident"
            ),
            pk=source,
        )
        incident = detention.incident
        people = [detention.person]
    else:
        source = request.GET.get("incident") or request.POST.get("incident")
        if not source or not str(source).isdigit():
            raise Http404
        incident = get_object_or_404(
            incidents_policy.visible_incidents(principal_of(request)), pk=source
        )
        people = list(incident.people.all())
    form = ReferralForm(request.POST or None, people=people, sender=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next(p for p in people if str(p.pk) == data["person"])
        try:
            referral = services.send_referral(
                from_organisation=org,
                to_organisation=data["to_organisation"],
                service=data["service"],
                person=person,
                incident=incident,
                detention=detention,
                reason=data["reason"],
                urgency=data["urgency"],
                consent=data["consent"],
                lawful_basis=data["lawful_basis"],
                contact_details=data["contact_details"],
                created_by=request.user,
            )
        except services.ReferralRefused as exc:
            for p in exc.problems:
                form.add_error(p.attr if p.attr in form.fields else None, p.message)
        else:
            messages.success(
                request,
                _("Referral %(ref)s sent to %(org)s.")
                % {"ref": referral.reference, "org": referral.to_organisation.name},
            )
            return redirect(reverse("referral-detail", args=[referral.pk]))
    return render(
        request,
        "partners/new.html",
        {"form": form, "incident": incident, "detention": detention},
        status=400 if form.errors else 200,
    )
