"""Start a detention: question pages and check your answers (issue 19).

`/detentions/start/` opens a new draft (two tabs: two drafts) and sends the officer to the
first question; each page asks a few questions of `StartDetentionForm` (`STEPS`), validates
them with the answers so far and keeps the answers in the session (`core.question_pages`).
Nothing is saved until the officer confirms on the check page; then the whole form is
validated again and the detention started through `detentions.starting` (the services and the
rule engine, as every door). A refusal sends the officer back to the page of the question it
concerns, with the rule's own message; a refusal that may be recorded as it happened (R1) is
shown on the check page with the confirmation step.

The person page searches inside the flow: the search keeps every answer (it is a separate
GET form on the page, and answers live in the draft), never chooses a match for the officer,
and says beside each match that is already detained which detention is running, with the
way to record their retaking (s138) instead of starting a second one.
"""

from __future__ import annotations

from contextlib import nullcontext
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as dformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import law
from accounts.principal import principal_of
from core import question_pages as qp
from core.form_fields import local_parts, now_initial
from detentions import forms as f
from detentions import place_warning, policy, services
from detentions.errors import RuleViolation
from detentions.models import Detention
from detentions.starting import start_from_form
from incidents import policy as incidents_policy
from people import policy as people_policy
from places_of_safety.models import PlaceKind, PlaceOfSafety

KIND = "detention-start"

DETAILS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "age_assessment",
    "gender",
    "ethnicity",
    "nhs_number",
)


def _is_new(data) -> bool:
    return qp.value(data, "person") == "new"


def _kept(data) -> bool:
    return qp.value(data, "mode") == "kept"


STEPS = [
    qp.Step(
        "person",
        gettext_lazy("Who is being detained?"),
        ("person",),
        template="detentions/start/person.html",
    ),
    qp.Step(
        "details",
        gettext_lazy("About the person"),
        DETAILS,
        applies=_is_new,
        template="detentions/start/details.html",
    ),
    qp.Step(
        "power",
        gettext_lazy("The power, when and where"),
        (
            "power",
            "warrant_issued_at",
            "premises_entered_at",
            "detained_at",
            "location_kind",
            "location_description",
            "npu",
        ),
        template="detentions/start/power.html",
    ),
    qp.Step(
        "consultation",
        gettext_lazy("Consulting a healthcare professional"),
        (
            "consulted",
            "consultation_profession",
            "consultation_name",
            "consulted_at",
            "consultation_advice",
            "consultation_not_practicable_reason",
        ),
        template="detentions/start/consultation.html",
    ),
    qp.Step(
        "conveyance",
        gettext_lazy("Going to a place of safety"),
        ("conveyance_mode", "conveyance_reason", "mode"),
        template="detentions/start/conveyance.html",
    ),
    qp.Step(
        "place",
        gettext_lazy("Where they are being kept"),
        (
            "place_of_safety",
            *f.PoliceStationDecisionMixin.decision_fields,
            place_warning.CONFIRM_FIELD,
        ),
        applies=_kept,
        template="detentions/start/place.html",
    ),
]
FLOW = qp.Flow(STEPS)

#: A refusal naming no field of the form, and the question it is about.
CODE_FIELDS = {law.Code.DETENTION_ACTIVE.value: "person"}


class StartFlowForm(f.StartDetentionForm):
    def add_violations(self, exc) -> None:
        rest = []
        for v in exc.violations:
            name = CODE_FIELDS.get(v.code)
            if name is None:
                rest.append(v)
                continue
            self.violation_codes.append(v.code)
            if v.message not in self.errors.get(name, []):
                self.add_error(name, v.message)
        super().add_violations(SimpleNamespace(violations=rest))


