"""The detention figures and the s136 return run statements built once per shape and bound to
each scope's values (core/prepared.py): a statement built for one scope gives another scope of
the same shape exactly the figures built for that scope alone, so no value is baked into the
text, and a second scope of a shape builds nothing."""

import datetime as dt

import pytest

from detentions.models import Detention
from reporting import detention_months, queries, summary
from reporting.queries import Scope

from .test_detention_months import FROM, NOW, TO, detentions  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def clear():
    queries.STATEMENTS.clear()
    detention_months.STATEMENTS.clear()


def figures(scope) -> dict:
    return {
        "detention_pass": queries.detention_pass(scope),
        "s136_return": queries.s136_return(scope),
        "force_figures": queries.force_figures(scope),
    }


def varied_scopes(force):
    """Pairs of scopes of one shape with every bound value different between them: force,
    power, dates (with and without whole months), time of asking, NPU and category."""
    first, second = force.npus.all()[:2]
    later = NOW + dt.timedelta(days=40)
    return [
        Scope(force.pk, FROM, TO, now=NOW),
        Scope(force.pk, dt.date(2026, 2, 1), dt.date(2026, 3, 31), now=later),
        Scope(force.pk, FROM, TO, now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)),  # fewer breaches
        Scope(force.pk, FROM, TO, now=NOW, power="s135_1"),
        Scope(force.pk, dt.date(2026, 1, 3), dt.date(2026, 1, 20), now=NOW),  # no whole month
        Scope(force.pk, dt.date(2026, 2, 3), dt.date(2026, 2, 25), now=later),
        Scope(force.pk, FROM, TO, npu_id=first.pk, now=NOW),
        Scope(force.pk, FROM, TO, npu_id=second.pk, now=later),
        Scope(force.pk, FROM, TO, category="crisis_or_welfare_check", now=NOW),
        Scope(force.pk, FROM, TO, category="missing_person", now=NOW),
    ]


@pytest.fixture
def with_incidents(force, detentions, maker):  # noqa: F811
    """Two categories of incident among the detentions (the category filter reaches them)."""
    categories = ["crisis_or_welfare_check", "missing_person", None]
    for k, d in enumerate(detentions):
        if category := categories[k % 3]:
            incident = maker.incident(force, d.detained_at, category)
            Detention.objects.filter(pk=d.pk).update(incident=incident)
    return detentions


@pytest.mark.parametrize("refreshed", [False, True], ids=["all stale", "summarised"])
def test_a_statement_built_for_one_scope_binds_every_value_of_another(
    force, with_incidents, refreshed, settings
):
    if refreshed:
        summary.refresh()
    scopes = varied_scopes(force)
    alone = []
    for scope in scopes:
        clear()
        alone.append(figures(scope))
    assert len({repr(a) for a in alone}) == len(scopes), "the scopes should differ"
    clear()
    shared = [figures(scope) for scope in scopes]
    assert shared == alone
    # The assessment target is bound too (a setting).
    settings.HARBOUR = {**settings.HARBOUR, "ASSESSMENT_TARGET": dt.timedelta(minutes=45)}
    for scope in (scopes[0], scopes[3]):
        warm = queries.detention_pass(scope)["ass__missed"]
        clear()
        assert queries.detention_pass(scope)["ass__missed"] == warm


def test_a_second_scope_of_a_shape_builds_no_statement(force, with_incidents):
    clear()
    first, second = varied_scopes(force)[:2]
    queries.dashboard(first)
    queries.s136_return(first)
    built = (queries.STATEMENTS.builds, detention_months.STATEMENTS.builds)
    assert built[0] > 0 and built[1] > 0
    queries.dashboard(second)
    queries.s136_return(second)
    assert (queries.STATEMENTS.builds, detention_months.STATEMENTS.builds) == built
