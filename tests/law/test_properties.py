"""Property tests: random valid event sequences and the invariants of the clock."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from law import (
    PCA2017_COMMENCEMENT,
    Arrival,
    Assessment,
    Escape,
    Extension,
    Handover,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
    age_on,
    check_arrival,
    check_assessment,
    check_correction,
    check_end,
    check_escape,
    check_extension,
    check_handover,
    check_new_detention,
    check_return,
    check_review,
    check_transfer,
    check_transfer_arrival,
    check_transfer_exception,
    check_welfare_check,
    evaluate,
    rule_set_for,
)

from .helpers import (
    ADULT_SUITE,
    ED,
    HBPOS,
    LONDON,
    OTHER,
    STATION,
    consultation,
    decision,
    detention,
)

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: The instants the clocks change in the UK, 2024-2026 (01:00 UTC each time).
BST_CHANGES = [
    datetime(2024, 3, 31, 1, tzinfo=UTC),
    datetime(2024, 10, 27, 1, tzinfo=UTC),
    datetime(2025, 3, 30, 1, tzinfo=UTC),
    datetime(2025, 10, 26, 1, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
]
PLACES = [HBPOS, ED, STATION, OTHER, ADULT_SUITE]
ACTIONS = [
    *["arrival"] * 3,
    *["transfer"] * 3,
    *["transfer_arrival"] * 3,
    *["welfare_check"] * 3,
    *["review"] * 2,
    *["extension"] * 2,
    "escape",
    *["return"] * 3,
    "exception",
    "handover",
    "assessment",
    "end",
]
DAY = timedelta(hours=24)


@st.composite
def instants_near(draw, anchors, hours=48):
    anchor = draw(st.sampled_from(anchors))
    offset = draw(st.integers(-hours * 3600, hours * 3600))
    micro = draw(st.integers(0, 999_999))
    return anchor + timedelta(seconds=offset, microseconds=micro)


detention_instants = st.one_of(
    instants_near(BST_CHANGES),
    instants_near([PCA2017_COMMENCEMENT], hours=96),
)


def as_given(data, instant):
    """Sometimes pass instants with a Europe/London offset: the engine normalises them."""
    return instant.astimezone(LONDON) if data.draw(st.booleans()) else instant


def station_decision(place):
    return decision() if place.kind == "police_station" else None


def stay_arrival(facts):
    """Independent recomputation: when the person arrived where they are now."""
    first = facts.detained_at if facts.mode == "kept" else facts.arrival.arrived_at
    arrivals = [t.arrived_at for t in facts.transfers if t.arrived_at is not None]
    return max([first, *arrivals])


def propose(data, facts, action, t):
    """A proposed event at instant ``t``: (check result, facts after) or None."""
    when = as_given(data, t)
    if action == "arrival":
        place = data.draw(st.sampled_from(PLACES))
        arrival = Arrival(place, when, station_decision(place))
        return check_arrival(facts, arrival, t), replace(facts, arrival=arrival)
    if action == "transfer":
        place = data.draw(st.sampled_from(PLACES))
        arrives = data.draw(st.booleans())
        arrived_at = t if arrives else None
        transfer = Transfer(
            len(facts.transfers) + 1, place, when, arrived_at, "bed", station_decision(place)
        )
        return check_transfer(facts, transfer, t), replace(
            facts, transfers=(*facts.transfers, transfer)
        )
    if action == "transfer_arrival":
        open_ = [tr for tr in facts.transfers if tr.arrived_at is None]
        if not open_:
            return None
        transfer = open_[-1]
        done = replace(transfer, arrived_at=t)
        others = tuple(tr for tr in facts.transfers if tr.id != transfer.id)
        return check_transfer_arrival(facts, transfer.id, when, t), replace(
            facts, transfers=(*others, done)
        )
    if action == "welfare_check":
        check = WelfareCheck(when, "RMN", "nurse", data.draw(st.booleans()))
        return check_welfare_check(facts, check, t), replace(
            facts, welfare_checks=(*facts.welfare_checks, check)
        )
    if action == "review":
        review = Review(
            when,
            data.draw(st.booleans()),
            asleep=data.draw(st.booleans()),
            hcp_available=data.draw(st.booleans()),
        )
        return check_review(facts, review, t), replace(facts, reviews=(*facts.reviews, review))
    if action == "extension":
        extension = Extension(
            when,
            data.draw(st.integers(1, 12)),
            "Dr Patel",
            "7012345",
            data.draw(st.sampled_from(["intoxication", "physical_treatment"])),
            superintendent_name="Supt Grey",
            superintendent_approved_at=when,
        )
        return check_extension(facts, extension, t), replace(facts, extension=extension)
    if action == "escape":
        escape = Escape(when)
        return check_escape(facts, escape, t), replace(facts, escapes=(*facts.escapes, escape))
    if action == "return":
        open_ = [e for e in facts.escapes if e.returned_at is None]
        if not open_:
            return None
        others = tuple(e for e in facts.escapes if e is not open_[0])
        back = replace(open_[0], returned_at=t)
        return check_return(facts, when, t), replace(facts, escapes=(*others, back))
    if action == "exception":
        exception = TransferException(when, "assessment sooner here; moving would distress")
        return check_transfer_exception(facts, exception, t), replace(
            facts, transfer_exceptions=(*facts.transfer_exceptions, exception)
        )
    if action == "handover":
        handover = Handover(when, "nurse in charge")
        return check_handover(facts, handover, t), replace(facts, handover=handover)
    if action == "assessment":
        assessment = Assessment(amhp_requested_at=facts.detained_at, started_at=when)
        return check_assessment(facts, assessment, t), replace(facts, assessment=assessment)
    if action == "end":
        outcome = data.draw(st.sampled_from(["detained_s2", "no_mental_disorder", "absconded"]))
        return check_end(facts, t, outcome, t), replace(facts, ended_at=t, outcome=outcome)
    raise AssertionError(action)


def initial_facts(data, detained_at):
    mode = data.draw(st.sampled_from(["removed", "removed", "kept"]))
    kept_place = data.draw(st.sampled_from(PLACES)) if mode == "kept" else None
    arrival = None
    if kept_place is not None and kept_place.kind == "police_station":
        arrival = Arrival(kept_place, detained_at, decision())
    return detention(
        detained_at=as_given(data, detained_at),
        consultation=consultation(detained_at - timedelta(minutes=5)),
        mode=mode,
        kept_place=kept_place,
        arrival=arrival,
        date_of_birth=date(1980, 2, 29),
    )


@SETTINGS
@given(data=st.data(), detained_at=detention_instants)
def test_property_expiry_only_moves_by_an_extension_and_is_24_elapsed_hours(data, detained_at):
    facts = initial_facts(data, detained_at)
    assert check_new_detention(facts, detained_at, has_other_active_detention=False) == []
    rules = rule_set_for("s136", detained_at)
    ceiling = rules.permitted_period + (rules.max_extension or timedelta(0))
    t = detained_at
    previous = evaluate(facts, t)
    for _ in range(data.draw(st.integers(1, 24))):
        action = data.draw(st.sampled_from(ACTIONS))
        seconds = data.draw(st.one_of(st.integers(0, 5400), st.integers(0, 12 * 3600)))
        t = t + timedelta(seconds=seconds, microseconds=data.draw(st.integers(0, 999_999)))
        proposal = propose(data, facts, action, t)
        if proposal is not None and proposal[0]:
            event(f"refused {action}: {proposal[0][0].code}")
        if proposal is None or proposal[0]:
            continue  # refused inputs change nothing
        event(f"accepted {action}")
        facts = proposal[1]
        now = t + timedelta(seconds=data.draw(st.integers(0, 3600)))
        ev = evaluate(facts, now)

        # evaluate() is deterministic, and the expiry does not depend on now.
        assert evaluate(facts, now) == ev
        assert evaluate(facts, now + 40 * DAY).expires_at == ev.expires_at

        clock = ev.clock_started_at
        if clock is None:
            assert ev.expires_at is None
        else:
            if previous.clock_started_at is not None:
                assert clock == previous.clock_started_at  # C3: never restarts
            length = ev.expires_at - clock
            assert length <= ceiling  # 36 h (72 h under mha1983-original)
            if facts.extension is None:
                assert length == rules.permitted_period
                elapsed = ev.expires_at.timestamp() - clock.timestamp()
                assert elapsed == rules.permitted_period.total_seconds()
            else:
                assert rules.extension_allowed
                assert length == rules.permitted_period + timedelta(hours=facts.extension.hours)
            if previous.expires_at is not None and action != "extension":
                assert ev.expires_at == previous.expires_at

        # PS4: the next welfare check is never more than 30 min after the latest
        # check or the arrival at the station.
        if ev.next_welfare_check_due_at is not None:
            arrived_at = stay_arrival(facts)
            checks = [c.checked_at for c in facts.welfare_checks if c.checked_at >= arrived_at]
            latest = max([arrived_at, *checks])
            assert ev.next_welfare_check_due_at == latest + timedelta(minutes=30)
            assert ev.at_police_station

        # A record built from accepted events is valid as a whole.
        assert check_correction(facts, now) == []
        previous = ev
        if facts.ended_at is not None:
            assert ev.status == "ended"
            break


first_use = st.datetimes(
    min_value=datetime(2012, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@SETTINGS
@given(
    power=st.sampled_from(["s136", "s135_1"]),
    first=st.one_of(first_use, instants_near([PCA2017_COMMENCEMENT], hours=2)),
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    location=st.sampled_from(["public_place", "private_dwelling", "other"]),
    place=st.sampled_from(PLACES),
    ended=st.booleans(),
)
def test_property_rule_set_depends_only_on_first_use(power, first, later, location, place, ended):
    expected = "mha1983-original" if first < PCA2017_COMMENCEMENT else "pca2017"
    if power == "s135_1":
        warrant, detained_at = first, first + later
    else:
        warrant, detained_at = None, first
    assert rule_set_for(power, detained_at, warrant).id == expected
    facts = detention(
        power=power,
        detained_at=detained_at,
        warrant_issued_at=warrant,
        location_kind=location,
        consultation=None,
        arrival=Arrival(place, detained_at + later, station_decision(place)),
        ended_at=detained_at + later + timedelta(hours=1) if ended else None,
        outcome="detained_s2" if ended else None,
    )
    assert evaluate(facts, detained_at + 2 * later).rule_set == expected


@SETTINGS
@given(
    dob=st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)),
    a=st.datetimes(
        min_value=datetime(1950, 1, 1),  # noqa: DTZ001
        max_value=datetime(2040, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)
def test_property_age_never_decreases_and_changes_only_at_london_midnight(dob, a, step):
    b = a + step
    assert age_on(dob, a) <= age_on(dob, b)
    local = a.astimezone(LONDON)
    midnight = datetime(local.year, local.month, local.day, tzinfo=LONDON)
    assert age_on(dob, midnight) == age_on(dob, a)
