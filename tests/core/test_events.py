"""core.events: publish tells every listener; an unknown name fails at once."""

import pytest

from core import events


def test_publish_tells_each_listener_once_and_refuses_unknown_names():
    heard = []

    def listener(event, record, *, now, data):
        heard.append((event, record, now, data))

    events.listen(listener)
    events.listen(listener)  # installed twice (ready() may run twice): still told once
    try:
        events.publish("detention.ended", "record", now=1, outcome="x")
        assert heard == [("detention.ended", "record", 1, {"outcome": "x"})]
        with pytest.raises(ValueError, match="unknown event"):
            events.publish("detention.exploded", "record")
        assert len(heard) == 1
    finally:
        events._listeners.remove(listener)
