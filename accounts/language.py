"""The language the service speaks (issue 23: a Welsh-language service).

- **The switcher** (`templates/core/_language_switcher.html`, in every page's header) posts to
  `set_language`: the choice is kept in Django's language cookie and, for a signed-in user, saved
  as their preferred language (`User.preferred_language`), then the same page is shown again.
- **A user's preferred language** is applied to every page they ask for by
  `PreferredLanguageMiddleware` (after Django's `LocaleMiddleware`, which reads the cookie and
  `Accept-Language`), and from the first answer after sign-in the cookie follows it, so the
  sign-out page and the next sign-in page speak it too.
- **The API** speaks the caller's `Accept-Language` only (codes are language-neutral; only the
  human `detail` of an error is translated): neither the cookie nor the user's preference.
- **Emails and alerts** are rendered in the recipient's preferred language (`language_of`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    """`code` as one of LANGUAGES (`cy-GB` -> `cy`), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_of(user) -> str:
    """The language to write to `user` in (emails, alerts): their preference, else the default."""
    return supported(getattr(user, "preferred_language", "")) or settings.LANGUAGE_CODE


def _accept_language(request) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _q in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        found = supported(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _set_cookie(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class PreferredLanguageMiddleware:
    """After `AuthenticationMiddleware`: a signed-in user's preferred language wins over the
    cookie and the browser's; the API answers in `Accept-Language`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_api(request):
            code = _accept_language(request)
        else:
            user = getattr(request, "user", None)
            preferred = None
            if user is not None and user.is_authenticated:
                preferred = supported(user.preferred_language)
            code = preferred or translation.get_language()
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if not _is_api(request):
            # Signed in since (the sign-in answer itself) or already: the cookie follows the
            # user's preference, so pages after sign-out keep speaking it.
            user = getattr(request, "user", None)
            preferred = (
                supported(user.preferred_language)
                if user is not None and user.is_authenticated
                else None
            )
            if preferred and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
                _set_cookie(response, preferred)
        return response


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def set_language(request):
    """The switcher's POST: `language` (one of LANGUAGES) and `next` (the page to go back to)."""
    response = HttpResponseRedirect(_safe_next(request))
    code = supported(request.POST.get("language"))
    if code is None or code not in LANGUAGE_CODES:
        return response  # an unknown language changes nothing
    _set_cookie(response, code)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        services.set_preferred_language(user, code)
    translation.activate(code)
    return response