# --------------------------------------------------------------------------- helpers
def _denied(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    policy.permitted(principal_of(request), "start").enforce()
    return None


def _raw_time(name, instant) -> dict[str, list[str]]:
    parts = local_parts(instant)
    return {f"{name}-{p}": [parts[p]] for p in ("day", "month", "year", "time") if parts[p]}


def _incident(request, incident_id):
    if not incident_id:
        return None
    incident = (
        incidents_policy.visible_incidents(principal_of(request)).filter(pk=incident_id).first()
    )
    if incident is None:
        raise Http404
    return incident


def _person(request, data):
    """The person chosen in the draft, when the actor may still see them (else None)."""
    choice = qp.value(data, "person")
    if not choice.isdigit():
        return None
    return people_policy.visible_people(principal_of(request)).current().filter(pk=choice).first()


def _form(request, data, person=None):
    return StartFlowForm(
        qp.as_querydict(data),
        organisation=request.user.membership.organisation,
        person_choices=[person] if person is not None else [],
    )


def _running(request, people) -> dict[int, dict]:
    """For each person with a detention that has not ended: the detention (when the actor may
    see it) and the links to it and to recording their retaking (s138)."""
    ids = [p.pk for p in people]
    if not ids:
        return {}
    actor = principal_of(request)
    running = {
        d.person_id: d
        for d in Detention.objects.filter(person_id__in=ids, ended_at__isnull=True).order_by(
            "detained_at"
        )
    }
    visible = set(
        policy.visible_detentions(actor)
        .filter(pk__in=[d.pk for d in running.values()])
        .values_list("pk", flat=True)
    )
    out = {}
    for person_id, d in running.items():
        info = {"detention": d if d.pk in visible else None, "links": []}
        if d.pk in visible:
            info["links"].append((d.get_absolute_url(), _("Open %(ref)s") % {"ref": d.reference}))
            escaped = d.escapes.filter(returned_at__isnull=True).exists()
            if escaped and policy.may(actor, "return", d, visible=True):
                info["links"].append(
                    (
                        reverse("detention-return", args=[d.pk]),
                        _("Record that they were retaken (section 138)"),
                    )
                )
            elif not escaped and policy.may(actor, "escape", d, visible=True):
                info["links"].append(
                    (
                        reverse("detention-escape", args=[d.pk]),
                        _("They escaped from it: record the escape, then their retaking"),
                    )
                )
        out[person_id] = info
    return out


def _already_detained_message(person, info) -> str:
    d = info["detention"]
    if d is None:
        return _(
            "%(name)s already has a detention that has not ended. A second detention is "
            "unlawful: ask the force that holds it, or the control room."
        ) % {"name": person}
    return _(
        "%(name)s is already detained (%(ref)s). Do not start a second detention: if they "
        "escaped and have been retaken, record their return on %(ref)s."
    ) % {"name": person, "ref": d.reference}


def _urls(draft_id, slug, changing):
    url = reverse("detention-start-step", args=[draft_id, slug])
    return url + ("?change=1" if changing else "")


def _back(request, draft_id, draft, step, changing):
    if changing:
        return reverse("detention-start-check", args=[draft_id]), _("Back to your answers")
    previous = FLOW.previous(step.slug, draft["data"])
    if previous is not None:
        return reverse("detention-start-step", args=[draft_id, previous.slug]), _("Back")
    incident = draft["meta"].get("incident")
    if incident:
        return reverse("incident-detail", args=[incident]), _("Back to the incident")
    return reverse("detention-board"), _("Back to active detentions")


def _lost(request):
    messages.info(
        request,
        _(
            "Those answers are no longer kept (they are kept for %(minutes)s minutes, in this "
            "browser only). Nothing was saved: start again."
        )
        % {"minutes": qp.draft_minutes()},
    )
    return redirect("detention-board")


def _page_number(step, data) -> tuple[int, int]:
    steps = FLOW.applicable(data)
    slugs = [s.slug for s in steps]
    return slugs.index(step.slug) + 1, len(steps) + 1  # + the check page


# --------------------------------------------------------------------------- views
def begin(request):
    """`/detentions/start/` (`?incident=`): a new draft, then the first question."""
    denied = _denied(request)
    if denied:
        return denied
    incident = _incident(request, (request.GET.get("incident") or "").strip())
    membership = request.user.membership
    now = now_initial()
    data: dict[str, list[str]] = {
        **_raw_time("detained_at", now),
        **_raw_time("consulted_at", now),
        **_raw_time("authorised_at", now),
        "decision_maker_name": [str(request.user)],
        "decision_maker_rank": [membership.rank or ""],
    }
    if incident is not None:
        data["location_description"] = [incident.location_description or ""]
        if incident.npu_id:
            data["npu"] = [str(incident.npu_id)]
    meta = {"incident": incident.pk if incident else None, "q": ""}
    draft_id = qp.Drafts(request, KIND).create(data, meta)
    return redirect("detention-start-step", draft_id, STEPS[0].slug)


def step_view(request, draft_id, slug):
    denied = _denied(request)
    if denied:
        return denied
    drafts = qp.Drafts(request, KIND)
    draft = drafts.get(draft_id)
    if draft is None:
        return _lost(request)
    if draft["meta"].get("done"):
        return redirect("detention-detail", draft["meta"]["done"])
    step = FLOW.step(slug)
    if step is None:
        raise Http404
    data = draft["data"]
    changing = request.GET.get("change") == "1"
    if not step.applies(data):
        target = FLOW.first_unanswered(data, draft["answered"])
        if target is None:
            return redirect("detention-start-check", draft_id)
        return redirect("detention-start-step", draft_id, target.slug)
    incident = _incident(request, draft["meta"].get("incident"))
    context = {"draft_id": draft_id, "step": step, "incident": incident, "changing": changing}

    if step.slug == "person" and "q" in request.GET:
        draft["meta"]["q"] = (request.GET.get("q") or "").strip()[:100]
        drafts.save(draft_id, draft)

    if request.method == "POST":
        data = drop_hidden(qp.merge(data, request.POST, step.fields), step.fields)
        person = _person(request, data)
        form = _form(request, data, person)
        qp.restrict_errors(form, step.fields)
        extra_ok = _step_checks(request, step, form, data, person, context)
        if not form.errors and extra_ok:
            draft["data"] = data
            if step.slug not in draft["answered"]:
                draft["answered"].append(step.slug)
            for name in step.fields:
                draft["errors"].pop(name, None)
            drafts.save(draft_id, draft)
            nxt = FLOW.next(step.slug, data, draft["answered"], changing=changing)
            if nxt is None:
                return redirect("detention-start-check", draft_id)
            return redirect(_urls(draft_id, nxt.slug, changing))
    else:
        person = _person(request, data)
        form = _form(request, data, person)
        stored = {n: draft["errors"][n] for n in step.fields if n in draft["errors"]}
        if stored:
            # A refusal at the confirmation, shown beside its question.
            qp.restrict_errors(form, step.fields, stored)
        else:
            qp.clear_errors(form)
        if step.slug == "place":
            # The confirmation found the place full or closed since: ask here.
            place = _place(data)
            context["place_warning"] = place_warning.check(_confirmation(data), place)
    back_url, back_text = _back(request, draft_id, draft, step, changing)
    number, total = _page_number(step, data)
    context.update(
        form=form,
        back_url=back_url,
        back_text=back_text,
        action=_urls(draft_id, step.slug, changing),
        page_number=number,
        page_total=total,
        fields=[form[n] for n in step.fields if n in form.fields],
    )
    if step.slug == "person":
        context.update(_person_context(request, draft, data, person))
    if step.slug in ("place",):
        context["places"] = f.places_with_status()
        context["decision_fields"] = [form[n] for n in form.decision_fields]
    return render(request, step.template, context)


def _person_context(request, draft, data, chosen):
    actor = principal_of(request)
    q = draft["meta"].get("q") or ""
    people = []
    incident = _incident(request, draft["meta"].get("incident"))
    if incident is not None:
        people += list(incident.people.current().order_by("pk"))
    if q:
        base = people_policy.visible_people(actor).current()
        people += list(base.search(q).order_by("family_name", "given_name")[:10])
    if chosen is not None:
        people.append(chosen)
    seen, unique = set(), []
    for p in people:
        if p.pk not in seen:
            seen.add(p.pk)
            unique.append(p)
    running = _running(request, unique)
    for p in unique:
        p.running = running.get(p.pk)
    return {"people": unique, "q": q, "chosen": qp.value(data, "person")}


def _step_checks(request, step, form, data, person, context) -> bool:
    """The questions a page asks beyond the form: a choice on the person page, the person not
    already detained, and the warning for a full or closed place. False: stay on the page."""
    if step.slug == "person":
        choice = qp.value(data, "person")
        if not choice:
            form.add_error(
                "person", _("Select the person, or 'A new person' if they are not listed")
            )
            return False
        if person is not None and "person" not in form.errors:
            info = _running(request, [person]).get(person.pk)
            if info is not None:
                form.add_error("person", _already_detained_message(person, info))
                return False
    if step.slug == "place" and not form.errors:
        warning = place_warning.check(request.POST, form.cleaned_data.get("place_of_safety"))
        if warning is not None:
            context["place_warning"] = warning
            context["page_errors"] = bool(warning.get("error"))
            return False
    return True


# --------------------------------------------------------------------------- check answers
#: Questions revealed by an answer (conditional radios): asked, shown and kept only then.
ONLY_WHEN = {
    "warrant_issued_at": lambda d: qp.value(d, "power") == "s135_1",
    "premises_entered_at": lambda d: qp.value(d, "power") == "s135_1",
    "consultation_profession": lambda d: qp.value(d, "consulted") == "yes",
    "consultation_name": lambda d: qp.value(d, "consulted") == "yes",
    "consulted_at": lambda d: qp.value(d, "consulted") == "yes",
    "consultation_advice": lambda d: qp.value(d, "consulted") == "yes",
    "consultation_not_practicable_reason": lambda d: qp.value(d, "consulted") == "no",
    "conveyance_reason": lambda d: qp.value(d, "conveyance_mode") == "police_vehicle",
}


def drop_hidden(data, fields) -> dict:
    """The answers of `fields` without those of questions their reveal no longer shows (typed,
    then the revealing answer changed): they are not part of the record."""
    out = dict(data)
    for name in fields:
        only = ONLY_WHEN.get(name)
        if only is not None and not only(out):
            for key in qp.raw_keys(name, list(out)):
                del out[key]
    return out


def _person_text(person) -> str:
    if person.date_of_birth:
        return _("%(name)s, born %(dob)s") % {
            "name": person,
            "dob": dformat(person.date_of_birth, "j F Y"),
        }
    return str(person)


def _shown(name, data, form) -> bool:
    if name in f.PoliceStationDecisionMixin.decision_fields:
        place = form.cleaned_data.get("place_of_safety")
        return place is not None and place.kind == PlaceKind.POLICE_STATION
    only = ONLY_WHEN.get(name)
    return only is None or only(data)


def _rows(draft_id, form, data, person):
    rows = []
    for step in FLOW.applicable(data):
        change = _urls(draft_id, step.slug, True)
        if step.slug == "person":
            rows.append(
                {
                    "key": _("Person"),
                    "value": _person_text(person) if person is not None else _("A new person"),
                    "href": change,
                    "id": "person",
                }
            )
            continue
        for name in step.fields:
            if name not in form.fields or not _shown(name, data, form):
                continue
            text = qp.answer_text(form, name)
            if not text:
                continue
            rows.append({"key": form[name].label, "value": text, "href": f"{change}", "id": name})
    return rows


def check(request, draft_id):
    denied = _denied(request)
    if denied:
        return denied
    drafts = qp.Drafts(request, KIND)
    draft = drafts.get(draft_id)
    if draft is None:
        return _lost(request)
    if draft["meta"].get("done"):
        return redirect("detention-detail", draft["meta"]["done"])
    data = draft["data"]
    missing = FLOW.first_unanswered(data, draft["answered"])
    if missing is not None:
        return redirect("detention-start-step", draft_id, missing.slug)
    incident = _incident(request, draft["meta"].get("incident"))
    person = _person(request, data)
    form = _form(request, data, person)
    context = {"draft_id": draft_id, "incident": incident}
    if request.method == "POST":
        response = _confirm(request, drafts, draft_id, draft, form, person, incident, context)
        if response is not None:
            return response
    else:
        form.is_valid()
    place = form.cleaned_data.get("place_of_safety") if _kept(data) else None
    last = FLOW.applicable(data)[-1]
    context.update(
        form=form,
        rows=_rows(draft_id, form, data, person),
        back_url=reverse("detention-start-step", args=[draft_id, last.slug]),
        place_flag=place_warning.flag(place),
        summary=_summary(draft_id, form, data) if request.method == "POST" else [],
        page_number=len(FLOW.applicable(data)) + 1,
    )
    return render(request, "detentions/start/check.html", context)


def _confirm(request, drafts, draft_id, draft, form, person, incident, context):
    """Validates every answer again and starts the detention; None: show the check page."""
    data = draft["data"]
    if form.is_valid():
        place = form.cleaned_data.get("place_of_safety") if _kept(data) else None
        if place_warning.check(_confirmation(data), place):
            # Full or closed since the question was answered: ask there.
            return redirect(_urls(draft_id, "place", True))
        confirmed = request.POST.get("record_as_happened") == "yes"
        account = request.POST.get("account", "").strip()
        as_happened = (
            services.confirmed_as_happened(account) if confirmed and account else nullcontext()
        )
        try:
            detention, person = start_from_form(
                request, form, [person] if person else [], incident, as_happened
            )
        except RuleViolation as exc:
            form.add_violations(exc)
            if law.recordable(exc.violations):
                seen = {}
                for v in exc.violations:
                    seen.setdefault(v.rule, law.rule_title(v.rule))
                context.update(
                    recordable=[{"rule": r, "title": t} for r, t in seen.items()],
                    as_happened_checked=confirmed,
                    as_happened_account=request.POST.get("account", ""),
                )
                if confirmed and not account:
                    context["as_happened_error"] = _(
                        "You confirmed this has already happened: give an account of what "
                        "happened and why."
                    )
                if "child_police_station" in form.violation_codes:
                    context["under_18_places"] = _under_18_places()
                return None
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            draft["meta"]["done"] = detention.pk
            draft["data"] = {}
            drafts.save(draft_id, draft)
            messages.success(
                request,
                _("Detention %(ref)s started for %(name)s.")
                % {"ref": detention.reference, "name": person},
            )
            return redirect("detention-detail", detention.pk)
    # Send the officer to the first question with a problem, the message beside it.
    errors = {n: [str(e) for e in errs] for n, errs in form.errors.items() if n != "__all__"}
    for step in FLOW.applicable(data):
        if any(n in errors for n in step.fields):
            draft["errors"] = errors
            drafts.save(draft_id, draft)
            return redirect(_urls(draft_id, step.slug, True))
    return None  # only problems that name no question: shown on the check page


def _place(data):
    choice = qp.value(data, "place_of_safety")
    if not choice.isdigit():
        return None
    return PlaceOfSafety.objects.filter(pk=choice, active=True).first()


def _confirmation(data) -> dict:
    return {place_warning.CONFIRM_FIELD: qp.value(data, place_warning.CONFIRM_FIELD)}


def _summary(draft_id, form, data) -> list[dict]:
    """The check page's error summary: each problem links to the page of its question."""
    items = [{"text": e, "href": ""} for e in form.non_field_errors()]
    for step in FLOW.applicable(data):
        url = _urls(draft_id, step.slug, True)
        for name in step.fields:
            for e in form.errors.get(name, []) if name in form.fields else []:
                items.append({"text": e, "href": url})
    return items


def _under_18_places():
    return [
        p
        for p in f.places_with_status()
        if p.accepts_under_18 and p.kind != PlaceKind.POLICE_STATION
    ]
