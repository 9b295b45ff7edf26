"""Sessions in the database with the cache (Redis) in front, never depending on the cache alone.

Django's `cached_db` engine falls back to the database when a cache read or save fails, but not
when it copies a session it read from the database back into the cache (every request once the
cache lost it), checks whether a new session key exists (every sign-in) or deletes a session
(signing out): a Redis outage made those a 500. Here every cache call is best effort; the
database is the truth. `SESSION_ENGINE = "core.sessions"` (production).
"""

from django.contrib.sessions.backends import cached_db, db

from .cache import CACHE_ERRORS, warn_cache_down


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            return super().load()
        except CACHE_ERRORS as exc:
            warn_cache_down("sessions", exc)
            return db.SessionStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS as exc:
            warn_cache_down("sessions", exc)
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        if session_key is None:
            session_key = self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except CACHE_ERRORS as exc:
            warn_cache_down("sessions", exc)
