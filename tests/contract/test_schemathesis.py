"""schemathesis against the live schema: no server error, no undocumented status code, no
response that contradicts the schema. Fixed seed (derandomised), bounded examples.

Operations other engineers own that schemathesis found failing are listed in KNOWN_FAILURES
(one place, with the reason); they are still run, and are expected to fail until fixed.
"""

import warnings
from datetime import UTC, date, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import SCOPES
from accounts.services import issue_api_key
from incidents.services import incidents as incident_services
from incidents.services import people as people_services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# (METHOD, path template) -> why it is expected to fail. Keep this list short and honest.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


@pytest.fixture
def live_api(live_server, django_db_reset_sequences, force, partner_org):
    """A key with every scope for the demo force, and a few records for the ids to find."""
    _key, secret = issue_api_key(force, "schemathesis", list(SCOPES))
    person = people_services.create_person(
        organisation=force, given_name="Sam", family_name="Fuzz", date_of_birth=date(1990, 1, 1)
    )
    incident_services.create_incident(
        organisation=force,
        occurred_at=datetime(2026, 1, 1, 10, 0, tzinfo=UTC),
        category="crisis_or_welfare_check",
        rcrp_threshold="risk_to_life",
        people=[person],
    )
    return {"url": live_server.url, "headers": {"Authorization": f"Api-Key {secret}"}}


MAX_EXAMPLES = 8  # per operation: ~40 operations run in well under two minutes


def _run_operation(operation, live_api):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # a fixed seed: the same cases on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(base_url=live_api["url"], headers=live_api["headers"], checks=CHECKS)

    run()


def test_api_conforms_to_its_schema(live_api):
    schema = schemathesis.openapi.from_url(
        f"{live_api['url']}/api/v1/schema/?format=json", headers=live_api["headers"]
    )
    failures, unexpected_passes, ran = [], [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        ran.append(key)
        try:
            _run_operation(operation, live_api)
        except (Exception, BaseExceptionGroup) as exc:  # carries schemathesis's report
            if key not in KNOWN_FAILURES:
                failures.append(f"{key[0]} {key[1]}:\n{exc}")
        else:
            if key in KNOWN_FAILURES:
                unexpected_passes.append(f"{key[0]} {key[1]}")
    assert len(ran) > 10
    assert not failures, "\n\n".join(failures)
    if unexpected_passes:  # not a failure: the owner fixed it; tidy the list
        warnings.warn(
            "now passing, remove from KNOWN_FAILURES: " + ", ".join(unexpected_passes),
            stacklevel=1,
        )
