"""Load scenario: staff on the board, detention pages, places board and reports, and a partner
system on the API (bench/run_load.sh runs it against gunicorn on loopback).

The figures are read against /healthz (`BareView`), measured in the same run.

Environment: LOAD_PASSWORD (seed_demo's demo password by default), LOAD_API_KEY (a key with
detentions:read and places:read, issued by run_load.sh).
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "harbour-demo-2026")
API_KEY = os.environ.get("LOAD_API_KEY", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class StaffUser(HttpUser):
    """A signed-in member of staff (session cookie, as in the browser)."""

    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        page = self.client.get("/sign-in/", name="/sign-in/")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/sign-in/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/sign-in/"},
            name="/sign-in/ (POST)",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed for {self.username}: {response.status_code}")
        self.detention_ids = []
        listing = self.client.get(
            "/api/v1/detentions/?active=true", name="/api/v1/detentions/?active=true (session)"
        )
        if listing.status_code == 200:
            self.detention_ids = [d["id"] for d in listing.json().get("results", [])]

    def open_a_detention(self):
        if self.detention_ids:
            pk = random.choice(self.detention_ids)
            self.client.get(f"/detentions/{pk}/", name="/detentions/[id]/")


class Officer(StaffUser):
    weight = 3
    username = "officer"

    @task(4)
    def board(self):
        self.client.get("/detentions/", name="/detentions/")

    @task(3)
    def detention(self):
        self.open_a_detention()

    @task(2)
    def places(self):
        self.client.get("/places-of-safety/", name="/places-of-safety/")

    @task(1)
    def home(self):
        self.client.get("/", name="/")


class Sergeant(StaffUser):
    weight = 2
    username = "sergeant"

    @task(3)
    def board(self):
        self.client.get("/detentions/", name="/detentions/")

    @task(2)
    def board_rows(self):
        self.client.get("/detentions/board/rows/", name="/detentions/board/rows/")

    @task(3)
    def detention(self):
        self.open_a_detention()


class NpuLead(StaffUser):
    weight = 1
    username = "npulead"

    @task(2)
    def dashboard(self):
        self.client.get("/reports/", name="/reports/")

    @task(1)
    def board(self):
        self.client.get("/detentions/", name="/detentions/")


class Nurse(StaffUser):
    weight = 2
    username = "nurse"

    @task(3)
    def places(self):
        self.client.get("/places-of-safety/", name="/places-of-safety/")

    @task(2)
    def board(self):
        self.client.get("/detentions/", name="/detentions/")

    @task(2)
    def detention(self):
        self.open_a_detention()


class PartnerSystem(HttpUser):
    """A partner's system polling the API with its key."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Api-Key {API_KEY}"

    @task(2)
    def active_detentions(self):
        self.client.get("/api/v1/detentions/?active=true", name="/api/v1/detentions/?active=true")

    @task(1)
    def places(self):
        self.client.get("/api/v1/places-of-safety/", name="/api/v1/places-of-safety/")


class BareView(HttpUser):
    """The bare framework view, measured beside the pages in the same run: /healthz goes
    through the same gunicorn, middleware and connection handling, with one database and one
    Redis round trip and no page. Two of them, however many users there are."""

    fixed_count = 2
    wait_time = between(1, 3)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")
