"""Starts the test OpenID provider (serve.py) once per test session, on a free loopback port,
and helps tests sign in through it like a browser would (requests for the provider's pages,
Django's test client for Harbour's)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password-1"
CALLBACK = "/sign-in/callback/"

# The provider's users: their claims as the provider asserts them.
USERS = {
    "alice": {  # an officer; the provider asserts a second factor
        "preferred_username": "alice.officer",
        "email": "alice@midshire.example",
        "name": "Alice Officer",
        "groups": ["harbour-officers", "all-staff"],
        "amr": ["pwd", "mfa"],
    },
    "bob": {  # an administrator; a password only at the provider
        "preferred_username": "bob.admin",
        "email": "bob@midshire.example",
        "name": "Bob Admin",
        "groups": ["harbour-admins"],
        "amr": ["pwd"],
    },
    "dave": {  # an administrator whose provider asserts a second factor through acr only
        "preferred_username": "dave.admin",
        "email": "dave@midshire.example",
        "name": "Dave Admin",
        "groups": ["harbour-admins"],
        "acr": "urn:test:aal3",
        # Shaped like NHS CIS2's role claim (a list of objects).
        "nhsid_nrbac_roles": [
            {"org_code": "RX1", "role_code": "S8000:G8000:R8001", "role_name": "Nurse"},
            {"org_code": "RX2", "role_code": "S8000:G8000:R8003", "role_name": "Admin"},
        ],
    },
    "carol": {  # in no group Harbour knows
        "preferred_username": "carol",
        "email": "carol@midshire.example",
        "name": "Carol Visitor",
        "groups": ["canteen"],
        "amr": ["pwd", "mfa"],
    },
}
CLIENTS = {
    "harbour-force": "force-client-secret-0123456789",
    "harbour-trust": "trust-client-secret-0123456789",
}
# The environment variables Harbour's IdentityProvider rows name for the secrets.
SECRET_ENV = {"harbour-force": "TEST_OIDC_FORCE_SECRET", "harbour-trust": "TEST_OIDC_TRUST_SECRET"}


@dataclass
class Provider:
    port: int
    issuer: str
    database: str
    process: subprocess.Popen

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def sign_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Follows the provider's pages as a browser would, signing in on its form; returns the
        URL it finally sends the browser back to (Harbour's callback with code and state)."""
        session = requests.Session()
        url = authorize_url
        for _ in range(10):
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "csrfmiddlewaretoken" in response.text:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
                nxt = re.search(r'name="next" value="([^"]*)"', response.text)
                response = session.post(
                    url,
                    data={
                        "csrfmiddlewaretoken": token.group(1),
                        "next": unescape(nxt.group(1)),
                        "username": username,
                        "password": password,
                    },
                    headers={"Referer": url},
                    allow_redirects=False,
                    timeout=10,
                )
            assert response.status_code == 302, (response.status_code, response.text[:500])
            location = response.headers["Location"]
            if location.startswith("/"):
                location = self.issuer.rsplit("/o", 1)[0] + location
            if CALLBACK in location and not location.startswith(self.issuer.rsplit("/o", 1)[0]):
                return location
            url = location
        raise AssertionError("the provider never redirected back")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real provider, in its own process, ready (its discovery document answers)."""
    workdir = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    config = {
        "port": port,
        "issuer": issuer,
        "database": str(workdir / "provider.sqlite3"),
        "rsa_private_key": pem,
        "users": {name: {"password": PASSWORD, "claims": c} for name, c in USERS.items()},
        "clients": [
            {
                "client_id": cid,
                "client_secret": secret,
                # Loopback redirect URIs match on any port (RFC 8252): the live server's; and
                # the test client's host.
                "redirect_uris": [
                    f"http://127.0.0.1{CALLBACK}",
                    f"http://localhost{CALLBACK}",
                    f"http://testserver{CALLBACK}",
                ],
            }
            for cid, secret in CLIENTS.items()
        ],
    }
    (workdir / "config.json").write_text(json.dumps(config))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["OIDC_TEST_CONFIG"] = str(workdir / "config.json")
    env["PYTHONPATH"] = str(ROOT)
    log = open(workdir / "provider.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(port=port, issuer=issuer, database=config["database"], process=process)
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    "the test OpenID provider stopped:\n" + (workdir / "provider.log").read_text()
                )
            try:
                if requests.get(provider.discovery_url, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    "the test OpenID provider did not start in 90 s:\n"
                    + (workdir / "provider.log").read_text()
                )
            time.sleep(0.2)
        for cid, name in SECRET_ENV.items():
            os.environ[name] = CLIENTS[cid]
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def harbour_provider(oidc_provider, organisation, *, slug, client_id, **fields):
    """A Harbour IdentityProvider for `organisation` at the test provider (discovery on)."""
    from accounts.models import IdentityProvider

    return IdentityProvider.objects.create(
        organisation=organisation,
        slug=slug,
        issuer=fields.pop("issuer", oidc_provider.issuer),
        discovery_url=oidc_provider.discovery_url,
        client_id=client_id,
        client_secret_env=SECRET_ENV[client_id],
        **fields,
    )


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
