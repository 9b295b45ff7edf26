"""Pages: record a use of force and a protective search from a detention's page, and the force
mental health lead's review list. Visibility and permissions as the detention's own pages and
API (use_of_force/policy.py): a detention the organisation may not see is 404, one it may not
record on is 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import perm_required
from detentions.errors import RuleViolation

from . import services
from .forms import ReviewForm, SearchForm, UseOfForceForm
from .models import UseOfForce
from .policy import REVIEW, detention_for, may_review, reviewable_detentions

#: The two record pages: (form, service, title, introduction, message on success).
RECORD_PAGES = {
    "force": (
        UseOfForceForm,
        services.record_use_of_force,
        gettext_lazy("Record a use of force"),
        gettext_lazy(
            "Record each tactic each officer used, with when, where and why, and any "
            "injuries. A prone restraint, or a restraint at a health-based place of safety, "
            "is reviewed by the force mental health lead."
        ),
        gettext_lazy("Use of force recorded."),
    ),
    "search": (
        SearchForm,
        services.record_search,
        gettext_lazy("Record a protective search (s136C)"),
        gettext_lazy(
            "A constable may search a detained person who may be a danger to themselves or "
            "others and may be concealing an item that could cause physical injury. Record the "
            "grounds, what was found and what was kept."
        ),
        gettext_lazy("Search recorded."),
    ),
}


def record(request, pk, kind):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form_class, service, title, intro, success = RECORD_PAGES[kind]
    detention = detention_for(request.user, pk, write=True)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(detention, **form.service_kwargs())
        except RuleViolation as exc:
            form.add_violations(exc)
        else:
            messages.success(request, success)
            return redirect("detention-detail", detention.pk)
    context = {"d": detention, "form": form, "title": title, "intro": intro, "button": _("Save")}
    return render(request, "use_of_force/record.html", context)


def _reviewable(user):
    """Uses of force for review on detentions the lead's organisation may see."""
    return UseOfForce.objects.filter(
        review_required=True,
        detention__in=reviewable_detentions(user).values("pk"),
    ).select_related("detention", "detention__person", "place_of_safety")


@perm_required(REVIEW)
def reviews(request):
    show_all = request.GET.get("show") == "all"
    qs = _reviewable(request.user)
    if not show_all:
        qs = qs.filter(reviewed_at__isnull=True)
    rows = list(qs.order_by("reviewed_at", "used_at", "id")[:200])
    return render(
        request,
        "use_of_force/reviews.html",
        {"rows": rows, "show_all": show_all},
    )


@perm_required(REVIEW)
def review(request, pk):
    use = get_object_or_404(_reviewable(request.user), pk=pk)
    if not may_review(request.user, use.detention):
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                use, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
            )
        except RuleViolation as exc:
            form.add_violations(exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("use_of_force:reviews")
    return render(request, "use_of_force/review.html", {"use": use, "form": form})
