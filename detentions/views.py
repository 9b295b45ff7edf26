"""Pages for detentions: the active board, a detention with its clocks and timeline, starting a
detention from the street and recording each event.

Every page checks the role permission on the server (signed out: sign in; wrong role: 403) and
the organisation's visibility (a detention the user's organisation may not see is 404). Every
change goes through `incidents.services.detentions`; a `RuleViolation` is shown beside the
field it names, with the user's input kept.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

import law
from accounts.permissions import Perm, has_perm
from accounts.principal import principal_of
from core import history_reader, law_text, urgency
from detentions import approvals, deadlines, handover_views, policy, services
from detentions import forms as f
from detentions.choices import RuleSetId
from detentions.errors import RuleViolation
from detentions.facts import evaluate, facts_for
from detentions.models import (
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
)
from detentions.place_warning import PlaceWarningMixin
from detentions.starting import start_from_form
from incidents import policy as incidents_policy
from people import policy as people_policy
from places_of_safety.models import PlaceKind, PlaceOfSafety

RULE_SET_NAMES = {
    RuleSetId.PCA2017: gettext_lazy(
        "Mental Health Act 1983 as amended by the Policing and Crime Act 2017: 24 hours from "
        "arrival at the first place of safety, extendable once by up to 12 hours"
    ),
    RuleSetId.MHA1983_ORIGINAL: gettext_lazy(
        "Mental Health Act 1983 before 11 December 2017: 72 hours from arrival, no extension"
    ),
    RuleSetId.MHA2025: gettext_lazy(
        "Mental Health Act 1983 as amended by the Mental Health Act 2025: 24 hours from arrival, "
        "extendable once by up to 12 hours; a police station is never a place of safety"
    ),
}


# --------------------------------------------------------------------------- access
# Every decision is the policy's (incidents/policy.py), the same table the API asks.


def _check(request, action):
    """None when the role allows `action`; else the sign-in redirect, or PermissionDenied."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    policy.permitted(principal_of(request), action).enforce()
    return None


def visible(request):
    return policy.visible_detentions(principal_of(request))


def _detention(request, pk, *related, action=None):
    qs = visible(request).select_related(
        "person", "current_place_of_safety", "in_transfer_to", *related
    )
    detention = get_object_or_404(qs, pk=pk)
    if action is not None:
        policy.may(principal_of(request), action, detention, visible=True).enforce()
    return detention


def under_18_places():
    return [
        p
        for p in f.places_with_status()
        if p.accepts_under_18 and p.kind != PlaceKind.POLICE_STATION
    ]


# --------------------------------------------------------------------------- the board
def _board_context(request, now):
    place_id = request.GET.get("place") or ""
    stations_only = request.GET.get("stations") == "1"
    active = (
        Detention.objects.filter(pk__in=visible(request).active().values("pk"))
        .with_breach(now)
        .select_related(
            "person", "current_place_of_safety", "in_transfer_to", "assessment", "handover"
        )
        .order_by(F("expires_at").asc(nulls_last=True), "detained_at")
    )
    if place_id.isdigit():
        active = active.filter(
            Q(current_place_of_safety_id=place_id) | Q(in_transfer_to_id=place_id)
        )
    if stations_only:
        active = active.filter(at_police_station=True)
    rows = list(active)
    handover_views.attach_latest_requests(rows)
    actor = principal_of(request)
    for d in rows:
        # The welfare check in one click from the board (issue 19: three clicks in all).
        d.may_check = bool(
            d.next_welfare_check_due_at and policy.may(actor, "welfare_check", d, visible=True)
        )
        d.welfare_overdue = bool(d.next_welfare_check_due_at and d.next_welfare_check_due_at < now)
        d.review_overdue = bool(d.next_review_due_at and d.next_review_due_at < now)
        d.overdue = d.welfare_overdue or d.review_overdue
        _urgency(d, now)
    ended = list(
        Detention.objects.filter(
            pk__in=visible(request).filter(ended_at__gte=now - timedelta(hours=24)).values("pk")
        )
        .with_breach(now)
        .select_related("person", "current_place_of_safety")
        .order_by("-ended_at")[:50]
    )
    return {
        "rows": rows,
        "ended": ended,
        "now": now,
        "place_id": place_id,
        "stations_only": stations_only,
        "breaches": sum(1 for d in rows if d.breach),
        "overdue": sum(1 for d in rows if d.overdue),
        "query": request.GET.urlencode(),
    }


def _urgency(d, now):
    """The urgency band before each deadline (core/urgency.py), from the stored UTC columns,
    for the deadlines still counting (`detentions.deadlines`: none once ended; the assessment
    target only until the assessment begins)."""
    counting = deadlines.counting(d)
    assessment_due = counting.get(deadlines.ASSESSMENT)
    d.expiry_band = urgency.band("EXPIRY", counting.get(deadlines.EXPIRY), now)
    d.welfare_band = urgency.band("WELFARE_CHECK", counting.get(deadlines.WELFARE_CHECK), now)
    d.review_band = urgency.band("REVIEW", counting.get(deadlines.REVIEW), now)
    d.assessment_band = urgency.band("ASSESSMENT", assessment_due, now)
    d.assessment_target_at = assessment_due
    d.urgency = urgency.most_urgent(
        (d.expiry_band, d.welfare_band, d.review_band, d.assessment_band)
    )


