"""A Welsh-language service (issue 23): the switcher, a user's preferred language, a person's
preferred language, the API's `Accept-Language`, the script words, Welsh dates and emails."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from alerts.models import Alert, AlertKind, Delivery
from alerts.render import email_for
from alerts.sweep import sweep
from alerts.tasks import deliver
from people.models import Person
from tests.alerts.conftest import detain

pytestmark = pytest.mark.django_db

COOKIE = "django_language"


def _switch(client, language, next_url="/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_every_page_offers_the_other_language_and_the_sign_in_page_switches(client):
    page = client.get("/sign-in/").content.decode()
    assert '<html lang="en-gb"' in page
    assert 'action="/language/"' in page and 'value="cy"' in page and "Cymraeg" in page
    response = _switch(client, "cy", "/sign-in/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert response.cookies[COOKIE].value == "cy"
    page = client.get("/sign-in/").content.decode()
    assert '<html lang="cy"' in page
    assert "Mewngofnodi i Harbour" in page  # "Sign in to Harbour"
    assert 'value="en-gb"' in page  # and back to English from here


def test_a_signed_in_users_choice_is_saved_with_history_and_follows_them(
    client, web, officer, django_user_model
):
    web.as_user(officer)
    _switch(web, "cy", "/detentions/")
    officer.refresh_from_db()
    assert officer.preferred_language == "cy"
    assert officer.history.latest().preferred_language == "cy"
    # A new browser with no cookie: the preference applies from sign-in, and the cookie follows.
    from django.test import Client

    other = Client()
    from tests.security.otp import sign_in

    sign_in(other, officer)
    response = other.get("/")
    assert '<html lang="cy"' in response.content.decode()
    assert response.cookies[COOKIE].value == "cy"
    # Back to English.
    _switch(other, "en-gb")
    officer.refresh_from_db()
    assert officer.preferred_language == "en-gb"
    assert '<html lang="en-gb"' in other.get("/").content.decode()


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, web, officer):
    web.as_user(officer)
    response = _switch(web, "fr", "https://evil.example/")
    assert response["Location"] == "/"
    assert COOKIE not in response.cookies
    officer.refresh_from_db()
    assert officer.preferred_language == ""
    assert web.get("/language/").status_code == 405  # a POST only


def test_the_api_speaks_accept_language_only(force, api_for, client):
    api = api_for(force, "incidents:write")
    body = {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"}
    welsh = api.post("/api/v1/people/", body, format="json", HTTP_ACCEPT_LANGUAGE="cy")
    english = api.post("/api/v1/people/", body, format="json")
    assert welsh.status_code == english.status_code == 400
    # The code is language-neutral; only the human words change.
    assert welsh.json()["errors"][0]["code"] == english.json()["errors"][0]["code"]
    assert english.json()["errors"][0]["detail"] == "The date of birth must be in the past."
    assert welsh.json()["errors"][0]["detail"] == "Rhaid i'r dyddiad geni fod yn y gorffennol."
    assert welsh["Content-Language"] == "cy"
    # A language cookie does not change the API's answer.
    api.cookies[COOKIE] = "cy"
    cookie_only = api.post("/api/v1/people/", body, format="json")
    assert cookie_only.json()["errors"][0]["detail"] == "The date of birth must be in the past."


def test_a_persons_preferred_language_through_the_api_and_its_history(force, api_for):
    api = api_for(force, "incidents:write")
    created = api.post(
        "/api/v1/people/",
        {"given_name": "Megan", "family_name": "Jones", "preferred_language": "cy"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["preferred_language"] == "cy"
    person = Person.objects.get(pk=created.json()["id"])
    assert person.get_preferred_language_display() == "Welsh"
    # Not recorded: blank (nothing chosen for the person); an unknown code is refused.
    plain = api.post("/api/v1/people/", {"given_name": "A", "family_name": "B"}, format="json")
    assert plain.json()["preferred_language"] == ""
    bad = api.post(
        "/api/v1/people/",
        {"given_name": "A", "family_name": "B", "preferred_language": "klingon"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "preferred_language"
    api.patch(f"/api/v1/people/{person.pk}/", {"preferred_language": "en"}, format="json")
    assert [h.preferred_language for h in person.history.order_by("history_date")] == ["cy", "en"]


def test_a_persons_preferred_language_on_the_page(force, web, officer):
    web.as_user(officer)
    person = Person.objects.create(organisation=force, given_name="Megan", family_name="Jones")
    form = web.get(f"/people/{person.pk}/edit/")
    assert form.status_code == 200
    assert 'name="preferred_language"' in form.content.decode()
    data = {
        "given_name": "Megan",
        "family_name": "Jones",
        "gender": "female",
        "ethnicity": "W1",
        "preferred_language": "cy",
    }
    response = web.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.preferred_language == "cy"
    _switch(web, "cy")
    page = web.get(f"/people/{person.pk}/").content.decode()
    assert "Dewis iaith" in page and "Cymraeg" in page


def test_the_script_words_come_from_the_djangojs_catalogue(client):
    english = client.get("/jsi18n/").content.decode()
    _switch(client, "cy")
    welsh = client.get("/jsi18n/").content.decode()
    assert '"%s hour"' not in english or "awr" not in english
    assert "%s awr" in welsh and "ers y cadw" in welsh


def test_dates_and_numbers_in_welsh():
    template = Template('{{ when|date:"j F Y" }} {{ when|date:"D j M" }} {{ n }}')
    when = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    with translation.override("cy"):
        text = template.render(Context({"when": when, "n": 1234.5}))
    assert text.startswith("7 Rhagfyr 2026 Llu 7 Rhag")  # Django's cy formats and names
    assert "1234.5" in text


def test_an_alert_email_is_written_in_the_recipients_language(force, station, staffed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sergeant = staffed["sergeant"]
    sergeant.preferred_language = "cy"
    sergeant.save()
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    sweep(now=now)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    for delivery in Delivery.objects.filter(alert=welfare):
        deliver.apply(args=[delivery.pk])
    [welsh] = [m for m in mail.outbox if m.to == [sergeant.email]]
    [english] = [m for m in mail.outbox if m.to == [staffed["inspector"].email]]
    assert welsh.subject.startswith("Gwiriad lles yn hwyr")  # "Welfare check overdue"
    assert "Roedd gwiriad lles yn ddyledus am" in welsh.body
    assert "Cydnabyddwch ef yn Harbour o dan Rhybuddion." in welsh.body
    assert english.subject.startswith("Welfare check overdue")
    # The English text is unchanged by the Welsh one.
    assert email_for(welfare)[0] == english.subject


# --- the rule engine's refusals (law/text.py, core/law_text.py) --------------------------------


def test_a_rule_refusal_with_a_time_reads_in_welsh_and_stays_english_otherwise():
    from core import law_text
    from law.rulesets import RULE_SETS
    from law.validators import detention_ended, not_in_future

    ended = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    message = detention_ended(ended).message
    english = (
        "This detention ended at 07 Dec 2026 09:30 GMT; nothing more can be added to it. "
        "If the record is wrong, make an audited correction and give the reason."
    )
    assert message == english  # the engine's own English, unchanged
    assert law_text.message(message) == english
    with translation.override("cy"):
        assert law_text.message(message) == (
            "Daeth y cadw hwn i ben am 7 Rhag 2026 09:30 GMT; ni ellir ychwanegu dim arall "
            "ato. Os yw'r cofnod yn anghywir, gwnewch gywiriad a archwilir a rhowch y rheswm."
        )
        # A label given as a value is translated too, whatever the case of its first letter.
        rules = next(iter(RULE_SETS.values()))
        [future] = not_in_future(
            ended + timedelta(hours=1), "arrived_at", "The arrival", ended, rules
        )
        assert law_text.message(future.message).startswith("Y cyrraedd (7 Rhag 2026 10:30 GMT)")


def test_the_api_gives_a_rule_refusal_in_the_callers_language(force, api_for, station):
    now = timezone.now()
    d = detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    api = api_for(force, "detentions:write", "detentions:read")
    body = {
        "checked_at": (d.detained_at - timedelta(minutes=1)).isoformat(),
        "professional_name": "Nyrs Alun",
        "profession": "nurse",
        "risk_requires_waking": False,
    }
    url = f"/api/v1/detentions/{d.pk}/welfare-checks/"
    welsh = api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="cy")
    english = api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert welsh.status_code == english.status_code == 400
    [w] = welsh.json()["errors"]
    [e] = english.json()["errors"]
    assert (w["code"], w["attr"]) == (e["code"], e["attr"]) == ("time_order", "checked_at")
    assert e["detail"].startswith("A welfare check (")
    assert w["detail"].startswith("Gwiriad lles (") and "Cywirwch yr amser." in w["detail"]


def test_drf_s_own_messages_are_in_the_welsh_catalogue_too(client):
    response = client.get("/api/v1/people/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["code"] == "not_authenticated"
    assert error["detail"] == "Ni roddwyd manylion dilysu."
