from django.urls import path

from .views import incidents as inc
from .views import people as ppl

urlpatterns = [
    path("incidents/", inc.incident_list, name="incident-list"),
    path("incidents/new/", inc.incident_new, name="incident-new"),
    path("incidents/repeat-locations/", inc.repeat_locations, name="incident-repeat-locations"),
    path("incidents/<int:pk>/", inc.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/edit/", inc.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/people/", inc.incident_add_person, name="incident-add-person"),
    path(
        "incidents/<int:pk>/people/<int:person_pk>/remove/",
        inc.incident_remove_person,
        name="incident-remove-person",
    ),
    path("incidents/<int:pk>/officers/", inc.incident_add_officer, name="incident-add-officer"),
    path(
        "incidents/<int:pk>/officers/<int:officer_pk>/remove/",
        inc.incident_remove_officer,
        name="incident-remove-officer",
    ),
    path("people/", ppl.people_search, name="people-search"),
    path("people/new/", ppl.person_new, name="person-new"),
    path("people/repeated-contact/", ppl.repeated_contact, name="people-repeated-contact"),
    path("people/<int:pk>/", ppl.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", ppl.person_edit, name="person-edit"),
    path("people/<int:pk>/merge/<int:other_pk>/", ppl.person_merge, name="person-merge"),
]
