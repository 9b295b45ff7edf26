"""Webhooks are no server-side request forgery tool: no private address by any route (direct,
redirect, DNS rebinding), plain-word errors, Standard Webhooks signatures, a test event."""

import base64
import datetime as dt
import hashlib
import hmac
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from partners import egress, webhooks
from partners.models import WebhookDelivery

from .conftest import T0
from .test_webhooks import Receiver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("8.8.8.8", None),
        ("1.1.1.1", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),  # IPv4-mapped public
        ("2002:808:808::1", None),  # 6to4 of a public address
        ("64:ff9b::808:808", None),  # NAT64 of a public address
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("100.127.255.254", "shared (CGNAT)"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.0.8", "reserved"),
        ("198.18.0.1", "reserved"),
        ("192.0.2.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("::127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::", "metadata"),  # 6to4 of 169.254.169.254
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b:1::a9fe:a9fe", "metadata"),  # local-use NAT64
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo, client 10.0.0.1
    ],
)
def test_address_table(address, reason):
    assert egress.address_refusal(address) == reason


@pytest.fixture
def no_loopback(settings):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_ALLOW_HTTP_LOCALHOST": False}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://127.0.0.1:8102/", "loopback"),
        ("https://localhost:6390/", "loopback"),
        ("https://[::1]:5432/", "loopback"),
        ("https://10.0.0.1/", "private"),
        ("https://[::ffff:169.254.169.254]/", "metadata"),
        ("https://100.64.1.1/", "shared (CGNAT)"),
        ("https://0.0.0.0/", "unspecified"),
    ],
)
def test_registration_refuses_internal_addresses(no_loopback, partner_org, url, reason):
    with pytest.raises(ValidationError) as exc:
        webhooks.create_subscription(partner_org, name="x", url=url, events=["referral.created"])
    assert exc.value.code == "address_not_allowed"
    assert f"it is a {reason} address" in exc.value.messages[0]


def test_registration_checks_what_a_name_resolves_to(no_loopback):
    def resolver(host, port):
        return {
            "partner.example": ["93.184.216.34"],
            "sneaky.example": ["93.184.216.34", "10.1.2.3"],
        }[host]

    webhooks.validate_webhook_url("https://partner.example/hook", resolver=resolver)
    with pytest.raises(ValidationError, match="private address"):  # any address refused: refused
        webhooks.validate_webhook_url("https://sneaky.example/hook", resolver=resolver)


def test_allow_list_for_on_premises_partners(no_loopback, settings):
    settings.HARBOUR = {
        **settings.HARBOUR,
        "WEBHOOK_ALLOWED_NETWORKS": ["10.20.0.0/16", "case.trust.internal"],
    }
    webhooks.validate_webhook_url("https://10.20.3.4/hook")
    webhooks.validate_webhook_url(
        "https://case.trust.internal/hook", resolver=lambda h, p: ["192.168.7.7"]
    )
    with pytest.raises(ValidationError):
        webhooks.validate_webhook_url("https://10.21.0.1/hook")


def test_registration_page_says_why(web, make_user, partner_org, no_loopback):
    admin = make_user("liaison-admin", partner_org, "administrator")
    r = web.as_user(admin).post(
        "/organisation/webhooks/new/",
        {
            "name": "Metadata",
            "url": "https://169.254.169.254/latest/meta-data/",
            "events": ["referral.created"],
        },
    )
    assert r.status_code == 400
    assert "Harbour does not send to this address: it is a metadata address." in r.content.decode()


