"""Demo training records: collar numbers for the demo officers and their completions, some in
date, some due for a refresher soon, some expired. Idempotent."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from training.models import TrainingRecord
from training.services import record_training

# username, collar number, [(course, months ago)]
PLAN = [
    ("officer", "4127", [("COP-MH1", 6), ("COP-MH2", 6), ("COP-MH3", 6), ("MHFA", 14)]),
    ("sergeant", "2290", [("COP-MH1", 30), ("COP-MH2", 23), ("COP-MH3", 23)]),  # due soon
    ("inspector", "1180", [("COP-MH1", 40), ("COP-MH2", 26), ("COP-MH3", 10)]),  # expired
    ("superintendent", "0412", [("COP-MH1", 2), ("COP-MH2", 2)]),  # MH3 missing
    ("mhlead", "3305", [("COP-MH1", 4), ("COP-MH2", 4), ("COP-MH3", 4), ("MHTA-CPD", 11)]),
    ("adviser-day", "3311", [("COP-MH1", 8), ("COP-MH2", 8), ("COP-MH3", 8), ("MHTA-CPD", 3)]),
    ("adviser-night", "3318", [("COP-MH1", 8), ("COP-MH2", 8), ("COP-MH3", 8), ("MHTA-CPD", 13)]),
]


def seed(stdout):
    User = get_user_model()  # noqa: N806
    today = timezone.localdate()
    added = 0
    for username, collar, done in PLAN:
        user = User.objects.filter(username=username, membership__isnull=False).first()
        if user is None:
            continue
        if not user.collar_number:
            user.collar_number = collar
            user.save(update_fields=["collar_number"])
        for course, months_ago in done:
            completed = today - dt.timedelta(days=round(months_ago * 30.4))
            if TrainingRecord.objects.filter(user=user, course=course).exists():
                continue
            record_training(user=user, course=course, completed_on=completed)
            added += 1
    stdout.write(f"Training: {added} record(s) added for demo officers.")
