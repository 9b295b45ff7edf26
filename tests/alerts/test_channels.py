"""How each person is told: the channels page (GOV.UK form; email as today unless they choose),
the UK mobile number, the administrators' admin page, and the deliveries planned from it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.phone import normalise_uk_mobile
from accounts.roles import Role
from alerts import services
from alerts.models import Alert, AlertKind, Channel, ChannelPreference, Delivery
from alerts.sweep import sweep

from .conftest import detain

pytestmark = pytest.mark.django_db


def test_the_page_offers_email_as_today_and_says_when_notify_is_unavailable(
    web, sergeant, no_notify
):
    sergeant.email = "sergeant@example.org"
    sergeant.save()
    html = web.as_user(sergeant).get("/alerts/channels/").content.decode()
    assert 'value="email" aria-describedby="id_channels_0-hint" checked' in html
    assert 'value="notify_email" aria-describedby="id_channels_1-hint" disabled' in html
    assert 'value="notify_sms" aria-describedby="id_channels_2-hint" disabled' in html
    assert html.count(" checked") == 1  # nothing else chosen for them
    assert "GOV.UK Notify is not set up on this Harbour" in html
    assert "To sergeant@example.org" in html


def test_choosing_text_messages_stores_the_number_and_the_choice(web, sergeant, notify_server):
    html = web.as_user(sergeant).get("/alerts/channels/").content.decode()
    assert "not set up" not in html
    assert 'value="notify_sms" aria-describedby="id_channels_2-hint">' in html  # not chosen
    response = web.post(
        "/alerts/channels/", {"channels": ["notify_sms"], "mobile_number": "07700 900 123"}
    )
    assert response.status_code == 302
    sergeant.refresh_from_db()
    assert sergeant.mobile_number == "+447700900123"
    assert ChannelPreference.objects.get(user=sergeant).channels == ["notify_sms"]
    page = web.get("/alerts/channels/").content.decode()
    assert "Your alert channels are saved." in page
    assert 'value="notify_sms" aria-describedby="id_channels_2-hint" checked' in page
    pref = ChannelPreference.objects.get(user=sergeant)
    assert pref.history.get().changed_by == sergeant.username


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"channels": ["notify_sms"], "mobile_number": "01632 960001"},
            "mobile_number",
            "UK mobile",
        ),
        ({"channels": ["notify_sms"], "mobile_number": ""}, "mobile_number", "Enter a UK mobile"),
        ({"mobile_number": ""}, "channels", "Choose at least one way to be told"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(
    web, sergeant, notify_server, data, field, message
):
    response = web.as_user(sergeant).post("/alerts/channels/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}' in html
    assert message in html
    assert "<title>Error: " in html
    sergeant.refresh_from_db()
    assert sergeant.mobile_number == ""
    assert not ChannelPreference.objects.filter(user=sergeant).exists()


def test_notify_channels_cannot_be_chosen_without_notify_set_up(web, sergeant, no_notify):
    sergeant.email = "sergeant@example.org"
    sergeant.save()
    response = web.as_user(sergeant).post(
        "/alerts/channels/", {"channels": ["email", "notify_email"], "mobile_number": ""}
    )
    assert response.status_code == 200
    assert "GOV.UK Notify is not set up" in response.content.decode()
    assert not ChannelPreference.objects.filter(user=sergeant).exists()


def test_the_mobile_number_accepts_uk_mobiles_only():
    assert normalise_uk_mobile("(07700) 900-123") == "+447700900123"
    assert normalise_uk_mobile("") == ""
    for bad in ("01632 960001", "+33 6 12 34 56 78", "0770090012", "077009001234", "phone"):
        with pytest.raises(ValidationError):
            normalise_uk_mobile(bad)


def test_deliveries_follow_each_person_s_channels(force, station, staffed, notify_server):
    services.set_channels(
        staffed["sergeant"],
        channels=[Channel.EMAIL, Channel.NOTIFY_SMS],
        mobile_number="07700900123",
    )
    services.set_channels(staffed["inspector"], channels=[Channel.NOTIFY_EMAIL])
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    sweep(now=now)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert set(Delivery.objects.filter(alert=welfare).values_list("channel", "address")) == {
        (Channel.EMAIL, "sergeant@example.org"),
        (Channel.NOTIFY_SMS, "+447700900123"),
        (Channel.NOTIFY_EMAIL, "inspector@example.org"),
    }


def test_someone_with_only_a_mobile_is_told_by_text_message(
    force, station, make_user, notify_server
):
    sergeant = make_user("nightsgt", force, Role.CUSTODY_SERGEANT, rank="sergeant")
    assert sergeant.email == ""
    services.set_channels(sergeant, channels=[Channel.NOTIFY_SMS], mobile_number="07700900456")
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    sweep(now=now)
    assert set(Delivery.objects.values_list("channel", "address")) == {
        (Channel.NOTIFY_SMS, "+447700900456")
    }


def test_an_administrator_sets_a_member_s_channels_in_the_admin(
    client, make_user, force, other_force, notify_server
):
    admin = make_user("orgadmin", force, Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    member = make_user("pc1", force, Role.RESPONSE_OFFICER)
    member.email = "pc1@example.org"
    member.mobile_number = "+447700900789"
    member.save()
    outsider = make_user("west1", other_force, Role.RESPONSE_OFFICER)
    services.set_channels(outsider, channels=[Channel.NOTIFY_SMS], mobile_number="07700900111")
    from tests.security.otp import sign_in

    sign_in(client, admin)
    listing = client.get("/admin/alerts/channelpreference/")
    assert listing.status_code == 200
    assert "west1" not in listing.content.decode()  # another organisation's member
    response = client.post(
        "/admin/alerts/channelpreference/add/",
        {"user": member.pk, "channels": ["email", "notify_sms"]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pref = ChannelPreference.objects.get(user=member)
    assert pref.channels == ["email", "notify_sms"]
    assert pref.history.get().changed_by == "orgadmin"
    # Text messages for a member with no mobile number: refused, naming what is missing.
    nobody = make_user("pc2", force, Role.RESPONSE_OFFICER)
    refused = client.post(
        "/admin/alerts/channelpreference/add/", {"user": nobody.pk, "channels": ["notify_sms"]}
    )
    assert refused.status_code == 200
    assert "Enter a UK mobile number" in refused.content.decode()
    assert not ChannelPreference.objects.filter(user=nobody).exists()


def test_a_preference_is_visible_to_the_person_and_their_administrators_only(
    make_user, force, other_force, notify_server
):
    from accounts.principal import resolve
    from alerts.policy import may_set_channels, visible_channel_preferences

    admin = make_user("orgadmin", force, Role.ADMINISTRATOR)
    member = make_user("pc1", force, Role.RESPONSE_OFFICER)
    colleague = make_user("pc3", force, Role.RESPONSE_OFFICER)
    outsider = make_user("west1", other_force, Role.ADMINISTRATOR)
    services.set_channels(member, channels=[Channel.NOTIFY_SMS], mobile_number="07700900111")
    pref = ChannelPreference.objects.get(user=member)
    for actor, sees in ((member, True), (admin, True), (colleague, False), (outsider, False)):
        assert visible_channel_preferences(resolve(actor)).filter(pk=pref.pk).exists() is sees
        assert bool(may_set_channels(resolve(actor), member)) is sees
