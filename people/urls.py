from django.urls import path

from . import plan_views as pv
from . import views as ppl

urlpatterns = [
    path("people/", ppl.people_search, name="people-search"),
    path("people/repeated-contact/", ppl.repeated_contact, name="people-repeated-contact"),
    path("people/<int:pk>/", ppl.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", ppl.person_edit, name="person-edit"),
    path("people/<int:pk>/merge/<int:other_pk>/", ppl.person_merge, name="person-merge"),
    # Response plans and warning markers (people/plan_views.py).
    path("people/plans/", pv.plans_list, name="plans-list"),
    path("people/plans/new/", pv.plan_new, name="plan-new"),
    path("people/plans/<int:pk>/", pv.plan_detail, name="plan-detail"),
    path("people/plans/<int:pk>/edit/", pv.plan_edit, name="plan-edit"),
    path("people/plans/<int:pk>/contacts/new/", pv.plan_add_contact, name="plan-add-contact"),
    path(
        "people/plans/<int:pk>/contacts/<int:item_pk>/remove/",
        pv.plan_remove_contact,
        name="plan-remove-contact",
    ),
    path("people/plans/<int:pk>/markers/new/", pv.plan_add_marker, name="plan-add-marker"),
    path(
        "people/plans/<int:pk>/markers/<int:item_pk>/remove/",
        pv.plan_remove_marker,
        name="plan-remove-marker",
    ),
    path("people/plans/<int:pk>/submit/", pv.plan_submit, name="plan-submit"),
    path("people/plans/<int:pk>/decide/", pv.plan_decide, name="plan-decide"),
    path("people/plans/<int:pk>/withdraw/", pv.plan_withdraw, name="plan-withdraw"),
]
