"""Opt-in: validate every API response a test gets from DRF's APIClient against the schema.

In a test module:  `pytestmark = pytest.mark.usefixtures("openapi_validation")`
(the fixture must be visible: import it in your conftest with
`from tests.contract.plugin import openapi_validation  # noqa: F401`).
"""

import pytest
from rest_framework.test import APIClient

from .schema import assert_matches_schema


@pytest.fixture
def openapi_validation(monkeypatch):
    original = APIClient.request
    checked = []

    def request(self, **kwargs):
        response = original(self, **kwargs)
        path = kwargs.get("PATH_INFO", "")
        if path.startswith("/api/v1/"):
            assert_matches_schema(response)
            checked.append(path)
        return response

    monkeypatch.setattr(APIClient, "request", request)
    return checked
