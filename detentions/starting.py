"""Starting a detention from the start form's answers: the one service call that both the
question pages (`start_flow.py`) and the one-page form (`views.start`) make."""

from __future__ import annotations

from django.db import transaction

from detentions import services
from people import services as people_services


def start_from_form(request, form, people, incident, as_happened):
    """Creates the person when new and starts the detention, in one transaction.

    `form` is a valid `StartDetentionForm`; `people` the people the user could choose from;
    `as_happened` the R1 block (a context manager). Raises `RuleViolation` (from the engine) or
    `ValidationError` (the person's own validators): nothing is written then."""
    org = request.user.membership.organisation
    cd = form.cleaned_data
    consultation, not_practicable = form.consultation()
    with transaction.atomic():
        if cd["person"] == "new":
            person = people_services.create_person(
                organisation=org,
                given_name=cd["given_name"],
                family_name=cd["family_name"],
                date_of_birth=cd.get("date_of_birth"),
                age_assessment=cd.get("age_assessment") or None,
                gender=cd["gender"],
                ethnicity=cd["ethnicity"],
                nhs_number=cd.get("nhs_number"),
            )
        else:
            person = next(p for p in people if str(p.pk) == cd["person"])
        place = cd.get("place_of_safety") if cd["mode"] == "kept" else None
        s135 = cd["power"] == "s135_1"
        with as_happened:
            detention = services.start_detention(
                organisation=org,
                person=person,
                power=cd["power"],
                detained_at=cd["detained_at"],
                mode=cd["mode"],
                location_kind=cd["location_kind"],
                location_description=cd.get("location_description") or "",
                consultation=consultation,
                consultation_not_practicable_reason=not_practicable,
                conveyance_mode=cd.get("conveyance_mode") or "",
                conveyance_reason=cd.get("conveyance_reason") or "",
                warrant_issued_at=cd.get("warrant_issued_at") if s135 else None,
                premises_entered_at=cd.get("premises_entered_at") if s135 else None,
                incident=incident,
                npu=cd.get("npu"),
                place_of_safety=place,
                police_station_decision=form.decision_for(place),
                created_by=request.user,
            )
    return detention, person
