"""Approval pages (PS3, E5): the approver's list of approvals waiting, with a one-step approve
and a refusal; the sergeant's request and the approval recorded on the approver's word.

Every page asks `detentions.policy` (the role, the detention visible, the organisation's
relation) and changes nothing but through `detentions.approvals`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.principal import principal_of
from detentions import approvals, deadlines, policy
from detentions.approval_forms import ApproveForm, OnWordForm, RefuseForm, RequestForm
from detentions.errors import RuleViolation
from detentions.models import Approval

ATTRS = {"place": "place", "approver_name": "approver_name"}


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _approval(request, pk) -> Approval:
    """The role first (403), then the approval visible (404), then its kind and relation."""
    actor = principal_of(request)
    if not policy.decidable_kinds(actor):
        raise PermissionDenied
    approval = get_object_or_404(
        policy.visible_approvals(actor).select_related(
            "detention__person", "detention__current_place_of_safety", "place"
        ),
        pk=pk,
    )
    policy.may_decide(actor, approval, visible=True).enforce()
    if not actor.is_user:
        raise PermissionDenied  # given by a person from their own account
    return approval


def _recorded(form, record) -> bool:
    if not form.is_valid():
        return False
    try:
        record(form.cleaned_data)
    except RuleViolation as exc:
        form.add_violations(exc)
        return False
    return True


def _default_rank(user, kind) -> str:
    """The approver's rank as their account holds it (they can change it)."""
    membership = getattr(user, "membership", None)
    rank = membership.rank if membership else ""
    valid = {v for v, _label in ApproveForm(kind=kind).fields["rank"].choices if v}
    return rank if rank in valid else ""


def _waiting_rows(request, forms=None):
    actor = principal_of(request)
    kinds = policy.decidable_kinds(actor)
    now = timezone.now()
    qs = (
        policy.visible_approvals(actor)
        .filter(state=Approval.State.REQUESTED, kind__in=kinds)
        .select_related(
            "detention__person",
            "detention__current_place_of_safety",
            "detention__assessment",
            "detention__handover",
            "place",
        )
        .order_by("requested_at", "id")
    )
    rows = []
    for approval in qs:
        d = approval.detention
        form = (forms or {}).get(approval.pk) or ApproveForm(
            prefix=f"a{approval.pk}",
            kind=approval.kind,
            initial={"rank": _default_rank(request.user, approval.kind)},
        )
        rows.append(
            {
                "approval": approval,
                "form": form,
                "expires_at": deadlines.counting(d).get(deadlines.EXPIRY),
                "own": approval.requested_by_id == request.user.pk,
            }
        )
    return rows, now


def waiting(request, forms=None, status=200):
    """Approvals waiting for this approver's decision, oldest first, each approved in one
    step (rank and time; the name is their account's)."""
    if denied := _signed_in(request):
        return denied
    actor = principal_of(request)
    if not policy.decidable_kinds(actor) or not actor.is_user:
        raise PermissionDenied
    rows, now = _waiting_rows(request, forms)
    decided = (
        policy.visible_approvals(actor)
        .filter(approver=request.user)
        .select_related("detention__person")
        .order_by("-decided_at")[:10]
    )
    error_forms = [f for f in (forms or {}).values() if f.errors]
    return render(
        request,
        "detentions/approvals/waiting.html",
        {"rows": rows, "now": now, "decided": list(decided), "error_forms": error_forms},
        status=status,
    )


@require_POST
def approve(request, pk):
    if denied := _signed_in(request):
        return denied
    approval = _approval(request, pk)
    form = ApproveForm(request.POST, prefix=f"a{approval.pk}", kind=approval.kind)

    def record(data):
        approvals.approve(
            approval, user=request.user, rank=data["rank"], decided_at=data["decided_at"]
        )

    if _recorded(form, record):
        messages.success(
            request,
            _("You approved it for %(person)s (%(ref)s). The sergeant can see it now.")
            % {"person": approval.detention.person, "ref": approval.detention.reference},
        )
        return redirect("approvals:waiting")
    return waiting(request, forms={approval.pk: form})


def refuse(request, pk):
    if denied := _signed_in(request):
        return denied
    approval = _approval(request, pk)
    if request.method == "POST":
        form = RefuseForm(request.POST)

        def record(data):
            approvals.refuse(approval, user=request.user, reason=data["reason"])

        if _recorded(form, record):
            messages.success(
                request,
                _("You refused it for %(ref)s. The sergeant can see why.")
                % {"ref": approval.detention.reference},
            )
            return redirect("approvals:waiting")
    else:
        form = RefuseForm()
    return render(
        request,
        "detentions/approvals/refuse.html",
        {"approval": approval, "d": approval.detention, "form": form},
    )


def _detention(request, pk, action):
    actor = principal_of(request)
    detention = get_object_or_404(
        policy.visible_detentions(actor).select_related("person", "current_place_of_safety"),
        pk=pk,
    )
    policy.may(actor, action, detention, visible=True).enforce()
    return detention


def ask(request, pk):
    """The sergeant asks an inspector (PS3) or a superintendent (E5); they are told at once."""
    if denied := _signed_in(request):
        return denied
    policy.permitted(principal_of(request), "request_approval").enforce()
    detention = _detention(request, pk, "request_approval")
    if request.method == "POST":
        form = RequestForm(request.POST)

        def record(data):
            approvals.request_approval(
                detention,
                kind=data["kind"],
                note=data["note"],
                place=data["place"],
                user=request.user,
            )

        if _recorded(form, record):
            messages.success(
                request,
                _(
                    "Asked. The approvers have an alert in their inbox; you will see the "
                    "decision on this page."
                ),
            )
            return redirect(detention.get_absolute_url() + "#approvals")
    else:
        form = RequestForm()
    return render(
        request,
        "detentions/approvals/ask.html",
        {"d": detention, "form": form, "title": _("Ask for an approval")},
    )


def on_word(request, pk):
    """The approver has no account or cannot be reached: record their approval on their word
    (marked so in the record and its history)."""
    if denied := _signed_in(request):
        return denied
    policy.permitted(principal_of(request), "request_approval").enforce()
    detention = _detention(request, pk, "request_approval")
    if request.method == "POST":
        form = OnWordForm(request.POST)

        def record(data):
            approvals.record_on_word(
                detention,
                kind=data["kind"],
                approver_name=data["approver_name"],
                approver_rank=data["approver_rank"],
                decided_at=data["decided_at"],
            )

        if _recorded(form, record):
            messages.success(
                request,
                _("Recorded on the approver's word. The record says so."),
            )
            return redirect(detention.get_absolute_url() + "#approvals")
    else:
        form = OnWordForm()
    return render(
        request,
        "detentions/approvals/on_word.html",
        {
            "d": detention,
            "form": form,
            "title": _("Record an approval given on the approver's word"),
        },
    )
