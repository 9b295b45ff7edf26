"""Response plan pages: the plans list (waiting for approval, drafts, in force), write a plan,
change a draft, add or remove contacts and warning markers, submit, approve or reject (with the
reason), withdraw, and the plan's own page.

Every page asks `people.policy` in the same order as every door: the role (403), the plan
visible to the organisation (404), then the organisation's relation to it (403). Changes go
through `people.plans`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.principal import principal_of

from . import plans, policy
from .choices import PlanStatus
from .forms import add_service_errors
from .models import PlanContact, WarningMarker
from .plan_forms import (
    ContactForm,
    DecisionForm,
    MarkerForm,
    NewPlanForm,
    PlanForm,
    WithdrawForm,
)

LIST_SIZE = 50


def _plan_for(request, pk, action):
    actor = principal_of(request)
    policy.may_plan(actor, action).enforce()  # the role or scope (403)
    plan = get_object_or_404(
        policy.visible_plans(actor).select_related("person", "author_organisation"), pk=pk
    )  # visible (404)
    policy.may_plan(actor, action, plan).enforce()  # the organisation's relation (403)
    return actor, plan


def _organisation(actor) -> Organisation:
    return Organisation.objects.get(pk=actor.organisation_id)


@login_required
def plans_list(request):
    actor = principal_of(request)
    policy.may_plan(actor, "view").enforce()
    visible = policy.visible_plans(actor).select_related("person", "author_organisation")
    user_id = request.user.pk
    waiting = [
        p
        for p in visible.filter(status=PlanStatus.PENDING).order_by("submitted_at")[:LIST_SIZE]
        if policy.may_plan(actor, "approve", p)
        and user_id not in (p.written_by_id, p.submitted_by_id)
    ]
    drafts = visible.filter(
        author_organisation_id=actor.organisation_id,
        status__in=[PlanStatus.DRAFT, PlanStatus.REJECTED, PlanStatus.PENDING],
    ).order_by("-updated_at")[:LIST_SIZE]
    in_force = visible.filter(status=PlanStatus.APPROVED).order_by("-approved_at")[:LIST_SIZE]
    return render(
        request,
        "people/plans/list.html",
        {
            "waiting": waiting,
            "drafts": list(drafts),
            "in_force": list(in_force),
            "may_write": bool(policy.may_write_plan_for(actor)),
        },
    )


@login_required
def plan_new(request):
    actor = principal_of(request)
    policy.may_write_plan_for(actor).enforce()
    people = policy.people_for_plans(actor).order_by("family_name", "given_name", "pk")
    initial = {}
    person_id = request.GET.get("person") or ""
    if person_id:
        person = get_object_or_404(people, pk=person_id) if person_id.isdigit() else None
        if person is None:
            return redirect("plan-new")
        initial["person"] = person
    form = NewPlanForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            plan = plans.create_plan(
                person=cd["person"],
                author_organisation=_organisation(actor),
                addressed_to=cd["addressed_to"],
                written_by=request.user,
                **{k: cd[k] for k in plans.PLAN_TEXT_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Draft saved. Add contacts and warning markers, then submit it for approval."),
            )
            return redirect("plan-detail", plan.pk)
    return render(request, "people/plans/form.html", {"form": form, "plan": None})


def _not_editable(request, plan):
    messages.info(request, _("This plan can no longer be changed."))
    return redirect("plan-detail", plan.pk)


@login_required
def plan_edit(request, pk):
    actor, plan = _plan_for(request, pk, "write")
    if not plan.is_editable:
        return _not_editable(request, plan)
    initial = {k: getattr(plan, k) for k in plans.PLAN_TEXT_FIELDS}
    initial["addressed_to"] = list(plan.addressed_to.exclude(pk=plan.person.organisation_id))
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            plans.update_plan(
                plan,
                addressed_to=cd["addressed_to"],
                **{k: cd[k] for k in plans.PLAN_TEXT_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plan-detail", plan.pk)
    return render(request, "people/plans/form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk):
    actor, plan = _plan_for(request, pk, "view")
    today = timezone.localdate()
    markers = list(plan.markers.order_by("kind", "pk"))
    user_id = request.user.pk
    may_write = bool(policy.may_plan(actor, "write", plan))
    may_approve = bool(policy.may_plan(actor, "approve", plan))
    return render(
        request,
        "people/plans/detail.html",
        {
            "plan": plan,
            "current_markers": [m for m in markers if m.is_current(today)],
            "past_markers": [m for m in markers if not m.is_current(today)],
            "contacts": list(plan.contacts.all()),
            "addressed_to": list(plan.addressed_to.order_by("name")),
            "may_edit": may_write and plan.is_editable,
            "may_submit": may_write and plan.status == PlanStatus.DRAFT,
            "may_decide": may_approve and plan.status == PlanStatus.PENDING,
            "own_plan": user_id in (plan.written_by_id, plan.submitted_by_id),
            "may_withdraw": bool(policy.may_plan(actor, "withdraw", plan))
            and plan.status != PlanStatus.WITHDRAWN,
        },
    )


def _part_page(request, pk, form_class, add, title, success):
    _actor, plan = _plan_for(request, pk, "write")
    if not plan.is_editable:
        return _not_editable(request, plan)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add(plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("plan-detail", plan.pk)
    return render(
        request, "people/plans/part_form.html", {"form": form, "plan": plan, "title": title}
    )


@login_required
def plan_add_contact(request, pk):
    return _part_page(
        request, pk, ContactForm, plans.add_contact, _("Add a contact"), _("Contact added.")
    )


@login_required
def plan_add_marker(request, pk):
    return _part_page(
        request,
        pk,
        MarkerForm,
        plans.add_marker,
        _("Add a warning marker"),
        _("Warning marker added."),
    )


@login_required
@require_POST
def plan_remove_contact(request, pk, item_pk):
    _actor, plan = _plan_for(request, pk, "write")
    contact = get_object_or_404(PlanContact, plan=plan, pk=item_pk)
    try:
        plans.remove_contact(contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Contact removed."))
    return redirect("plan-detail", plan.pk)


@login_required
@require_POST
def plan_remove_marker(request, pk, item_pk):
    _actor, plan = _plan_for(request, pk, "write")
    marker = get_object_or_404(WarningMarker, plan=plan, pk=item_pk)
    try:
        plans.remove_marker(marker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Warning marker removed."))
    return redirect("plan-detail", plan.pk)


@login_required
@require_POST
def plan_submit(request, pk):
    _actor, plan = _plan_for(request, pk, "write")
    try:
        plans.submit_plan(plan, submitted_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Submitted. A second person must approve it before it is shared.")
        )
    return redirect("plan-detail", plan.pk)


@login_required
def plan_decide(request, pk):
    actor, plan = _plan_for(request, pk, "approve")
    if plan.status != PlanStatus.PENDING:
        messages.info(request, _("This plan is not waiting for approval."))
        return redirect("plan-detail", plan.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            if cd["decision"] == "approve":
                plans.approve_plan(
                    plan, approved_by=request.user, organisation=_organisation(actor)
                )
                done = _("Plan approved: it is now shown to the organisations it is addressed to.")
            else:
                plans.reject_plan(
                    plan,
                    rejected_by=request.user,
                    organisation=_organisation(actor),
                    reason=cd["reason"],
                )
                done = _("Plan rejected. Its writer can change it and submit it again.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("plan-detail", plan.pk)
    return render(
        request,
        "people/plans/decide.html",
        {
            "form": form,
            "plan": plan,
            "markers": list(plan.markers.order_by("kind", "pk")),
            "contacts": list(plan.contacts.all()),
        },
    )


@login_required
def plan_withdraw(request, pk):
    _actor, plan = _plan_for(request, pk, "withdraw")
    if plan.status == PlanStatus.WITHDRAWN:
        messages.info(request, _("This plan has already been withdrawn."))
        return redirect("plan-detail", plan.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.withdraw_plan(plan, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plan withdrawn. Officers no longer see it."))
            return redirect("plan-detail", plan.pk)
    return render(request, "people/plans/withdraw.html", {"form": form, "plan": plan})
