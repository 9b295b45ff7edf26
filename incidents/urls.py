from django.urls import path

from . import log_flow
from . import views as inc

urlpatterns = [
    # Before people.urls: a new person may be added to the incident at once (incidents/views.py).
    path("people/new/", inc.person_new, name="person-new"),
    path("incidents/", inc.incident_list, name="incident-list"),
    # Question pages (log_flow.py); the one-page form stays at new/all/.
    path("incidents/new/", log_flow.begin, name="incident-new"),
    path("incidents/new/all/", inc.incident_new, name="incident-new-all"),
    path("incidents/new/<slug:draft_id>/check/", log_flow.check, name="incident-log-check"),
    path(
        "incidents/new/<slug:draft_id>/<slug:slug>/", log_flow.step_view, name="incident-log-step"
    ),
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
]