def board(request):
    denied = _check(request, "view")
    if denied:
        return denied
    context = _board_context(request, timezone.now())
    context["places"] = PlaceOfSafety.objects.filter(active=True).order_by("name")
    context["can_start"] = _can_start(request)
    return render(request, "detentions/board.html", context)


def board_rows(request):
    """The board's rows alone, fetched by board.js every 20 seconds."""
    denied = _check(request, "view")
    if denied:
        return denied
    response = render(
        request, "detentions/_board_rows.html", _board_context(request, timezone.now())
    )
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- one detention
def _timeline(detention):
    """Every event, newest first: (instant, title, detail, recorded_by)."""
    items = []
    d = detention
    # R1: the rules each recorded event broke (prefetched `unlawful_acts`).
    broke: dict[str, list[str]] = {}
    for act in d.unlawful_acts.all():
        broke.setdefault(act.target, []).append(law_text.rule_title(act.rule))

    def add(at, title, detail="", by="", kind="", obj=None):
        if at is not None:
            label = (
                "detention"
                if obj is d
                else (f"{obj._meta.model_name}:{obj.pk}" if obj is not None else "")
            )
            items.append(
                {
                    "at": at,
                    "seq": len(items),
                    "title": title,
                    "detail": detail,
                    "by": by,
                    "kind": kind,
                    # R2: entered after the detention ended, with the reason.
                    "late": getattr(obj, "late_entry_reason", "") if obj is not d else "",
                    "unlawful": broke.get(label, []) if label else [],
                }
            )

    add(
        d.detained_at,
        _("Detained under %(power)s") % {"power": d.get_power_display()},
        f"{d.get_location_kind_display()}{': ' + d.location_description if d.location_description else ''}",
        d.recorded_by,
        "start",
        d,
    )
    if d.warrant_issued_at:
        add(d.warrant_issued_at, _("Warrant issued"), "", d.recorded_by)
    if d.premises_entered_at:
        add(d.premises_entered_at, _("Premises entered"), "", d.recorded_by)
    if d.consulted_at or d.consultation_name:
        add(
            d.consulted_at or d.detained_at,
            _("Consulted %(who)s") % {"who": d.consultation_name},
            f"{d.get_consultation_profession_display()}. {d.consultation_advice}".strip(),
            d.recorded_by,
        )
    arrival = getattr(d, "arrival", None) if hasattr(d, "arrival") else None
    if arrival is not None:
        detail = str(arrival.place)
        decision = arrival.police_station_decision
        if decision is not None and decision.inspector_name:
            detail += ". " + _("Police station authorised by %(name)s (%(rank)s) at %(at)s") % {
                "name": decision.inspector_name,
                "rank": decision.get_inspector_rank_display(),
                "at": _uk(decision.authorised_at),
            }
        title = (
            _("Kept at the place of safety")
            if d.mode == "kept"
            else _("Arrived at the first place of safety")
        )
        add(arrival.arrived_at, title, detail, arrival.recorded_by, "arrival", arrival)

    transfers = list(d.transfers.all())
    arrived_by = (
        # who recorded the arrival: perhaps not who recorded the transfer (the history reader)
        history_reader.first_set_by(Transfer, "arrived_at", detention_id=d.pk)
        if any(t.arrived_at for t in transfers)
        else {}
    )
    for t in transfers:
        add(
            t.departed_at,
            _("Transfer to %(place)s: departed") % {"place": t.to_place},
            t.reason,
            t.recorded_by,
            "transfer",
            t,
        )
        if t.arrived_at:
            add(
                t.arrived_at,
                _("Transfer arrived at %(place)s") % {"place": t.to_place},
                "",
                arrived_by.get(t.pk) or t.recorded_by,
                "transfer",
            )
    for c in d.welfare_checks.all():
        add(
            c.checked_at,
            _("Welfare check by %(name)s") % {"name": c.professional_name},
            c.notes,
            c.recorded_by,
            "check",
            c,
        )
    for r in d.reviews.all():
        outcome = _("conditions still met") if r.conditions_met else _("conditions no longer met")
        if not r.hcp_available:
            outcome += "; " + _("no healthcare professional available")
        add(
            r.reviewed_at,
            _("Review by %(name)s: %(outcome)s") % {"name": r.reviewer_name, "outcome": outcome},
            r.notes,
            r.recorded_by,
            "review",
            r,
        )
    for x in d.transfer_exceptions.all():
        add(x.recorded_for, _("Staying at the police station (exception)"), x.reason, x.recorded_by)
    ext = getattr(d, "extension", None) if hasattr(d, "extension") else None
    if ext is not None:
        add(
            ext.authorised_at,
            _("Extended by %(length)s by %(doctor)s (GMC %(gmc)s)")
            % {"length": ext.length_text, "doctor": ext.doctor_name, "gmc": ext.doctor_gmc_number},
            f"{ext.get_ground_display()}. {ext.ground_detail}".strip(),
            ext.recorded_by,
            "extension",
            ext,
        )
        if ext.superintendent_name:
            add(
                ext.superintendent_approved_at or ext.authorised_at,
                _("Extension approved by %(name)s") % {"name": ext.superintendent_name},
                "",
                ext.recorded_by,
                "extension",
            )
    assessment = getattr(d, "assessment", None)  # None when there is none yet
    if assessment is not None:
        for name, title in (
            ("amhp_requested_at", _("AMHP requested")),
            ("amhp_arrived_at", _("AMHP arrived")),
            ("doctor_requested_at", _("Doctor requested")),
            ("doctor_arrived_at", _("Doctor arrived")),
            ("started_at", _("Assessment started")),
            ("completed_at", _("Assessment completed")),
        ):
            add(
                getattr(assessment, name),
                title,
                "",
                assessment.recorded_by,
                "assessment",
                assessment,
            )
    handover = getattr(d, "handover", None) if hasattr(d, "handover") else None
    if handover is not None:
        add(
            handover.handed_over_at,
            _("Handed over to %(who)s") % {"who": handover.received_by},
            _("Accepted through a one-time link") if handover.via_link else "",
            handover.recorded_by,
            "handover",
            handover,
        )
    for h in d.handover_requests.all():
        add(
            h.requested_at,
            _("Handover to health staff requested by %(who)s") % {"who": h.requested_by_name},
            h.note,
            h.requested_by,
            "handover",
            h,
        )
        if h.state == h.State.DECLINED:
            add(
                h.answered_at,
                _("Handover declined by %(who)s") % {"who": h.answered_by_name},
                h.decline_reason,
                h.answered_by,
                "handover",
            )
        elif h.state == h.State.ACCEPTED and h.police_must_stay:
            add(
                h.answered_at,
                _("Police must stay (said by %(who)s)") % {"who": h.answered_by_name},
                h.stay_reason,
                h.answered_by,
                "handover",
            )
        if h.police_must_stay and h.police_released_at:
            add(h.police_released_at, _("Police released by health staff"), "", "", "handover")
    escapes = list(d.escapes.all())
    returned_by = (
        history_reader.first_set_by(Escape, "returned_at", detention_id=d.pk)
        if any(e.returned_at for e in escapes)
        else {}
    )
    for e in escapes:
        add(e.escaped_at, _("Escaped"), "", e.recorded_by, "escape")
        if e.returned_at:
            add(
                e.returned_at,
                _("Retaken / returned"),
                "",
                returned_by.get(e.pk) or e.recorded_by,
                "return",
                e,
            )
    for c in d.corrections.all():
        add(
            c.recorded_at,
            _("Correction (%(kind)s) to %(target)s")
            % {"kind": c.get_kind_display(), "target": c.target},
            c.reason,
            c.recorded_by,
            "correction",
        )
    if d.ended_at:
        # `Detention.recorded_by` is who started it; who ended it is in the history.
        ended = history_reader.first_set_by(Detention, "ended_at", id=d.pk).get(d.pk)
        add(
            d.ended_at,
            _("Ended: %(outcome)s") % {"outcome": d.get_outcome_display()},
            "",
            ended or "",
            "end",
        )
    # Newest first; events at the same instant in the reverse of the order they happen in.
    items.sort(key=lambda i: (i["at"], i["seq"]), reverse=True)
    usernames = {i["by"] for i in items if i["by"]}
    names = {u.username: str(u) for u in get_user_model().objects.filter(username__in=usernames)}
    for i in items:
        i["by_name"] = names.get(i["by"], i["by"])
    return items


