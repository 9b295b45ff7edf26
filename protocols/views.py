"""Protocols per partner, upload and new versions, the overdue-for-review page, and downloads.

Reading needs VIEW_PROTOCOLS and the protocol visible to the user's organisation (the force that
keeps it or the partner it was agreed with), else 404; uploads need MANAGE_PROTOCOLS in the force.
Documents are served only here, as attachments.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import resolve

from . import policy, services
from .forms import ProtocolForm
from .models import Protocol, Status


def _org_id(user):
    return resolve(user).organisation_id


def _visible(user):
    return policy.visible_protocols(resolve(user))


def _get(request, pk) -> Protocol:
    try:
        return _visible(request.user).select_related("force", "partner").get(pk=pk)
    except Protocol.DoesNotExist:
        raise Http404 from None


def _apply(form, exc: ValidationError):
    for field, msgs in exc.message_dict.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


def _decorate(rows, today):
    soon = today + dt.timedelta(days=30)
    for p in rows:
        p.overdue = p.is_current and p.review_due_on < today
        p.due_soon = p.is_current and not p.overdue and p.review_due_on <= soon
    return rows


@perm_required(Perm.VIEW_PROTOCOLS)
def protocol_list(request):
    """Current protocols grouped by partner (`?all=1` includes superseded versions); one query."""
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    qs = _visible(request.user).select_related("partner", "force")
    if not show_all:
        qs = qs.current()
    rows = _decorate(list(qs.order_by("partner__name", "topic", "title", "-created_at")), today)
    groups: list[dict] = []
    for p in rows:
        if not groups or groups[-1]["partner"].pk != p.partner_id:
            groups.append({"partner": p.partner, "protocols": []})
        groups[-1]["protocols"].append(p)
    return render(
        request,
        "protocols/list.html",
        {
            "groups": groups,
            "show_all": show_all,
            "can_manage": _can_manage(request.user),
            "overdue_count": sum(1 for p in rows if p.overdue),
        },
    )


def _can_manage(user) -> bool:
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and membership.organisation.is_police_force
        and has_perm(user, Perm.MANAGE_PROTOCOLS)
    )


@perm_required(Perm.VIEW_PROTOCOLS)
def overdue(request):
    """Current protocols whose review date has passed, most overdue first; one query."""
    today = timezone.localdate()
    rows = list(
        _visible(request.user)
        .current()
        .filter(review_due_on__lt=today)
        .select_related("partner", "force")
        .order_by("review_due_on", "pk")
    )
    for p in rows:
        p.days_overdue = (today - p.review_due_on).days
    upcoming = list(
        _visible(request.user)
        .current()
        .filter(review_due_on__gte=today, review_due_on__lte=today + dt.timedelta(days=30))
        .select_related("partner")
        .order_by("review_due_on", "pk")
    )
    return render(
        request,
        "protocols/overdue.html",
        {"rows": rows, "upcoming": upcoming, "can_manage": _can_manage(request.user)},
    )


@perm_required(Perm.VIEW_PROTOCOLS)
def detail(request, pk):
    protocol = _get(request, pk)
    versions = []
    cursor = protocol
    # Walk back through earlier versions (each supersedes at most one).
    earlier = {
        p.pk: p
        for p in Protocol.objects.filter(force=protocol.force, partner=protocol.partner).only(
            "pk", "version", "status", "signed_on", "review_due_on", "supersedes_id", "title"
        )
    }
    while cursor is not None and len(versions) < 100:
        versions.append(cursor)
        cursor = earlier.get(cursor.supersedes_id)
    later = next((p for p in earlier.values() if p.supersedes_id == protocol.pk), None)
    _decorate([protocol], timezone.localdate())
    return render(
        request,
        "protocols/detail.html",
        {
            "protocol": protocol,
            "versions": versions,
            "later": later,
            "can_manage": _can_manage(request.user) and protocol.force_id == _org_id(request.user),
        },
    )


@perm_required(Perm.MANAGE_PROTOCOLS)
def new(request):
    membership = getattr(request.user, "membership", None)
    force = membership.organisation if membership else None
    if force is None or not force.is_police_force:
        raise Http404
    form = ProtocolForm(request.POST or None, request.FILES or None, force=force)
    if request.method == "POST" and form.is_valid():
        try:
            protocol = services.upload_protocol(
                force=force, upload=form.cleaned_data["document"], by=request.user, **_fields(form)
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Protocol stored."))
            return redirect("protocols:detail", protocol.pk)
    return render(
        request,
        "protocols/form.html",
        {"form": form, "previous": None},
        status=400 if form.errors else 200,
    )


def _fields(form):
    data = form.cleaned_data
    out = {
        k: data[k] for k in ("title", "version", "owner", "signed_on", "review_due_on") if k in data
    }
    if "partner" in form.fields:
        out["partner"] = data["partner"]
        out["topic"] = data["topic"]
    else:
        out["partner"] = out["topic"] = None
    return out


@perm_required(Perm.MANAGE_PROTOCOLS)
def new_version(request, pk):
    previous = _get(request, pk)
    if previous.force_id != _org_id(request.user):
        raise Http404
    initial = {"title": previous.title, "owner": previous.owner}
    form = ProtocolForm(
        request.POST or None,
        request.FILES or None,
        force=previous.force,
        previous=previous,
        initial=initial,
    )
    if previous.status != Status.CURRENT:
        messages.error(request, _("Only the current version of a protocol can be replaced."))
        return redirect("protocols:detail", previous.pk)
    if request.method == "POST" and form.is_valid():
        try:
            protocol = services.upload_protocol(
                force=previous.force,
                upload=form.cleaned_data["document"],
                by=request.user,
                supersedes=previous,
                **_fields(form),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("New version stored; version %(v)s is superseded.") % {"v": previous.version},
            )
            return redirect("protocols:detail", protocol.pk)
    return render(
        request,
        "protocols/form.html",
        {"form": form, "previous": previous},
        status=400 if form.errors else 200,
    )


@perm_required(Perm.VIEW_PROTOCOLS)
def download(request, pk):
    protocol = _get(request, pk)
    try:
        handle = protocol.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=protocol.document_name,
        content_type=protocol.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
