"""The alerts tests' fixtures (a police station, people with email addresses) for the Welsh
email test."""

from tests.alerts.conftest import mh_lead, staffed, station  # noqa: F401
