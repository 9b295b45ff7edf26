import pytest

from .redis_server import redis_server


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server the test owns (start/stop/kill it freely)."""
    with redis_server(tmp_path) as server:
        yield server