def _uk(value):
    from detentions.templatetags.detention_tags import uk

    return uk(value)


def _can_start(request):
    return bool(policy.may_start(principal_of(request)))


#: The form for each of the engine's next actions (`law.next_actions`): the policy actions the
#: actor needs for it, its URL name and its label.
ACTION_FORMS = {
    law.Action.ARRIVAL: (
        ("arrival",),
        "detention-arrival",
        gettext_lazy("Record arrival at a place of safety"),
    ),
    law.Action.WELFARE_CHECK: (
        ("welfare_check",),
        "detention-welfare-check",
        gettext_lazy("Record a welfare check"),
    ),
    law.Action.REVIEW: (("review",), "detention-review", gettext_lazy("Record a review")),
    law.Action.TRANSFER_EXCEPTION: (
        ("transfer_exception",),
        "detention-transfer-exception",
        gettext_lazy("Record why they stay (exception)"),
    ),
    law.Action.TRANSFER_ARRIVAL: (
        ("transfer_arrival",),
        "detention-transfer-arrival",
        gettext_lazy("Record arrival after transfer"),
    ),
    law.Action.TRANSFER: (("transfer",), "detention-transfer", gettext_lazy("Record a transfer")),
    law.Action.HANDOVER: (
        ("handover",),
        "detention-handover",
        gettext_lazy("Record handover to health staff"),
    ),
    law.Action.EXTENSION: (
        ("extension",),
        "detention-extension",
        gettext_lazy("Record an extension"),
    ),
    law.Action.RETURN: (("return",), "detention-return", gettext_lazy("Record their return")),
    law.Action.ESCAPE: (("escape",), "detention-escape", gettext_lazy("Record an escape")),
    law.Action.END: (("end",), "detention-end", gettext_lazy("End the detention")),
    law.Action.CORRECT: (("correct",), "detention-correct", gettext_lazy("Correct a record")),
    # R2: late entries, through the audited path.
    law.Action.LATE_WELFARE_CHECK: (
        ("late_entry", "welfare_check"),
        "detention-welfare-check",
        gettext_lazy("Add a welfare check entered late"),
    ),
    law.Action.LATE_REVIEW: (
        ("late_entry", "review"),
        "detention-review",
        gettext_lazy("Add a review entered late"),
    ),
    law.Action.LATE_TRANSFER_EXCEPTION: (
        ("late_entry", "transfer_exception"),
        "detention-transfer-exception",
        gettext_lazy("Add why they stayed at the police station, entered late"),
    ),
    law.Action.LATE_HANDOVER: (
        ("late_entry", "handover"),
        "detention-handover",
        gettext_lazy("Add the handover entered late"),
    ),
    law.Action.LATE_ASSESSMENT: (
        ("late_entry",),
        "detention-late-assessment",
        gettext_lazy("Add assessment steps entered late"),
    ),
}


