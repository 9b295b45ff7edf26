"""Dashboard pages (force-wide and per NPU), CSV of any dashboard table, the s136 return page,
and long exports (a Celery task with a progress bar).

Every page needs `Perm.VIEW_REPORTS` and shows only the user's own force's records: the scope
of every query is the user's organisation, and an NPU or export of another organisation is 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import NPU
from accounts.permissions import Perm, perm_required
from accounts.principal import resolve
from core import csv
from detentions import policy as detention_policy
from detentions.choices import ConveyanceMode, PoliceVehicleReason, Power
from incidents.choices import IncidentCategory
from people.choices import Gender
from places_of_safety.models import PlaceKind
from use_of_force.models import Tactic

from . import policy, queries, services
from .forms import RETURN_POWERS, ExportForm, ReportFilterForm, ReturnForm
from .models import EthnicGroup, Export, ExportKind, ExportStatus

# Sections of the dashboard, in order: (heading, [figure keys]).
SECTIONS = [
    (
        "demand",
        _lazy("Demand"),
        ["volumes", "categories", "heatmap", "rcrp", "rcrp_passed_to", "officer_hours"],
    ),
    (
        "s136",
        _lazy("s136 detentions"),
        [
            "first_place",
            "conveyance",
            "police_vehicle_reasons",
            "time_to_assessment",
            "time_to_handover",
            "handover_waits",
            "length",
            "extensions",
            "breaches",
            "outcomes",
            "transfers",
            "force",
            "unlawful_acts",
        ],
    ),
    ("disproportionality", _lazy("Disproportionality"), ["ethnicity"]),
]
# Repeat demand names people (for multi-agency care planning): a page of its own, linked from
# the dashboard, so the dashboard itself shows no one's name.
REPEAT_FIGURES = ["repeat_people", "repeat_locations"]


def _organisation_id(user):
    return resolve(user).organisation_id


def _npu_or_404(user, code) -> NPU:
    try:
        return NPU.objects.get(force_id=_organisation_id(user), code=code)
    except NPU.DoesNotExist:
        raise Http404 from None


def _filters(request, npu=None):
    """The filters asked for: an NPU lead who has not chosen an NPU (no `npu` in the query)
    lands on their own NPU (`policy.home_npu`); "Whole force" asks for `npu=` explicitly."""
    data = request.GET
    home = policy.home_npu(request.user) if npu is None and "npu" not in data else None
    if home is not None:
        data = data.copy()
        data["npu"] = home.code
    return data


def _scope_from(request, *, npu=None):
    org_id = _organisation_id(request.user)
    data = _filters(request, npu)
    form = ReportFilterForm(data or None, organisation_id=org_id, fixed_npu=npu)
    date_from, date_to, chosen_npu, category = form.values()
    scope = queries.Scope(
        organisation_id=org_id if org_id is not None else -1,
        date_from=date_from,
        date_to=date_to,
        npu_id=chosen_npu.pk if chosen_npu else None,
        category=category,
    )
    return form, scope, chosen_npu


def _heat_levels(table):
    """Shading class 0-5 for each heatmap cell (server-rendered, no script needed)."""
    peak = max((max(r[1:]) for r in table.rows), default=0)
    shaded = []
    for r in table.rows:
        cells = [
            (n, 0 if not n or not peak else 1 + min(4, int(5 * n / (peak + 1)))) for n in r[1:]
        ]
        shaded.append((r[0], cells))
    return shaded, peak


def _dashboard(request, npu=None):
    form, scope, chosen = _scope_from(request, npu=npu)
    tables = queries.dashboard(scope, exclude=REPEAT_FIGURES)
    heat_rows, heat_peak = _heat_levels(tables["heatmap"])
    station = tables["police_station"]
    query = _filters(request, npu).urlencode()
    sections = [
        {"id": sid, "title": title, "tables": [tables[k] for k in keys if k != "heatmap"]}
        for sid, title, keys in SECTIONS
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "npu": chosen,
            "fixed_npu": npu,
            "tables": tables,
            "sections": sections,
            "heatmap": tables["heatmap"],
            "heat_rows": heat_rows,
            "heat_peak": heat_peak,
            "at_station": station.rows[0][1],
            "under_18_at_station": station.rows[1][1],
            "query": query,
            # The force's NPUs, by name: the form has them already (one query, not two).
            "npus": list(form.npus.values()),
            "csv_base": reverse("reporting:npu_csv", args=[npu.code, "KEY"])
            if npu
            else reverse("reporting:csv", args=["KEY"]),
            "export_kinds": ExportKind.choices,
            "category_label": dict(IncidentCategory.choices).get(scope.category, ""),
            # R1: the lead's review list, for those who may open it.
            "unlawful_review_url": reverse("unlawful-acts")
            if detention_policy.permitted(resolve(request.user), "review_unlawful")
            else None,
        },
    )


@perm_required(Perm.VIEW_REPORTS)
def dashboard(request):
    return _dashboard(request)


@perm_required(Perm.VIEW_REPORTS)
def npu_dashboard(request, code):
    return _dashboard(request, npu=_npu_or_404(request.user, code))


def _repeat(request, npu=None):
    form, scope, chosen = _scope_from(request, npu=npu)
    return render(
        request,
        "reporting/repeat.html",
        {
            "form": form,
            "scope": scope,
            "npu": chosen,
            "fixed_npu": npu,
            "tables": [queries.FIGURES[k](scope) for k in REPEAT_FIGURES],
            "query": _filters(request, npu).urlencode(),
            "csv_base": reverse("reporting:npu_csv", args=[npu.code, "KEY"])
            if npu
            else reverse("reporting:csv", args=["KEY"]),
        },
    )


@perm_required(Perm.VIEW_REPORTS)
def repeat(request):
    return _repeat(request)


@perm_required(Perm.VIEW_REPORTS)
def npu_repeat(request, code):
    return _repeat(request, npu=_npu_or_404(request.user, code))


def _csv_response(filename, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(rows)
    return response


def _table_csv(request, key, npu=None):
    fn = queries.FIGURES.get(key)
    if fn is None:
        raise Http404
    _form, scope, chosen = _scope_from(request, npu=npu)
    table = fn(scope)
    name = f"{key}-{chosen.code + '-' if chosen else ''}{scope.date_from}-{scope.date_to}.csv"
    return _csv_response(name, [[str(c) for c in table.columns], *table.rows])


@perm_required(Perm.VIEW_REPORTS)
def table_csv(request, key):
    return _table_csv(request, key)


@perm_required(Perm.VIEW_REPORTS)
def npu_table_csv(request, code, key):
    return _table_csv(request, key, npu=_npu_or_404(request.user, code))


# --------------------------------------------------------------------------- s136 return
def last_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    end_year = today.year if today.month >= 4 else today.year - 1
    return dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31)


def _return_scope(request):
    org_id = _organisation_id(request.user)
    form = ReturnForm(request.GET or None, organisation_id=org_id)
    default_from, default_to = last_financial_year(timezone.localdate())
    date_from, date_to, power = default_from, default_to, Power.S136
    if form.is_bound and form.is_valid():
        date_from = form.cleaned_data["date_from"] or default_from
        date_to = form.cleaned_data["date_to"] or default_to
        power = form.cleaned_data["power"] or Power.S136
    scope = queries.Scope(
        organisation_id=org_id if org_id is not None else -1,
        date_from=date_from,
        date_to=date_to,
        power=power,
    )
    return form, scope


RETURN_LABELS = {
    "total": _lazy("Total detentions"),
    "under_18_at_police_station": _lazy("Under 18s held at a police station"),
    "unlawful_acts": _lazy("Detentions with an unlawful act recorded as it happened"),
    "extensions": _lazy("Extensions"),
    "breaches": _lazy("Breaches of the permitted period"),
    "median_minutes_to_assessment": _lazy("Median minutes from arrival to assessment"),
    "force_used": _lazy("Detentions with any force used"),
    "prone_restraint": _lazy("Detentions with a prone restraint"),
    "restraint_at_health_based_place": _lazy(
        "Detentions with a restraint at a health-based place of safety"
    ),
    "protective_searches": _lazy("Detentions with a protective search (s136C)"),
    "searches_items_found": _lazy("Searches that found something (detentions)"),
}
RETURN_GROUP_LABELS = {
    "by_first_place_of_safety": _lazy("By first place of safety"),
    "by_age_group": _lazy("By age group"),
    "by_gender": _lazy("By gender"),
    "by_ethnicity_group": _lazy("By ethnic group"),
    "by_conveyance": _lazy("By conveyance"),
    "by_police_vehicle_reason": _lazy("Police vehicle: reason"),
    "by_force_tactic": _lazy("Force used: tactic"),
    "force_injuries": _lazy("Force used: injuries"),
}


#: The words of each category of the return (the CSV keeps the contract's codes).
RETURN_CATEGORY_LABELS = {
    "by_first_place_of_safety": PlaceKind.choices,
    "by_age_group": [
        ("under_18", _lazy("Under 18")),
        ("18_and_over", _lazy("18 and over")),
        ("not_known", _lazy("Age not known")),
    ],
    "by_gender": Gender.choices,
    "by_ethnicity_group": EthnicGroup.choices,
    "by_conveyance": ConveyanceMode.choices,
    "by_police_vehicle_reason": PoliceVehicleReason.choices,
    "by_force_tactic": Tactic.choices,
    "force_injuries": [
        ("person", _lazy("The person injured")),
        ("officer", _lazy("An officer injured")),
    ],
}


def _category_rows(key, counts) -> list[tuple]:
    """(code, label, count) of one group of the return: labels, never raw codes, on the page."""
    labels = {**queries.EXTRA_LABELS, **dict(RETURN_CATEGORY_LABELS.get(key, ()))}
    return [(k, labels.get(k, k), n) for k, n in counts.items()]


@perm_required(Perm.VIEW_REPORTS)
def s136_return_page(request):
    form, scope = _return_scope(request)
    data = queries.s136_return(scope)
    groups = [
        (k, RETURN_GROUP_LABELS[k], _category_rows(k, v))
        for k, v in data.items()
        if isinstance(v, dict)
    ]
    singles = [(k, RETURN_LABELS[k], v) for k, v in data.items() if k in RETURN_LABELS]
    return render(
        request,
        "reporting/s136_return.html",
        {
            "form": form,
            "scope": scope,
            "data": data,
            "groups": groups,
            "singles": singles,
            "power_label": dict(RETURN_POWERS)[scope.power],
            "csv_url": reverse("reporting:s136_return_csv")
            + f"?date_from={scope.date_from}&date_to={scope.date_to}&power={scope.power}",
        },
    )


@perm_required(Perm.VIEW_REPORTS)
def s136_return_csv(request):
    form, scope = _return_scope(request)
    rows = queries.s136_return_rows(queries.s136_return(scope))
    return _csv_response(queries.return_filename(scope), rows)


# --------------------------------------------------------------------------- exports
def _export_or_404(request, pk) -> Export:
    """The requester, or a reporting user of the same organisation; anyone else: 404."""
    try:
        return policy.visible_exports(resolve(request.user)).get(pk=pk)
    except Export.DoesNotExist:
        raise Http404 from None


@require_POST
@perm_required(Perm.VIEW_REPORTS)
def export_create(request):
    org_id = _organisation_id(request.user)
    form = ExportForm(request.POST)
    if org_id is None or not form.is_valid():
        return redirect("reporting:dashboard")
    npu = form.cleaned_data["npu"]
    if npu and not NPU.objects.filter(force_id=org_id, code=npu).exists():
        raise Http404
    export = services.request_export(
        user=request.user,
        organisation_id=org_id,
        kind=form.cleaned_data["kind"],
        params={
            "date_from": form.cleaned_data["date_from"].isoformat(),
            "date_to": form.cleaned_data["date_to"].isoformat(),
            "npu": npu,
            "category": form.cleaned_data["category"],
        },
    )
    return redirect("reporting:export", pk=export.pk)


def _status(export: Export) -> dict:
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "progress": export.progress,
        "rows_written": export.rows_written,
        "total_rows": export.total_rows,
        "download_url": reverse("reporting:export_download", args=[export.pk])
        if export.status == ExportStatus.DONE
        else None,
    }


@perm_required(Perm.VIEW_REPORTS)
def export_detail(request, pk):
    export = _export_or_404(request, pk)
    return render(request, "reporting/export.html", {"export": export, "status": _status(export)})


@perm_required(Perm.VIEW_REPORTS)
def export_status(request, pk):
    return JsonResponse(_status(_export_or_404(request, pk)))


@perm_required(Perm.VIEW_REPORTS)
def export_download(request, pk):
    export = _export_or_404(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="text/csv",
    )
