"""Records of apps above incidents and people that belong on their pages (partners: referrals
on a person's timeline and on an incident's page). Those apps add them from their
AppConfig.ready, so that incidents and people import none of them.

- `add_timeline_source(kind, records, at)`: `records(person)` is a queryset (one query) of the
  person's records of that kind, `at(record)` the instant it is shown at on the timeline.
- `add_incident_records(name, records)`: `records(incident, principal)` is what the incident's
  page shows under `name` (a queryset of what the principal may see).
- `add_plan_subjects(subjects)`: `subjects(organisation_id)` is a queryset of person ids the
  organisation knows of (partners: the people of referrals sent to or by it), so that it may
  write a response plan about them (`people.policy.people_for_plans`).
"""

TIMELINE_SOURCES: list[tuple] = []
INCIDENT_RECORDS: dict[str, object] = {}
PLAN_SUBJECTS: list = []


def add_timeline_source(kind: str, records, at) -> None:
    if all(existing != kind for existing, _records, _at in TIMELINE_SOURCES):
        TIMELINE_SOURCES.append((kind, records, at))


def add_incident_records(name: str, records) -> None:
    INCIDENT_RECORDS[name] = records


def add_plan_subjects(subjects) -> None:
    if subjects not in PLAN_SUBJECTS:
        PLAN_SUBJECTS.append(subjects)
