from tests.contract.plugin import openapi_validation  # noqa: F401