# --- real loopback receivers: HTTPS with a certificate for a host name -----------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A CA and a server certificate for `hook.test`, written as PEM files."""
    directory = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)

    def cert(subject, issuer, key, signer, *, ca):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName("hook.test")]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = cert("Harbour test CA", "Harbour test CA", ca_key, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    server_cert = cert("hook.test", "Harbour test CA", key, ca_key, ca=False)
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (directory / "server.pem").write_bytes(
        server_cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory


class TLSReceiver(Receiver):
    """An HTTPS receiver for `hook.test` on a loopback address, answering `answer`
    (status, headers) to every POST."""

    def __init__(self, tls_files, *, host="127.0.0.1", port=0, answer=(200, {})):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_files / "server.pem")
        status, headers = answer
        super().__init__([status] * 10, headers=headers, tls=context, host=host, port=port)


@pytest.fixture
def trust_test_ca(settings, tls_files):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_CA_FILE": str(tls_files / "ca.pem")}


def _subscribe(org, url, events=("referral.created",)):
    sub, secret = webhooks.create_subscription(
        org, name="Case system", url=url, events=list(events), resolver=lambda h, p: []
    )
    return sub, secret


def _one_delivery(org, sub):
    webhooks.emit(org, "referral.created", {"referral": {"id": 1}}, now=T0)
    return WebhookDelivery.objects.get(subscription=sub)


def test_https_to_the_pinned_address_verifies_the_host_name(partner_org, tls_files, trust_test_ca):
    with TLSReceiver(tls_files) as r:
        sub, secret = _subscribe(partner_org, f"https://hook.test:{r.port}/in?x=1")
        d = webhooks.deliver(
            _one_delivery(partner_org, sub).pk, now=T0, resolver=lambda h, p: ["127.0.0.1"]
        )
    assert (d.status, d.last_status_code, d.last_error) == ("delivered", 200, "")
    headers, body = r.requests[0]
    assert headers["Host"] == f"hook.test:{r.port}"
    # Standard Webhooks signature, checked with the recipe in docs/webhooks.md
    assert headers["webhook-id"] == str(d.event_id) == headers["X-Harbour-Delivery"]
    assert headers["webhook-timestamp"] == str(int(T0.timestamp()))
    assert _documented_verify_standard(secret, body, headers, int(T0.timestamp()))
    assert not _documented_verify_standard(secret, body + b" ", headers, int(T0.timestamp()))
    assert webhooks.verify(secret, body, headers["X-Harbour-Signature"], now=int(T0.timestamp()))


def test_certificate_for_another_name_is_a_tls_error(partner_org, tls_files, trust_test_ca):
    with TLSReceiver(tls_files) as r:
        sub, _ = _subscribe(partner_org, f"https://other.test:{r.port}/in")
        d = webhooks.deliver(
            _one_delivery(partner_org, sub).pk, now=T0, resolver=lambda h, p: ["127.0.0.1"]
        )
    assert (d.status, d.last_status_code, d.last_error) == ("pending", None, "TLS error")


def test_https_to_a_plain_http_port_is_a_plain_tls_error(partner_org, trust_test_ca):
    """The raw `WRONG_VERSION_NUMBER` made a port-probing oracle."""
    with Receiver() as r:
        sub, _ = _subscribe(partner_org, f"https://hook.test:{r.server.server_address[1]}/")
        d = webhooks.deliver(
            _one_delivery(partner_org, sub).pk, now=T0, resolver=lambda h, p: ["127.0.0.1"]
        )
    assert d.last_error == "TLS error" and not r.requests


def test_silence_is_timed_out(partner_org, settings):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_TIMEOUT_SECONDS": 0.5}
    with socket.create_server(("127.0.0.1", 0)) as silent:
        sub, _ = _subscribe(partner_org, f"http://127.0.0.1:{silent.getsockname()[1]}/")
        d = webhooks.deliver(_one_delivery(partner_org, sub).pk, now=T0)
    assert (d.status, d.last_error) == ("pending", "timed out")


def test_closed_port_is_connection_failed(partner_org):
    sub, _ = _subscribe(partner_org, "http://127.0.0.1:9/nothing")
    d = webhooks.deliver(_one_delivery(partner_org, sub).pk, now=T0)
    assert (d.last_status_code, d.last_error) == (None, "connection failed")


def test_redirect_to_an_internal_address_is_not_followed(partner_org, tls_files, trust_test_ca):
    with Receiver() as internal:
        location = internal.url
        with TLSReceiver(tls_files, answer=(302, {"Location": location})) as r:
            sub, _ = _subscribe(partner_org, f"https://hook.test:{r.port}/in")
            d = webhooks.deliver(
                _one_delivery(partner_org, sub).pk, now=T0, resolver=lambda h, p: ["127.0.0.1"]
            )
    assert len(r.requests) == 1
    assert internal.requests == []  # the worker never went there
    assert (d.status, d.last_status_code, d.last_error) == (
        "pending",
        302,
        "HTTP 302: redirects are not followed",
    )
    assert d.delivered_at is None


def test_delivery_refuses_an_internal_address_without_connecting(partner_org, no_loopback):
    with Receiver() as internal:
        url = f"http://localhost:{internal.server.server_address[1]}/"
        sub, _ = _subscribe(partner_org, "https://hook.test/")
        sub.url = url.replace("http://", "https://")  # registered before the rules, say
        sub.save()
        d = webhooks.deliver(_one_delivery(partner_org, sub).pk, now=T0)
    assert (d.status, d.last_error) == ("pending", "refused: loopback address")
    assert internal.requests == []


class FlippingResolver:
    """DNS rebinding: answers `first` to the first question and `then` to every later one."""

    def __init__(self, first, then):
        self.answers = [first]
        self.then = then
        self.calls = 0

    def __call__(self, host, port):
        self.calls += 1
        return self.answers.pop(0) if self.answers else self.then


def test_dns_rebinding_connects_to_the_checked_address(
    partner_org, tls_files, trust_test_ca, no_loopback, settings
):
    """The name first resolves to an allowed address (127.0.0.2 stands for the partner's public
    address, allow-listed), then to an internal one (127.0.0.1) on the same port. The request
    must reach the address that was checked."""
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.2/32"]}
    with (
        TLSReceiver(tls_files, host="127.0.0.2") as partner,
        TLSReceiver(tls_files, host="127.0.0.1", port=partner.port) as internal,
    ):
        sub, _ = _subscribe(partner_org, f"https://hook.test:{partner.port}/in")
        resolver = FlippingResolver(["127.0.0.2"], ["127.0.0.1"])
        d = webhooks.deliver(_one_delivery(partner_org, sub).pk, now=T0, resolver=resolver)
    assert d.status == "delivered"
    assert len(partner.requests) == 1 and internal.requests == []
    assert resolver.calls == 1  # resolved once: the connection used the checked address


def test_dns_rebinding_the_other_way_is_refused(partner_org, tls_files, trust_test_ca, no_loopback):
    with TLSReceiver(tls_files) as internal:
        sub, _ = _subscribe(partner_org, f"https://hook.test:{internal.port}/in")
        resolver = FlippingResolver(["127.0.0.1"], ["93.184.216.34"])
        d = webhooks.deliver(_one_delivery(partner_org, sub).pk, now=T0, resolver=resolver)
    assert (d.status, d.last_error) == ("pending", "refused: loopback address")
    assert internal.requests == []


# --- send a test event ---------------------------------------------------------------------------


def test_send_a_test_event_from_the_page(
    web, make_user, partner_org, django_capture_on_commit_callbacks
):
    admin = make_user("liaison-admin", partner_org, "administrator")
    client = web.as_user(admin)
    with Receiver() as r:
        sub, secret = _subscribe(partner_org, r.url)
        assert client.get(f"/organisation/webhooks/{sub.pk}/test/").status_code == 405
        with django_capture_on_commit_callbacks(execute=False):
            page = client.post(f"/organisation/webhooks/{sub.pk}/test/", follow=True)
        assert "A test event is on its way to Case system" in page.content.decode()
        delivery = WebhookDelivery.objects.get(subscription=sub)
        assert delivery.event == "webhook.test"
        again = client.post(f"/organisation/webhooks/{sub.pk}/test/", follow=True)
        assert "A test event was sent less than a minute ago" in again.content.decode()
        assert WebhookDelivery.objects.filter(subscription=sub).count() == 1
        d = webhooks.deliver(delivery.pk)
        assert d.status == "delivered"
        headers, body = r.requests[0]
        assert headers["X-Harbour-Event"] == "webhook.test"
        now = int(headers["webhook-timestamp"])
        assert _documented_verify_standard(secret, body, headers, now)
    listing = client.get("/organisation/webhooks/").content.decode()
    assert "webhook.test" in listing and "Send a test event" in listing


def test_secrets_are_standard_base64():
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:], validate=True)) == 32


