"""Demo response plan (people/plans.py): the most recently detained person of Midshire has a plan
written by the mental health lead, approved by the inspector (a second person) and shared with
the mental health trust, with a warning marker and a contact: it shows on the detention page."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from core.actor import acting_as, user_actor
from detentions.models import Detention
from people import plans
from people.models import ResponsePlan


def seed(stdout) -> None:
    force = Organisation.objects.filter(slug="midshire-police").first()
    trust = Organisation.objects.filter(slug="midshire-mh-trust").first()
    writer = User.objects.filter(username="mhlead").first()
    approver = User.objects.filter(username="inspector").first()
    if None in (force, trust, writer, approver) or ResponsePlan.objects.exists():
        return
    detention = (
        Detention.objects.filter(organisation=force, ended_at__isnull=True)
        .select_related("person")
        .order_by("-detained_at")
        .first()
    )
    if detention is None:
        return
    with transaction.atomic():
        with acting_as(user_actor(writer)):
            plan = plans.create_plan(
                person=detention.person,
                author_organisation=force,
                addressed_to=[trust],
                written_by=writer,
                what_helps="Speak slowly and give time to answer. A quiet room if there is one.",
                what_to_avoid="Standing over them; several officers talking at once.",
                who_to_call="Midshire crisis team, any time: 01632 960 100.",
                contacts=[
                    {
                        "name": "Jo (sister)",
                        "relationship": "Sister, lives nearby",
                        "phone": "01632 960 001",
                        "when_to_call": "Any time; she can come to the suite",
                    }
                ],
                markers=[
                    {
                        "kind": "communication_need",
                        "details": "Deaf: uses British Sign Language. Write things down.",
                        "review_on": timezone.localdate() + dt.timedelta(days=180),
                    }
                ],
            )
            plans.submit_plan(plan, submitted_by=writer)
        with acting_as(user_actor(approver)):
            plans.approve_plan(plan, approved_by=approver, organisation=force)
    stdout.write(f"Demo response plan approved for {detention.person}.")