def _actions(request, d, facts, ev, now):
    """The forms this actor may open for this detention: what the engine lets come next
    (`law.next_actions`, in the order of a case), filtered by what the policy lets this actor
    do."""
    allowed = policy.actions_for(principal_of(request), d)
    out = []
    for action in law.next_actions(facts, now, evaluation=ev):
        needs, name, label = ACTION_FORMS[action]
        if allowed.issuperset(needs):
            out.append((name, label))
    return out


def detail(request, pk):
    denied = _check(request, "view")
    if denied:
        return denied
    d = get_object_or_404(
        visible(request)
        .select_related(
            "person",
            "current_place_of_safety",
            "in_transfer_to",
            "npu",
            "arrival__place",
            "arrival__police_station_decision",
            "extension",
            "handover",
            "assessment",
        )
        .prefetch_related(
            "transfers__to_place",
            "transfers__police_station_decision",
            "welfare_checks",
            "reviews",
            "escapes",
            "transfer_exceptions",
            "corrections",
            "unlawful_acts",
            "handover_requests",
        ),
        pk=pk,
    )
    now = timezone.now()
    facts = facts_for(d)
    ev = evaluate(d, now, facts)
    flags = [v for v in ev.violations if v.code is None]
    context = {
        "d": d,
        "now": now,
        "ev": ev,
        "flags": flags,
        "rule_set_name": RULE_SET_NAMES.get(d.rule_set, d.rule_set),
        "unlawful": [(a, law_text.rule_title(a.rule)) for a in d.unlawful_acts.all()],
        "timeline": _timeline(d),
        "actions": [
            (reverse(name, args=[d.pk]), label)
            for name, label in _actions(request, d, facts, ev, now)
        ],
        "welfare_overdue": ev.welfare_check_overdue,
        "review_overdue": ev.review_overdue,
        "handover_section": handover_views.section(request, d),
        # PS3, E5: who approved and when, from their account or on their word.
        "approvals": [(a, approvals.record_words(a)) for a in d.approvals.all()],
        "may_ask_approval": "request_approval" in policy.actions_for(principal_of(request), d),
    }
    return render(request, "detentions/detail.html", context)


# --------------------------------------------------------------------------- start
def _person_choices(request, data=None):
    actor = principal_of(request)
    people = []
    ids = set()
    q = (request.GET.get("q") or "").strip()
    base = people_policy.visible_people(actor).current()  # never a merged record
    if data is not None and (data.get("person") or "").isdigit():
        people += list(base.filter(pk=data["person"]))
    incident = None
    if (request.GET.get("incident") or "").isdigit():
        incident = (
            incidents_policy.visible_incidents(actor).filter(pk=request.GET["incident"]).first()
        )
        if incident is None:
            raise Http404
        people += list(incident.people.order_by("pk")[:1])
    if q:
        people += list(base.search(q).order_by("family_name", "given_name")[:10])
    out = []
    for p in people:
        if p.pk not in ids:
            ids.add(p.pk)
            out.append(p)
    return out, incident, q


