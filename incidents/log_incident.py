"""Logging an incident from the log form's answers: the one service call that both the question
pages (`log_flow.py`) and the one-page form (`views.incident_new`) make."""

from __future__ import annotations

from django.db import transaction

from incidents import services
from people import services as people_services

#: The services' field names, and the log form's field each refusal is shown beside.
ALIASES = {
    "given_name": "person_given_name",
    "family_name": "person_family_name",
    "date_of_birth": "person_date_of_birth",
    "officers": "officer_name",
}


def log_from_form(request, form, person, fields):
    """Creates the new person (if named) and the incident, in one transaction. `fields`: the
    incident's own fields from the form. Raises `ValidationError`: nothing is written then."""
    data = form.cleaned_data
    organisation = request.user.membership.organisation
    officers = []
    if data.get("officer_name") or data.get("collar_number"):
        officers.append(
            {
                "officer_name": data.get("officer_name"),
                "collar_number": data.get("collar_number"),
                "minutes": data.get("officer_minutes") or 0,
            }
        )
    with transaction.atomic():
        people = [person] if person else []
        if data.get("person_given_name"):
            people.append(
                people_services.create_person(
                    organisation=organisation,
                    given_name=data["person_given_name"],
                    family_name=data["person_family_name"],
                    date_of_birth=data.get("person_date_of_birth"),
                )
            )
        return services.create_incident(
            organisation=organisation,
            people=people,
            officers=officers,
            created_by=request.user,
            **fields,
        )
