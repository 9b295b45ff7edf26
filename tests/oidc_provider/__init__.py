"""A real OpenID Connect provider for the tests: a second, tiny Django project running
django-oauth-toolkit's OpenID provider (RS256 ID tokens, JWKS, userinfo, PKCE) in its own process
on loopback. See serve.py (the process) and fixtures.py (the pytest fixture that starts it)."""
