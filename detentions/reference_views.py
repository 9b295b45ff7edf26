"""Pages for a detention's references to the force's other systems (custody record number, CAD
incident number): change them, and find detentions by any reference. Who may is
`detentions.policy` ("references": the recording force; "view" to find)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.principal import principal_of
from core.references import MAX_LENGTH
from detentions import policy, services
from people.forms import add_service_errors


class ReferencesForm(forms.Form):
    custody_record_number = forms.CharField(
        label=gettext_lazy("Custody record number (optional)"),
        max_length=MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("When the person was taken into custody: the custody record."),
    )
    cad_number = forms.CharField(
        label=gettext_lazy("CAD incident number (optional)"),
        max_length=MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("The incident's number in the command-and-control system."),
    )


@login_required
def references(request, pk):
    actor = principal_of(request)
    policy.permitted(actor, "references").enforce()  # the role (403)
    detention = get_object_or_404(
        policy.visible_detentions(actor).select_related("person"), pk=pk
    )  # visibility (404)
    policy.may(actor, "references", detention, visible=True).enforce()  # the relation (403)
    initial = {name: getattr(detention, name) for name in services.REFERENCE_FIELDS}
    form = ReferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_references(
                detention, **{n: form.cleaned_data[n] for n in services.REFERENCE_FIELDS}
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("References saved."))
            return redirect("detention-detail", detention.pk)
    return render(request, "detentions/references.html", {"d": detention, "form": form})


@login_required
def find(request):
    """Detentions the user may see whose reference, custody record number or CAD incident
    number is the one typed."""
    actor = principal_of(request)
    policy.permitted(actor, "view").enforce()
    reference = (request.GET.get("reference") or "").strip()
    results = []
    if reference:
        results = list(
            policy.visible_detentions(actor)
            .with_reference(reference)
            .select_related("person", "current_place_of_safety")
            .order_by("-detained_at", "-pk")[:50]
        )
    return render(
        request,
        "detentions/find.html",
        {"reference": reference, "results": results, "searched": bool(reference)},
    )