def start(request):
    denied = _check(request, "start")
    if denied:
        return denied
    org = request.user.membership.organisation
    data = request.POST if request.method == "POST" else None
    people, incident, q = _person_choices(request, data)
    initial = {
        "decision_maker_name": str(request.user),
        "decision_maker_rank": request.user.membership.rank,
    }
    if incident is not None:
        initial.update(
            {"location_description": incident.location_description, "npu": incident.npu_id}
        )
    # The person is never chosen for the officer, not even the only match (issue 19).
    form = f.StartDetentionForm(data, organisation=org, person_choices=people, initial=initial)
    context = {"form": form, "people": people, "incident": incident, "q": q}
    if request.method == "POST" and form.is_valid():
        try:
            detention, person = start_from_form(
                request, form, people, incident, _as_happened(request)
            )
        except RuleViolation as exc:
            form.add_violations(exc)
            _refusal_context(form, context, exc, request)
        except ValidationError as exc:  # the person's own validators (nothing was written)
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(
                request,
                _("Detention %(ref)s started for %(name)s.")
                % {"ref": detention.reference, "name": person},
            )
            return redirect("detention-detail", detention.pk)
    context["places"] = f.places_with_status()
    context["decision_fields"] = [form[n] for n in form.decision_fields]
    return render(request, "detentions/start.html", context)


def _refusal_context(form, context, exc=None, request=None):
    if "child_police_station" in form.violation_codes:
        context["under_18_places"] = under_18_places()
    if exc is not None and law.recordable(exc.violations):
        # R1: the confirmation step: the rules in plain words, and the account. Nothing is
        # pre-filled: the box is ticked and the account written only by the user.
        seen = {}
        for v in exc.violations:
            seen.setdefault(v.rule, law_text.rule_title(v.rule))
        context["recordable"] = [{"rule": r, "title": t} for r, t in seen.items()]
        confirmed, account = _confirmation(request)
        context["as_happened_checked"] = confirmed
        context["as_happened_account"] = request.POST.get("account", "") if request else ""
        if confirmed and not account:
            context["as_happened_error"] = _(
                "You confirmed this has already happened: give an account of what happened and why."
            )


# --- R1 on the pages: the confirmation step (one place for every form) ------------------------


def _confirmation(request) -> tuple[bool, str]:
    """(the user confirmed the refused act has already happened, their account)."""
    if request is None or request.method != "POST":
        return False, ""
    return request.POST.get("record_as_happened") == "yes", request.POST.get("account", "").strip()


def _as_happened(request):
    """The block in which a service records a recordable refusal as it happened: only once the
    user has ticked the confirmation and written an account."""
    confirmed, account = _confirmation(request)
    if confirmed and account:
        return services.confirmed_as_happened(account)
    return nullcontext()


