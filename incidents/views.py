"""Incident pages: log (phone first), edit, detail, the filterable list, repeat locations.

Permissions are checked on the server for every page (`perm_required`); a record of another
organisation is a 404. Every change goes through `incidents.services.incidents`."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import NPU
from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from incidents import policy, services
from incidents.choices import IncidentCategory, IncidentOutcome, RcrpThreshold
from incidents.forms import IncidentForm, LogIncidentForm, OfficerForm
from incidents.log_incident import ALIASES, log_from_form
from incidents.models import OfficerDeployment
from people import policy as people_policy
from people import related, repeat_demand
from people import services as people_services
from people.forms import NewPersonForm, RepeatForm, add_service_errors
from people.services import PERSON_FIELDS

PAGE_SIZE = 25
INCIDENT_FIELDS = services.EDITABLE_FIELDS


def organisation_id(request) -> int:
    org_id = principal_of(request).organisation_id
    if org_id is None:
        raise Http404
    return org_id


def _visible(request):
    return policy.visible_incidents(principal_of(request))


def _people(request):
    return people_policy.visible_people(principal_of(request))


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _parse_date(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date
    except (TypeError, ValueError):
        return None


@perm_required(Perm.VIEW_INCIDENTS)
def incident_list(request):
    org_id = organisation_id(request)
    g = request.GET
    qs = _visible(request)
    filters = {
        "from": g.get("from", ""),
        "to": g.get("to", ""),
        "npu": g.get("npu", ""),
        "category": g.get("category", ""),
        "rcrp_threshold": g.get("rcrp_threshold", ""),
        "outcome": g.get("outcome", ""),
        "location": g.get("location", ""),
        "reference": (g.get("reference") or "").strip(),
    }
    errors = {}
    day_from, day_to = _parse_date(filters["from"]), _parse_date(filters["to"])
    if filters["from"] and not day_from:
        errors["from"] = _("Enter a real date, for example 2026-03-27")
    if filters["to"] and not day_to:
        errors["to"] = _("Enter a real date, for example 2026-03-27")
    if day_from and day_to and day_to < day_from:
        errors["to"] = _("The end date must be the same as or after the start date")
    if day_from and not errors:
        qs = qs.filter(occurred_at__gte=_local_midnight(day_from))
    if day_to and not errors:
        qs = qs.filter(occurred_at__lt=_local_midnight(day_to + timedelta(days=1)))
    if filters["npu"]:
        qs = qs.filter(npu__code=filters["npu"])
    if filters["location"]:
        qs = qs.filter(location_key=filters["location"])
    if filters["reference"]:  # Harbour's, the CAD incident number or the RMS reference
        qs = qs.with_reference(filters["reference"])
    for name, choices in (
        ("category", IncidentCategory),
        ("rcrp_threshold", RcrpThreshold),
        ("outcome", IncidentOutcome),
    ):
        if filters[name] in choices.values:
            qs = qs.filter(**{name: filters[name]})
    minutes = (
        OfficerDeployment.objects.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    qs = (
        qs.select_related("npu")
        .annotate(
            people_count=Count("people", distinct=True),
            officer_minutes=Subquery(minutes, output_field=IntegerField()),
        )
        .order_by("-occurred_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "errors": errors,
        "page_errors": bool(errors),  # "Error: " before the title
        "querystring": query.urlencode(),
        "npus": NPU.objects.filter(force_id=org_id).order_by("code"),
        "categories": IncidentCategory.choices,
        "thresholds": RcrpThreshold.choices,
        "outcomes": IncidentOutcome.choices,
    }
    return render(request, "incidents/list.html", context)


def _fields_from(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in INCIDENT_FIELDS if k in form.cleaned_data}


@perm_required(Perm.RECORD_INCIDENTS)
def incident_new(request):
    org_id = organisation_id(request)
    person = None
    if (request.GET.get("person") or "").isdigit():
        person = get_object_or_404(_people(request).current(), pk=request.GET["person"])
    form = LogIncidentForm(request.POST or None, organisation_id=org_id)
    if request.method == "POST" and form.is_valid():
        try:
            incident = log_from_form(request, form, person, _fields_from(form))
        except ValidationError as exc:
            add_service_errors(form, exc, aliases=ALIASES)
        else:
            messages.success(request, _("Incident %(ref)s logged.") % {"ref": incident.reference})
            return redirect("incident-detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "person": person, "creating": True},
    )


@perm_required(Perm.RECORD_INCIDENTS)
def incident_edit(request, pk):
    incident = get_object_or_404(_visible(request).select_related("npu"), pk=pk)
    initial = {k: getattr(incident, k) for k in INCIDENT_FIELDS}
    form = IncidentForm(
        request.POST or None, initial=initial, organisation_id=incident.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incident(incident, **_fields_from(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Incident %(ref)s updated.") % {"ref": incident.reference})
            return redirect("incident-detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "incident": incident, "creating": False},
    )


def _detention_start_url(incident) -> str:
    return f"{reverse('detention-start')}?incident={incident.pk}"


@perm_required(Perm.VIEW_INCIDENTS)
def incident_detail(request, pk):
    incident = get_object_or_404(
        _visible(request).select_related("npu", "healthcare_place", "organisation"), pk=pk
    )
    officers = list(incident.officers.all())
    context = {
        "incident": incident,
        "people": incident.people.all(),
        "officers": officers,
        "total_minutes": sum(o.minutes for o in officers),
        "detentions": incident.detentions.select_related("person", "current_place_of_safety"),
        # Referrals from the incident (partners), and whatever else an app adds.
        **{
            name: records(incident, principal_of(request))
            for name, records in related.INCIDENT_RECORDS.items()
        },
        "detention_start_url": _detention_start_url(incident)
        if has_perm(request.user, Perm.RECORD_DETENTIONS)
        else "",
        "officer_form": OfficerForm(),
        "may_record": has_perm(request.user, Perm.RECORD_INCIDENTS),
    }
    return render(request, "incidents/detail.html", context)


@perm_required(Perm.RECORD_INCIDENTS)
def incident_add_officer(request, pk):
    incident = get_object_or_404(_visible(request), pk=pk)
    form = OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_officer(incident, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.error_dict.values():
                for error in errors:
                    form.add_error(None, error)
        else:
            messages.success(request, _("Officer added."))
            return redirect("incident-detail", pk=incident.pk)
    return render(request, "incidents/officer_form.html", {"form": form, "incident": incident})


@require_POST
@perm_required(Perm.RECORD_INCIDENTS)
def incident_remove_officer(request, pk, officer_pk):
    incident = get_object_or_404(_visible(request), pk=pk)
    deployment = get_object_or_404(OfficerDeployment, pk=officer_pk, incident=incident)
    services.remove_officer(deployment)
    messages.success(request, _("Officer removed."))
    return redirect("incident-detail", pk=incident.pk)


@perm_required(Perm.RECORD_INCIDENTS)
def incident_add_person(request, pk):
    """Find the person among the force's records (search first, to avoid duplicates), or go
    to the new-person page, which comes back here."""
    organisation_id(request)
    incident = get_object_or_404(_visible(request), pk=pk)
    if request.method == "POST":
        person = get_object_or_404(_people(request), pk=request.POST.get("person"))
        try:
            services.add_person(incident, person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(name)s added to the incident.") % {"name": person.full_name}
            )
        return redirect("incident-detail", pk=incident.pk)
    q = (request.GET.get("q") or "").strip()
    results = _people(request).current().search(q)[:20] if q else []
    return render(
        request,
        "incidents/add_person.html",
        {"incident": incident, "q": q, "results": results},
    )


@require_POST
@perm_required(Perm.RECORD_INCIDENTS)
def incident_remove_person(request, pk, person_pk):
    incident = get_object_or_404(_visible(request), pk=pk)
    person = get_object_or_404(incident.people.all(), pk=person_pk)
    services.remove_person(incident, person)
    messages.success(request, _("%(name)s removed from the incident.") % {"name": person.full_name})
    return redirect("incident-detail", pk=incident.pk)


@perm_required(Perm.VIEW_INCIDENTS)
def repeat_locations(request):
    org_id = organisation_id(request)
    form = RepeatForm(request.GET or None)
    demand = form.demand(repeat_demand.of_locations())
    window, minimum = demand.window_days, demand.min_incidents
    rows = list(
        services.locations_with_repeated_calls(org_id, window_days=window, min_incidents=minimum)[
            :200
        ]
    )
    return render(
        request,
        "incidents/repeat_locations.html",
        {"form": form, "rows": rows, "window": window, "minimum": minimum},
    )


# A new person, added at once to the incident they were created from (`?incident=<id>`): the
# incident's flow, so it lives here; the page is the people app's form.


def _return_to_incident(request):
    """`?incident=<id>`: a new person is added to that incident (the force's own)."""
    value = request.GET.get("incident") or ""
    if not value.isdigit():
        return None
    return get_object_or_404(policy.visible_incidents(principal_of(request)), pk=value)


@perm_required(Perm.RECORD_PEOPLE)
def person_new(request):
    org = request.user.membership.organisation
    incident = _return_to_incident(request)
    form = NewPersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in PERSON_FIELDS}
        duplicates = list(
            people_services.find_duplicates_for(
                org.pk,
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
            )
        )
        if duplicates and not form.cleaned_data.get("not_a_duplicate"):
            form.add_error(
                "not_a_duplicate",
                _("Check the records that may be this person before creating a new one."),
            )
        else:
            try:
                person = people_services.create_person(organisation=org, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if incident is not None and has_perm(request.user, Perm.RECORD_INCIDENTS):
                    services.add_person(incident, person)
                    messages.success(
                        request,
                        _("%(name)s recorded and added to %(ref)s.")
                        % {"name": person.full_name, "ref": incident.reference},
                    )
                    return redirect("incident-detail", pk=incident.pk)
                messages.success(request, _("%(name)s recorded.") % {"name": person.full_name})
                return redirect("person-detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "creating": True, "duplicates": duplicates, "incident": incident},
    )
