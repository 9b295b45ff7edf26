"""Browser journeys. The `browser` and `page` fixtures live in tests/browser/harness.py and are
made available to the whole suite by tests/conftest.py, so that one Playwright instance serves
every browser test in the session (two sync Playwright instances cannot share a thread)."""
