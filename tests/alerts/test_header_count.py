"""Issue 19: the header's open-alert count is the number of open alerts the inbox lists (one
query for both), not only those addressed to the user's role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.policy import inbox_alerts
from alerts.sweep import sweep

from .conftest import detain

pytestmark = pytest.mark.django_db


def test_the_header_counts_what_the_inbox_lists(force, station, web, sergeant):
    now = timezone.now()
    detain(force, at=now - timedelta(hours=4), place=station, now=now)
    detain(force, at=now - timedelta(hours=23, minutes=30), place=station, now=now)
    sweep(now=now)
    for_role = Alert.objects.open().addressed_to(force.pk, ["custody_sergeant"]).count()
    listed = inbox_alerts(sergeant).open().count()
    assert listed > for_role > 0  # the inbox also lists alerts for other roles
    client = web.as_user(sergeant)
    assert f"{listed} open alerts" in client.get("/").content.decode()
    inbox = client.get("/alerts/").content.decode()
    assert f"{listed} open alerts" in inbox and f"{listed} alerts" in inbox
