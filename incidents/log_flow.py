"""Log an incident: question pages and check your answers (issue 19).

`/incidents/new/` (`?person=`) opens a new draft and goes to the first question; each page
asks a few questions of `LogIncidentForm` and keeps the answers in the session
(`core.question_pages`); nothing is saved until the check page's confirmation, which validates
every answer again and logs the incident through `incidents.log_incident` (the services). A
refusal sends the officer back to the page of the question it concerns, with its message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Perm, perm_required
from accounts.principal import principal_of
from core import question_pages as qp
from core.form_fields import local_parts, now_initial
from incidents import services
from incidents.forms import LogIncidentForm
from incidents.log_incident import ALIASES, log_from_form
from people import policy as people_policy
from people.forms import add_service_errors

KIND = "incident-log"

STEPS = [
    qp.Step(
        "when",
        gettext_lazy("When did it happen?"),
        ("occurred_at", "reported_at", "ended_at", "category"),
    ),
    qp.Step(
        "where",
        gettext_lazy("Where did it happen?"),
        (
            "npu",
            "location_description",
            "location_postcode",
            "healthcare_setting",
            "healthcare_place",
            "healthcare_setting_name",
        ),
    ),
    qp.Step(
        "person",
        gettext_lazy("Person involved"),
        ("person_given_name", "person_family_name", "person_date_of_birth"),
    ),
    qp.Step(
        "rcrp",
        gettext_lazy("Right Care Right Person"),
        ("rcrp_threshold", "rcrp_rationale", "rcrp_passed_to"),
    ),
    qp.Step(
        "officer",
        gettext_lazy("Officer deployed"),
        ("officer_name", "collar_number", "officer_minutes"),
    ),
    qp.Step(
        "summary",
        gettext_lazy("Summary and outcome"),
        ("summary", "outcome", "outcome_detail"),
    ),
]
FLOW = qp.Flow(STEPS)
INTROS = {
    "person": gettext_lazy(
        "Optional. Add a new person here; to find someone already recorded, add them from the "
        "incident page after logging it."
    ),
    "officer": gettext_lazy("Optional. Add more officers from the incident page."),
}


def _url(draft_id, slug, changing=False):
    url = reverse("incident-log-step", args=[draft_id, slug])
    return url + ("?change=1" if changing else "")


def _person(request, draft):
    person_id = draft["meta"].get("person")
    if not person_id:
        return None
    return (
        people_policy.visible_people(principal_of(request)).current().filter(pk=person_id).first()
    )


def _form(request, data):
    return LogIncidentForm(
        qp.as_querydict(data), organisation_id=principal_of(request).organisation_id
    )


def _lost(request):
    messages.info(
        request,
        _(
            "Those answers are no longer kept (they are kept for %(minutes)s minutes, in this "
            "browser only). Nothing was saved: start again."
        )
        % {"minutes": qp.draft_minutes()},
    )
    return redirect("incident-list")


def _draft(request, draft_id):
    drafts = qp.Drafts(request, KIND)
    return drafts, drafts.get(draft_id)


@perm_required(Perm.RECORD_INCIDENTS)
def begin(request):
    if principal_of(request).organisation_id is None:
        raise Http404
    meta = {"person": None}
    if (request.GET.get("person") or "").isdigit():
        person = get_object_or_404(
            people_policy.visible_people(principal_of(request)).current(),
            pk=request.GET["person"],
        )
        meta["person"] = person.pk
    parts = local_parts(now_initial())
    data = {f"occurred_at-{p}": [parts[p]] for p in ("day", "month", "year", "time")}
    draft_id = qp.Drafts(request, KIND).create(data, meta)
    return redirect("incident-log-step", draft_id, STEPS[0].slug)


@perm_required(Perm.RECORD_INCIDENTS)
def step_view(request, draft_id, slug):
    drafts, draft = _draft(request, draft_id)
    if draft is None:
        return _lost(request)
    if draft["meta"].get("done"):
        return redirect("incident-detail", draft["meta"]["done"])
    step = FLOW.step(slug)
    if step is None:
        raise Http404
    changing = request.GET.get("change") == "1"
    data = draft["data"]
    if request.method == "POST":
        data = qp.merge(data, request.POST, step.fields)
        form = _form(request, data)
        qp.restrict_errors(form, step.fields)
        if not form.errors:
            draft["data"] = data
            if step.slug not in draft["answered"]:
                draft["answered"].append(step.slug)
            for name in step.fields:
                draft["errors"].pop(name, None)
            drafts.save(draft_id, draft)
            nxt = FLOW.next(step.slug, data, draft["answered"], changing=changing)
            if nxt is None:
                return redirect("incident-log-check", draft_id)
            return redirect(_url(draft_id, nxt.slug, changing))
    else:
        form = _form(request, data)
        stored = {n: draft["errors"][n] for n in step.fields if n in draft["errors"]}
        if stored:
            qp.restrict_errors(form, step.fields, stored)
        else:
            qp.clear_errors(form)
    if changing:
        back = reverse("incident-log-check", args=[draft_id]), _("Back to your answers")
    elif (previous := FLOW.previous(step.slug, data)) is not None:
        back = _url(draft_id, previous.slug), _("Back")
    else:
        back = reverse("incident-list"), _("Back to incidents")
    steps = FLOW.applicable(data)
    return render(
        request,
        "core/question_page.html",
        {
            "flow_title": _("Log an incident"),
            "step": step,
            "intro": INTROS.get(step.slug, ""),
            "person": _person(request, draft) if step.slug == "person" else None,
            "form": form,
            "fields": [form[n] for n in step.fields],
            "action": _url(draft_id, step.slug, changing),
            "back_url": back[0],
            "back_text": back[1],
            "page_number": [s.slug for s in steps].index(step.slug) + 1,
            "page_total": len(steps) + 1,
        },
    )


@perm_required(Perm.RECORD_INCIDENTS)
def check(request, draft_id):
    drafts, draft = _draft(request, draft_id)
    if draft is None:
        return _lost(request)
    if draft["meta"].get("done"):
        return redirect("incident-detail", draft["meta"]["done"])
    data = draft["data"]
    missing = FLOW.first_unanswered(data, draft["answered"])
    if missing is not None:
        return redirect("incident-log-step", draft_id, missing.slug)
    form = _form(request, data)
    person = _person(request, draft)
    if request.method == "POST":
        if form.is_valid():
            fields = {
                k: form.cleaned_data.get(k)
                for k in services.EDITABLE_FIELDS
                if k in form.cleaned_data
            }
            try:
                incident = log_from_form(request, form, person, fields)
            except ValidationError as exc:
                add_service_errors(form, exc, aliases=ALIASES)
            else:
                draft["meta"]["done"] = incident.pk
                draft["data"] = {}
                drafts.save(draft_id, draft)
                messages.success(
                    request, _("Incident %(ref)s logged.") % {"ref": incident.reference}
                )
                return redirect("incident-detail", pk=incident.pk)
        errors = {n: [str(e) for e in errs] for n, errs in form.errors.items() if n != "__all__"}
        for step in FLOW.applicable(data):
            if any(n in errors for n in step.fields):
                draft["errors"] = errors
                drafts.save(draft_id, draft)
                return redirect(_url(draft_id, step.slug, True))
    else:
        form.is_valid()
    rows = []
    if person is not None:
        rows.append({"key": _("Person added"), "value": str(person), "href": "", "id": "person"})
    for step in FLOW.applicable(data):
        for name in step.fields:
            text = qp.answer_text(form, name)
            if text:
                rows.append(
                    {
                        "key": form[name].label,
                        "value": text,
                        "href": _url(draft_id, step.slug, True),
                        "id": name,
                    }
                )
    return render(
        request,
        "core/check_answers.html",
        {
            "flow_title": _("Log an incident"),
            "title": _("Check your answers before logging the incident"),
            "form": form,
            "rows": rows,
            "summary": [{"text": e, "href": ""} for e in form.non_field_errors()]
            if request.method == "POST"
            else [],
            "back_url": _url(draft_id, FLOW.applicable(data)[-1].slug),
            "button": _("Log the incident"),
            "declaration": "",
        },
    )