# --------------------------------------------------------------------------- events
class EventView(View):
    """GET shows the form; POST calls the service; a refusal shows the rule's message."""

    action = ""  # the policy's name for it (incidents/policy.py DETENTION_ACTIONS)
    form_class = None
    title = ""
    intro = ""
    button = gettext_lazy("Save")
    success = gettext_lazy("Saved.")
    places_field = None  # a radio list of places of safety (with the PS2 block)
    template_name = "detentions/event_form.html"

    #: R2: the API name of this event when it may be entered late (after the end).
    late_event: str | None = None
    #: Ask before an arrival at a full or closed place (`PlaceWarningMixin`).
    warns_about_place = False

    def dispatch(self, request, pk, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = principal_of(request)
        # R2: after the end, the event goes in late through the audited path, with the
        # permission of late entries (as `late-entries/` in the API), not the event's own.
        own_role = policy.permitted(actor, self.action)
        may_enter_late = bool(self.late_event and policy.permitted(actor, "late_entry"))
        if not (own_role or may_enter_late):
            own_role.enforce()  # the role first (403)
        self.detention = (
            _detention(request, pk, "arrival")  # then visibility (404)
            if own_role
            else visible(request)
            .select_related("person", "current_place_of_safety", "in_transfer_to", "arrival")
            .filter(pk=pk)
            .first()
        )
        if not own_role and (self.detention is None or not self.detention.ended_at):
            own_role.enforce()  # only a late entry was open to this role: 403 as before
        self.late = bool(self.detention.ended_at and may_enter_late)
        action = "late_entry" if self.late else self.action
        policy.may(actor, action, self.detention, visible=True).enforce()
        self.now = timezone.now()
        return super().dispatch(request, pk, **kwargs)

    def get_initial(self):
        return {}

    def form_kwargs(self):
        return {}

    def make_form(self, data=None):
        # Entered late: nothing pre-filled (the times of the moment would be outside the span).
        initial = {} if self.late else self.get_initial()
        form = self.form_class(data, initial=initial, **self.form_kwargs())
        if self.late:
            form.fields["late_reason"] = forms.CharField(
                label=_("Why is this entered late?"),
                help_text=_("Required. It is kept with the record and its history."),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        return form

    def perform_or_late(self, form, cd):
        """R2: after the end, the event goes in through the audited late-entry path."""
        if not self.late:
            return self.perform(form, cd)
        times = services.LATE_ENTRY_EVENTS[self.late_event][1]
        with (
            transaction.atomic(),
            services.entering_late(
                self.detention,
                event=self.late_event,
                reason=cd.get("late_reason") or "",
                instants={t: cd.get(t) for t in times},
            ),
        ):
            return self.perform(form, cd)

    def context(self, form, **extra):
        places = f.places_with_status() if self.places_field else None
        return {
            "d": self.detention,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "button": self.button,
            "places": places,
            "places_field": self.places_field,
            "decision_fields": [form[n] for n in getattr(form, "decision_fields", ())],
            "main_fields": [
                form[n]
                for n in form.fields
                if n not in getattr(form, "decision_fields", ()) and n != self.places_field
            ],
            "now": self.now,
            "late": self.late,
            **extra,
        }

    def get(self, request, pk, **kwargs):
        return render(request, self.template_name, self.context(self.make_form()))

    def post(self, request, pk, **kwargs):
        form = self.make_form(request.POST)
        extra = {}
        if form.is_valid():
            # An arrival at a full or closed place: warn and ask first (place_warning.py).
            warning = self.place_warning(form) if self.warns_about_place else None
            if warning is not None:
                extra.update(place_warning=warning, page_errors=bool(warning.get("error")))
                return render(request, self.template_name, self.context(form, **extra))
            try:
                with _as_happened(request):
                    self.perform_or_late(form, form.cleaned_data)
            except RuleViolation as exc:
                form.add_violations(exc)
                _refusal_context(form, extra, exc, request)
            else:
                messages.success(request, self.success)
                if request.GET.get("from") == "board":  # opened from the board: back there
                    return redirect("detention-board")
                return redirect("detention-detail", self.detention.pk)
        return render(request, self.template_name, self.context(form, **extra))

    def perform(self, form, cd):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class _ToPlaceView(PlaceWarningMixin, EventView):
    """An event that takes the person to a place of safety: a police station needs the PS2
    decision, whose maker is the user by default; a full or closed place is warned about."""

    warns_about_place = True

    def warned_place(self, form):
        return form.cleaned_data.get(self.places_field)

    def get_initial(self):
        user = self.request.user
        membership = getattr(user, "membership", None)
        return {
            "decision_maker_name": str(user),
            "decision_maker_rank": membership.rank if membership else "",
        }


class ArrivalView(_ToPlaceView):
    action = "arrival"
    form_class = f.ArrivalForm
    title = gettext_lazy("Record arrival at a place of safety")
    intro = gettext_lazy(
        "The 24-hour clock starts when the person arrives at the first place of safety."
    )
    success = gettext_lazy("Arrival recorded. The clock has started.")
    places_field = "place_of_safety"

    def perform(self, form, cd):
        place = cd["place_of_safety"]
        services.record_arrival(
            self.detention,
            place_of_safety=place,
            arrived_at=cd["arrived_at"],
            police_station_decision=form.decision_for(place),
        )


class TransferView(_ToPlaceView):
    action = "transfer"
    form_class = f.TransferForm
    title = gettext_lazy("Record a transfer to another place of safety")
    intro = gettext_lazy("A transfer never restarts or pauses the clock.")
    success = gettext_lazy("Transfer recorded.")
    places_field = "to_place_of_safety"

    def perform(self, form, cd):
        place = cd["to_place_of_safety"]
        services.record_transfer(
            self.detention,
            to_place_of_safety=place,
            departed_at=cd["departed_at"],
            arrived_at=cd.get("arrived_at"),
            reason=cd["reason"],
            authorised_by=cd.get("authorised_by") or "",
            police_station_decision=form.decision_for(place),
        )


class TransferArrivalView(PlaceWarningMixin, EventView):
    action = "transfer_arrival"
    warns_about_place = True

    def warned_place(self, form):
        return self.open_transfer().to_place

    form_class = f.TransferArrivalForm
    title = gettext_lazy("Record arrival after a transfer")
    success = gettext_lazy("Arrival after the transfer recorded.")

    def open_transfer(self):
        transfer = (
            Transfer.objects.filter(detention=self.detention, arrived_at__isnull=True)
            .select_related("to_place", "detention")
            .order_by("-departed_at")
            .first()
        )
        if transfer is None:
            raise Http404
        return transfer

    def get(self, request, pk, **kwargs):
        transfer = self.open_transfer()
        return render(
            request,
            self.template_name,
            self.context(
                self.make_form(), intro=_("Arriving at %(place)s.") % {"place": transfer.to_place}
            ),
        )

    def perform(self, form, cd):
        services.record_transfer_arrival(self.open_transfer(), arrived_at=cd["arrived_at"])


class WelfareCheckView(EventView):
    action = "welfare_check"
    late_event = "welfare-checks"
    form_class = f.WelfareCheckForm
    title = gettext_lazy("Record a welfare check")
    intro = gettext_lazy(
        "At a police station a healthcare professional checks the person's welfare at least "
        "every 30 minutes."
    )
    success = gettext_lazy("Welfare check recorded.")

    def perform(self, form, cd):
        services.record_welfare_check(self.detention, **form.service_kwargs())


class ReviewView(EventView):
    action = "review"
    late_event = "reviews"
    form_class = f.ReviewForm
    title = gettext_lazy("Record a review")
    intro = gettext_lazy(
        "The custody officer reviews at least every hour whether the person still needs to be "
        "kept at the police station, consulting the healthcare professional where practicable."
    )
    success = gettext_lazy("Review recorded.")

    def get_initial(self):
        return {"reviewer_name": str(self.request.user)}

    def perform(self, form, cd):
        services.record_review(self.detention, **form.service_kwargs())


class TransferExceptionView(EventView):
    action = "transfer_exception"
    late_event = "transfer-exception"
    form_class = f.TransferExceptionForm
    title = gettext_lazy("Record why the person stays at the police station")
    intro = gettext_lazy(
        "The person must be moved to a place of safety that is not a police station, unless "
        "an assessment can begin sooner here and moving them would likely cause distress."
    )
    success = gettext_lazy("Exception recorded.")

    def perform(self, form, cd):
        services.record_transfer_exception(
            self.detention, recorded_for=cd["recorded_for"], reason=cd.get("reason") or ""
        )


class ExtensionView(EventView):
    action = "extension"
    late_event = "extension"
    form_class = f.ExtensionForm
    title = gettext_lazy("Record an extension")
    intro = gettext_lazy(
        "Only the doctor responsible for the examination may extend the detention, by up to "
        "12 hours, before the 24 hours expire, when the person's condition makes it "
        "impracticable to complete the assessment in time. At a police station a "
        "superintendent or above must also approve it."
    )
    success = gettext_lazy("Extension recorded.")

    def context(self, form, **extra):
        """E5: the superintendent's approval given from their account (or on their word) is
        shown, and goes into the extension when their name is left blank."""
        ctx = super().context(form, **extra)
        given = approvals.given(self.detention, "extension")
        if given is not None:
            words = _(
                "A superintendent's approval is on record: %(words)s Leave the name blank: "
                "it goes into the extension."
            ) % {"words": approvals.record_words(given)}
            ctx["intro"] = f"{self.intro} {words}"
        return ctx

    def get_initial(self):
        initial = {}
        if has_perm(self.request.user, Perm.AUTHORISE_EXTENSION):
            initial["doctor_name"] = str(self.request.user)
        if self.detention.at_police_station and has_perm(self.request.user, Perm.APPROVE_EXTENSION):
            initial["superintendent_name"] = str(self.request.user)
            initial["superintendent_rank"] = self.request.user.membership.rank
        return initial

    def perform(self, form, cd):
        services.record_extension(
            self.detention,
            authorised_at=cd["authorised_at"],
            hours=cd["hours"],
            minutes=cd.get("minutes") or 0,
            doctor_name=cd.get("doctor_name") or "",
            doctor_gmc_number=cd.get("doctor_gmc_number") or "",
            ground=cd["ground"],
            ground_detail=cd.get("ground_detail") or "",
            superintendent_name=cd.get("superintendent_name") or "",
            superintendent_rank=cd.get("superintendent_rank") or "",
            superintendent_approved_at=cd.get("superintendent_approved_at"),
        )


class HandoverView(EventView):
    action = "handover"
    late_event = "handover"
    form_class = f.HandoverForm
    title = gettext_lazy("Record handover to health staff")
    success = gettext_lazy("Handover recorded.")

    def perform(self, form, cd):
        services.record_handover(
            self.detention, handed_over_at=cd["handed_over_at"], received_by=cd["received_by"]
        )


class LateAssessmentView(EventView):
    """R2/A1: an assessment step never recorded before the end is added as a late entry (the
    ordinary assessment pages are closed once the detention has ended, C7)."""

    action = "late_entry"
    form_class = f.LateAssessmentForm
    late_event = "assessment"
    title = gettext_lazy("Add assessment steps entered late")
    intro = gettext_lazy("Give only the steps that were never recorded.")
    success = gettext_lazy("Assessment steps added as a late entry.")

    def get(self, request, pk, **kwargs):
        if not self.late:
            raise Http404  # only after the end
        return super().get(request, pk, **kwargs)

    def post(self, request, pk, **kwargs):
        if not self.late:
            raise Http404
        return super().post(request, pk, **kwargs)

    def perform(self, form, cd):
        services.record_assessment(self.detention, **form.service_kwargs())


class EscapeView(EventView):
    action = "escape"
    form_class = f.EscapeForm
    title = gettext_lazy("Record an escape")
    intro = gettext_lazy(
        "The person may be retaken: within 24 hours of the escape if they had not yet arrived "
        "at a place of safety, otherwise until the end of the permitted period."
    )
    success = gettext_lazy("Escape recorded. The retaking deadline is shown below.")

    def perform(self, form, cd):
        services.record_escape(self.detention, escaped_at=cd["escaped_at"])


class ReturnView(EventView):
    action = "return"
    form_class = f.ReturnForm
    title = gettext_lazy("Record their return")
    success = gettext_lazy("Return recorded.")

    def perform(self, form, cd):
        services.record_return(self.detention, returned_at=cd["returned_at"])


class EndView(EventView):
    action = "end"
    form_class = f.EndForm
    title = gettext_lazy("End the detention")
    intro = gettext_lazy(
        "If the doctor finds no mental disorder, the person must be released straight away: "
        "an AMHP interview is not needed."
    )
    button = gettext_lazy("End the detention")
    success = gettext_lazy("Detention ended.")

    def perform(self, form, cd):
        services.end_detention(self.detention, ended_at=cd["ended_at"], outcome=cd["outcome"])


# --------------------------------------------------------------------------- corrections
CORRECTABLE = {
    Detention: (
        "detained_at",
        "location_kind",
        "location_description",
        "conveyance_mode",
        "conveyance_reason",
        "ended_at",
        "outcome",
    ),
    DetentionArrival: ("arrived_at",),
    Transfer: ("departed_at", "arrived_at", "reason"),
    WelfareCheck: ("checked_at", "professional_name"),
    Review: ("reviewed_at", "conditions_met", "reviewer_name"),
    TransferException: ("recorded_for", "reason"),
    Extension: ("authorised_at", "hours", "doctor_name", "doctor_gmc_number"),
    Handover: ("handed_over_at", "received_by"),
    Escape: ("escaped_at", "returned_at"),
}
KEYS = {m._meta.model_name: m for m in CORRECTABLE}


def _targets(d):
    """(key, label) for every record of `d` that can be corrected."""
    out = [(f"detention:{d.pk}", _("The detention itself (%(ref)s)") % {"ref": d.reference})]
    arrival = DetentionArrival.objects.filter(detention=d).select_related("place").first()
    if arrival:
        out.append(
            (
                f"detentionarrival:{arrival.pk}",
                _("Arrival at %(place)s, %(at)s")
                % {"place": arrival.place, "at": _uk(arrival.arrived_at)},
            )
        )
    for t in d.transfers.select_related("to_place"):
        out.append(
            (
                f"transfer:{t.pk}",
                _("Transfer to %(place)s, %(at)s")
                % {"place": t.to_place, "at": _uk(t.departed_at)},
            )
        )
    for c in d.welfare_checks.all():
        out.append((f"welfarecheck:{c.pk}", _("Welfare check, %(at)s") % {"at": _uk(c.checked_at)}))
    for r in d.reviews.all():
        out.append((f"review:{r.pk}", _("Review, %(at)s") % {"at": _uk(r.reviewed_at)}))
    for x in d.transfer_exceptions.all():
        out.append(
            (
                f"transferexception:{x.pk}",
                _("Transfer exception, %(at)s") % {"at": _uk(x.recorded_for)},
            )
        )
    ext = Extension.objects.filter(detention=d).first()
    if ext:
        out.append((f"extension:{ext.pk}", _("Extension, %(at)s") % {"at": _uk(ext.authorised_at)}))
    handover = Handover.objects.filter(detention=d).first()
    if handover:
        out.append(
            (
                f"handover:{handover.pk}",
                _("Handover, %(at)s") % {"at": _uk(handover.handed_over_at)},
            )
        )
    for e in d.escapes.all():
        out.append((f"escape:{e.pk}", _("Escape, %(at)s") % {"at": _uk(e.escaped_at)}))
    return out


def _target(d, key):
    model_name, _sep, pk = (key or "").partition(":")
    model = KEYS.get(model_name)
    if model is None or not pk.isdigit():
        return None
    if model is Detention:
        return d if int(pk) == d.pk else None
    return model.objects.filter(detention=d, pk=pk).first()


def correct(request, pk):
    denied = _check(request, "correct")
    if denied:
        return denied
    d = _detention(request, pk, action="correct")
    key = request.POST.get("target") or request.GET.get("target")
    target = _target(d, key)
    if target is None:
        return render(
            request,
            "detentions/correct_choose.html",
            {"d": d, "targets": _targets(d), "error": bool(key), "page_errors": bool(key)},
        )
    correctable = [
        n
        for n in CORRECTABLE[type(target)]
        if not (n in ("ended_at", "outcome") and not d.ended_at)
    ]
    data = request.POST if request.method == "POST" else None
    form = f.CorrectionForm(data, target=target, correctable=correctable)
    extra = {}
    if data is not None and form.is_valid():
        try:
            with _as_happened(request):
                services.correct(
                    target,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data.get("reason") or "",
                    changes=form.changes(),
                    delete=bool(form.cleaned_data.get("delete")),
                )
        except RuleViolation as exc:
            form.add_violations(exc)
            _refusal_context(form, extra, exc, request)
        else:
            messages.success(
                request, _("Correction recorded. The original is kept in the history.")
            )
            return redirect("detention-detail", d.pk)
    label = dict(_targets(d)).get(key, key)
    return render(
        request,
        "detentions/correct.html",
        {
            "d": d,
            "form": form,
            "target_key": key,
            "target_label": label,
            "fields": [form[n] for n in correctable],
            **extra,
        },
    )
