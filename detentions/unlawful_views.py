"""R1: the force mental health lead's review list of unlawful acts recorded as they happened.

Permission: the detention policy's `review_unlawful` (incidents/policy.py: the role permission
REVIEW_UNLAWFUL_ACTS, the force mental health lead) on detentions the lead may see. The
"reviewed" decision and its note are written through `incidents.services.unlawful.review`, so
they are in history with who made them.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import law_text
from detentions import unlawful as services
from detentions.models import UnlawfulAct
from detentions.views import _check, visible


def _visible_acts(request):
    return UnlawfulAct.objects.filter(detention__in=visible(request).values("pk"))


def review_list(request):
    """GET: acts awaiting review first (`?show=all` for every act); POST: mark one reviewed."""
    denied = _check(request, "review_unlawful")
    if denied:
        return denied
    acts = _visible_acts(request)
    error = None
    if request.method == "POST":
        act = get_object_or_404(acts, pk=request.POST.get("act") or 0)
        if request.POST.get("decision") != UnlawfulAct.Decision.REVIEWED:
            error = (act.pk, _("Choose “Reviewed” to record your review."))
        else:
            services.review(act, note=request.POST.get("note", ""))
            messages.success(request, _("Review recorded."))
            return redirect(request.get_full_path())
    show_all = request.GET.get("show") == "all"
    listed = acts if show_all else acts.filter(review_decision="")
    rows = [
        (act, law_text.rule_title(act.rule))
        for act in listed.select_related("detention__person").order_by("-recorded_at", "-id")[:200]
    ]
    return render(
        request,
        "detentions/unlawful_review.html",
        {"rows": rows, "show_all": show_all, "error": error, "page_errors": bool(error)},
    )
