"""What a cache (Redis) outage raises, and one warning a minute about it per place.

The cache holds nothing the product cannot do without (throttle counts, session copies, the
reminder gate), so callers carry on without it and log a warning instead of failing."""

import logging
import time

from redis.exceptions import RedisError

log = logging.getLogger("harbour.cache")

CACHE_ERRORS = (RedisError, OSError)

WARN_EVERY_SECONDS = 60
_last_warned: dict[str, float] = {}


def warn_cache_down(where: str, exc: BaseException) -> None:
    """Logs that the cache is unreachable from `where`, at most once a minute per process."""
    now = time.monotonic()
    if now - _last_warned.get(where, -WARN_EVERY_SECONDS) >= WARN_EVERY_SECONDS:
        _last_warned[where] = now
        log.warning(
            "The cache (Redis) is unreachable (%s: %s): %s carries on without it.",
            exc.__class__.__name__,
            exc,
            where,
        )
