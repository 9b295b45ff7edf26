from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from core import csv
from core.records import model_for_label

from . import access, history, search
from .models import AccessLog
from .policy import may_read_history


def _record_title(model, obj, pk):
    name = capfirst(model._meta.verbose_name)
    return f"{name} {obj}" if obj is not None else f"{name} {pk}"


@login_required
@require_GET
def record_history(request, label, pk):
    """Every version of a record (and of what it owns), who made it, when, and what changed."""
    model = history.tracked_model(label)
    pk = history.parse_pk(model, pk)
    if not may_read_history(principal_of(request), model, pk):
        raise Http404
    obj = model._base_manager.filter(pk=pk).first()
    if obj is None and not model.history.filter(**{model._meta.pk.attname: pk}).exists():
        raise Http404
    versions = history.timeline(model, pk)
    versions.reverse()  # newest first
    access_log_url = None
    if has_perm(request.user, Perm.VIEW_AUDIT):
        access_log_url = (
            reverse("audit:access-log") + "?" + urlencode({"model": label, "record_id": pk})
        )
    return render(
        request,
        "audit/history.html",
        {
            "title": _record_title(model, obj, pk),
            "model_label": history.label_of(model),
            "object": obj,
            "versions": versions,
            "access_log_url": access_log_url,
        },
    )


# --- Audit search ------------------------------------------------------------------------------

KIND_CHOICES = [
    ("", gettext_lazy("Any change")),
    ("+", gettext_lazy("Created")),
    ("~", gettext_lazy("Changed")),
    ("-", gettext_lazy("Deleted")),
    ("correction", gettext_lazy("Correction")),
]
WHOSE_CHOICES = [
    ("either", gettext_lazy("Of the person who made the change, or of the record")),
    ("actor", gettext_lazy("Of the person or system that made the change")),
    ("record", gettext_lazy("Of the record")),
]


def _model_choices():
    return [("", gettext_lazy("Any kind of record"))] + [
        (history.label_of(m), capfirst(m._meta.verbose_name)) for m in search.tracked_models()
    ]


