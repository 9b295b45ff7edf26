"""Validate every API response a test gets from DRF's APIClient against the schema.

The whole suite does (tests/conftest.py uses the `openapi_validation` fixture for every test);
to use it elsewhere: `from tests.contract.plugin import openapi_validation  # noqa: F401` in a
conftest and `pytestmark = pytest.mark.usefixtures("openapi_validation")` in a test module.

The fixture's value is the list of the `/api/v1/` paths whose responses were validated. A test
that deliberately calls what the API does not have (a method no operation documents) does so
inside `with openapi_validation.paused():`, and only for those calls.
"""

from contextlib import contextmanager

import pytest
from rest_framework.test import APIClient

from .schema import assert_matches_schema


class Checked(list):
    """The paths of the responses validated so far."""

    active = True

    @contextmanager
    def paused(self):
        self.active = False
        try:
            yield self
        finally:
            self.active = True


@pytest.fixture
def openapi_validation(monkeypatch):
    original = APIClient.request
    checked = Checked()

    def request(self, **kwargs):
        response = original(self, **kwargs)
        path = kwargs.get("PATH_INFO", "")
        if path.startswith("/api/v1/") and checked.active:
            assert_matches_schema(response)
            checked.append(path)
        return response

    monkeypatch.setattr(APIClient, "request", request)
    return checked
