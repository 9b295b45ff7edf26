"""Demo alerts: one sweep over the demo detentions and referrals (called by `manage.py seed_demo`
after them), so the inbox and the header count show what is due now. Idempotent: the sweep never
raises an alert twice."""

from alerts.sweep import sweep
from core.actor import acting_as, command_actor


def seed(stdout) -> None:
    with acting_as(command_actor("seed_demo")):
        result = sweep()
    counts = result.as_dict()
    stdout.write(
        f"Alerts: {counts['raised']} raised, {counts['closed']} closed, "
        f"{counts['escalated']} escalated by one sweep."
    )