class SearchForm(forms.Form):
    person = forms.IntegerField(label=gettext_lazy("Person (id)"), required=False, min_value=1)
    model = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    record_id = forms.CharField(
        label=gettext_lazy("Record id or reference"), required=False, max_length=64
    )
    actor = forms.CharField(
        label=gettext_lazy("Changed by (user name, API key name or system task)"),
        required=False,
        max_length=200,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Any organisation"),
    )
    whose = forms.ChoiceField(
        label=gettext_lazy("Organisation"), choices=WHOSE_CHOICES, required=False
    )
    date_from = forms.DateField(label=gettext_lazy("From (date, UK time)"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To (date, UK time)"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of change"), choices=KIND_CHOICES, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = _model_choices()
        for name, f in self.fields.items():
            css = "govuk-select" if isinstance(f.widget, forms.Select) else "govuk-input"
            if name in ("date_from", "date_to"):
                f.widget.input_type = "date"
                css += " govuk-input--width-10"
            f.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        if data.get("record_id") and not data.get("model"):
            raise ValidationError({"model": _("Choose the kind of record the id belongs to.")})
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError({"date_to": _("The end date must be on or after the start.")})
        return data

    def criteria(self) -> search.Criteria:
        d = self.cleaned_data
        return search.Criteria(
            person=d.get("person"),
            model=d.get("model") or "",
            record_id=(d.get("record_id") or "").strip(),
            actor=(d.get("actor") or "").strip(),
            organisation=d["organisation"].pk if d.get("organisation") else None,
            whose=d.get("whose") or "either",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            kind=d.get("kind") or "",
        )


def _present(rows):
    out = []
    for r in rows:
        model = model_for_label(r["a_model"])
        reason = r["a_reason"] or ""
        out.append(
            {
                **r,
                "record": f"{capfirst(model._meta.verbose_name)} {r['a_object_id']}",
                "when": history.when(r["a_at"]),
                "type": {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[r["a_type"]],
                "correction": reason.lower().startswith("correction"),
                "url": reverse("audit:history", args=[r["a_model"], r["a_object_id"]]),
            }
        )
    return out


@perm_required(Perm.VIEW_AUDIT)
@require_GET
def audit_search(request):
    form = SearchForm(request.GET or None)
    rows, has_next, number = [], False, 1
    searched = form.is_bound and form.is_valid()
    if searched:
        try:
            number = max(1, min(int(request.GET.get("page", 1)), search.MAX_PAGE))
        except ValueError:
            number = 1
        rows, has_next = search.page(form.criteria(), number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "searched": searched,
            "rows": _present(rows),
            "page": number,
            "has_next": has_next,
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value):
        return value


@perm_required(Perm.VIEW_AUDIT)
@require_GET
def audit_search_csv(request):
    """The whole result as CSV, streamed (no limit on rows)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        raise Http404
    writer = csv.writer(_Echo())
    header = [
        "record_type",
        "record_id",
        "history_id",
        "changed_at_utc",
        "change_type",
        "changed_by",
        "actor_kind",
        "triggered_by",
        "api_key_id",
        "reason",
        "correction",
    ]

    def rows():
        yield writer.writerow(header)
        for r in search.iterate(form.criteria()):
            reason = r["a_reason"] or ""
            yield writer.writerow(
                [
                    r["a_model"],
                    r["a_object_id"],
                    r["a_history_id"],
                    r["a_at"].isoformat(),
                    {"+": "created", "~": "changed", "-": "deleted"}[r["a_type"]],
                    r["a_changed_by"],
                    r["a_actor_kind"],
                    r["a_triggered_by"],
                    r["a_api_key_id"],
                    reason,
                    "yes" if reason.lower().startswith("correction") else "no",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harbour-audit.csv"'
    return response


# --- Access log --------------------------------------------------------------------------------


def _record_names(rows) -> dict:
    """{(label, id): "Detention MID-2026-0001"}: each record by its kind and its reference (or
    its name), never its internal label and id. One query per kind of record on the page."""
    wanted: dict[str, set] = {}
    for r in rows:
        if r.record_model and r.record_id:
            wanted.setdefault(r.record_model, set()).add(r.record_id)
    out = {}
    for label, ids in wanted.items():
        try:
            model = history.tracked_model(label)
        except Http404:
            continue
        kind = capfirst(model._meta.verbose_name)
        pks = []
        for i in ids:
            try:
                pks.append(history.parse_pk(model, i))
            except Http404:
                continue
        for obj in model._base_manager.filter(pk__in=pks):
            out[(label, str(obj.pk))] = f"{kind} {getattr(obj, 'reference', '') or obj}"
    return out


@perm_required(Perm.VIEW_AUDIT)
@require_GET
def access_log(request):
    """Who viewed a person (or a record): newest first, 50 a page, fixed queries."""
    entries = AccessLog.objects.select_related("user")
    person = request.GET.get("person", "")
    label = request.GET.get("model", "")
    record_id = request.GET.get("record_id", "")
    viewer = request.GET.get("viewer", "").strip()
    if person.isdigit():
        entries = entries.filter(person_id=int(person))
    if label and record_id:
        entries = entries.filter(record_model=label, record_id=record_id)
    if viewer:
        entries = entries.filter(actor_label__icontains=viewer)
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    start = (number - 1) * search.PAGE_SIZE
    rows = list(entries.order_by("-at", "-id")[start : start + search.PAGE_SIZE + 1])
    orgs = dict(
        Organisation.objects.filter(
            pk__in={r.actor_organisation_id for r in rows}
            | {r.record_organisation_id for r in rows}
        ).values_list("pk", "name")
    )
    query = request.GET.copy()
    query.pop("page", None)
    names = _record_names(rows[: search.PAGE_SIZE])
    return render(
        request,
        "audit/access_log.html",
        {
            "entries": [
                {
                    "row": r,
                    "when": history.when(r.at),
                    "viewer_org": orgs.get(r.actor_organisation_id, ""),
                    "record_org": orgs.get(r.record_organisation_id, ""),
                    "history_url": reverse("audit:history", args=[r.record_model, r.record_id]),
                    "record": names.get((r.record_model, r.record_id))
                    or f"{r.record_model} {r.record_id}",
                }
                for r in rows[: search.PAGE_SIZE]
            ],
            "has_next": len(rows) > search.PAGE_SIZE,
            "page": number,
            "query": query.urlencode(),
            "person": person,
            "label": label,
            "record_id": record_id,
            "viewer": viewer,
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need to look at this record?"),
        help_text=gettext_lazy(
            "For example, the complaint, investigation or audit reference. "
            "This is recorded with your name and shown to auditors."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Enter the reason you need to look at this record."),
            "min_length": gettext_lazy("Give a little more detail (at least 10 characters)."),
        },
    )


@login_required
def access_reason(request):
    """The "reason for access" prompt shown before a record outside the viewer's normal access."""
    params = request.POST if request.method == "POST" else request.GET
    label, pk = params.get("model", ""), params.get("pk", "")
    next_url = params.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    try:
        model = history.tracked_model(label)
    except Http404:
        raise
    if not pk.isdigit() or not model._base_manager.filter(pk=pk).exists():
        raise Http404
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        access.remember_reason(request, label, pk, form.cleaned_data["reason"].strip())
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "audit/reason.html",
        {
            "form": form,
            "record": f"{capfirst(model._meta.verbose_name)} {pk}",
            "model": label,
            "pk": pk,
            "next": next_url,
            "minutes": access.audit_settings()["ACCESS_REASON_MINUTES"],
        },
    )
