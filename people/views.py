"""People pages: search, record, change, the person's page (one timeline, possible duplicates)
and the merge (confirmation and reason), and people with repeated contact.

A force sees only its own people (others: 404). Changes go through `incidents.services.people`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from core.form_fields import DateOfBirthField
from people import policy, repeat_demand, services
from people.forms import MergeForm, PersonForm, RepeatForm, add_service_errors
from people.services import PERSON_FIELDS

PAGE_SIZE = 25


def organisation_id(request) -> int:
    org_id = principal_of(request).organisation_id
    if org_id is None:
        raise Http404
    return org_id


def _visible(request):
    return policy.visible_people(principal_of(request))


@perm_required(Perm.VIEW_PEOPLE)
def people_search(request):
    q = (request.GET.get("q") or "").strip()
    nhs = (request.GET.get("nhs_number") or "").strip()
    dob_field = DateOfBirthField(required=False)
    dob_raw = dob_field.widget.value_from_datadict(request.GET, None, "dob")
    dob_error = ""
    try:
        dob = dob_field.clean(dob_raw)
    except ValidationError as exc:
        dob, dob_error = None, exc.messages[0]
    searched = bool(q or nhs or dob)
    page = None
    if searched:
        qs = _visible(request).current().search(q, date_of_birth=dob, nhs_number=nhs)
        page = Paginator(qs.order_by("family_name", "given_name", "id"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/search.html",
        {
            "q": q,
            "nhs_number": nhs,
            "dob": dob_field.prepare_value(dob_raw or dob),
            "dob_error": dob_error,
            "page_errors": bool(dob_error),
            "page": page,
            "searched": searched,
            "querystring": query.urlencode(),
            "may_record": has_perm(request.user, Perm.RECORD_PEOPLE),
        },
    )


@perm_required(Perm.RECORD_PEOPLE)
def person_edit(request, pk):
    person = get_object_or_404(_visible(request).current(), pk=pk)
    initial = {k: getattr(person, k) for k in PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person, **{k: form.cleaned_data.get(k) for k in PERSON_FIELDS})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Details updated."))
            return redirect("person-detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "creating": False})


@perm_required(Perm.VIEW_PEOPLE)
def person_detail(request, pk):
    person = get_object_or_404(_visible(request).select_related("merged_into"), pk=pk)
    timeline = []
    for entry in services.person_timeline(person):
        url = entry.obj.get_absolute_url()
        timeline.append({"kind": entry.kind, "at": entry.at, "obj": entry.obj, "url": url})
    duplicates = [] if person.is_merged else list(services.possible_duplicates(person))
    today = timezone.localdate()
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "age": services.age_on(person, today),
            "timeline": timeline,
            "duplicates": duplicates,
            "merged_from": list(person.merged_people.all()),
            "may_record": has_perm(request.user, Perm.RECORD_PEOPLE),
            "may_log": has_perm(request.user, Perm.RECORD_INCIDENTS),
            "plans": list(
                policy.visible_plans(principal_of(request))
                .filter(person=person)
                .select_related("author_organisation")
                .order_by("-created_at")
            ),
        },
    )


@perm_required(Perm.RECORD_PEOPLE)
def person_merge(request, pk, other_pk):
    visible = _visible(request).current()
    person = get_object_or_404(visible, pk=pk)
    other = get_object_or_404(visible, pk=other_pk)
    if person.pk == other.pk:
        return redirect("person-detail", pk=person.pk)
    people = [person, other]
    form = MergeForm(request.POST or None, people=people, initial={"keep": str(person.pk)})
    if request.method == "POST" and form.is_valid():
        keep = person if form.cleaned_data["keep"] == str(person.pk) else other
        merge = other if keep is person else person
        try:
            services.merge_people(keep=keep, merge=merge, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Records merged: %(merged)s (record %(id)s) is now part of this record.")
                % {"merged": merge.full_name, "id": merge.pk},
            )
            return redirect("person-detail", pk=keep.pk)
    counts = {
        p.pk: {
            "incidents": p.incidents.count(),
            "detentions": p.detentions.count(),
            "active_detention": p.detentions.filter(ended_at__isnull=True).exists(),
        }
        for p in people
    }
    return render(
        request,
        "people/merge.html",
        {
            "person": person,
            "other": other,
            "people": [(p, counts[p.pk]) for p in people],
            "form": form,
        },
    )


@perm_required(Perm.VIEW_PEOPLE)
def repeated_contact(request):
    org_id = organisation_id(request)
    form = RepeatForm(request.GET or None)
    demand = form.demand(repeat_demand.of_people())
    window, minimum = demand.window_days, demand.min_incidents
    qs = services.people_with_repeated_contact(org_id, window_days=window, min_incidents=minimum)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/repeated_contact.html",
        {
            "form": form,
            "page": page,
            "window": window,
            "minimum": minimum,
            "querystring": query.urlencode(),
        },
    )