def _documented_verify_standard(secret, body, headers, now, tolerance=300):
    """The recipe in docs/webhooks.md, verbatim."""
    msg_id, timestamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    if abs(now - timestamp) > tolerance:
        return False
    key = secret.removeprefix("whsec_")
    key += "=" * (-len(key) % 4)
    key = base64.b64decode(key, altchars=b"-_" if ("-" in key or "_" in key) else None)
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    return any(
        hmac.compare_digest(expected, sig.split(",", 1)[1])
        for sig in headers["webhook-signature"].split()
        if sig.startswith("v1,")
    )


def test_send_a_test_event_through_the_api(api_for, partner_org, outsider_partner):
    with Receiver() as r:
        sub, _secret = _subscribe(partner_org, r.url)
        url = f"/api/v1/webhooks/{sub.pk}/test/"
        assert api_for(partner_org, "referrals:write").post(url).status_code == 403
        assert api_for(outsider_partner, "webhooks:write").post(url).status_code == 404
        client = api_for(partner_org, "webhooks:write")
        first = client.post(url)
        assert first.status_code == 202, first.content
        delivery = WebhookDelivery.objects.get(pk=first.json()["delivery"])
        assert (delivery.event, str(delivery.event_id)) == (
            "webhook.test",
            first.json()["event_id"],
        )
        again = client.post(url)
        assert again.status_code == 409
        assert again.json()["errors"][0]["code"] == "test_event_too_soon"
        webhooks.deactivate_subscription(sub)
        WebhookDelivery.objects.all().delete()
        off = client.post(url)
        assert off.json()["errors"][0]["code"] == "subscription_inactive"
        assert client.post("/api/v1/webhooks/999999/test/").status_code == 404


def test_old_raw_errors_are_not_shown_to_partners(web, make_user, partner_org):
    admin = make_user("liaison-admin", partner_org, "administrator")
    sub, _ = _subscribe(partner_org, "https://hook.test/")
    delivery = _one_delivery(partner_org, sub)
    delivery.last_error = "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"
    delivery.save()
    page = web.as_user(admin).get("/organisation/webhooks/").content.decode()
    assert "WRONG_VERSION_NUMBER" not in page and "connection failed" in page
    delivery.last_error = "refused: metadata address"
    delivery.save()
    assert (
        "refused: metadata address"
        in web.as_user(admin).get("/organisation/webhooks/").content.decode()
    )
