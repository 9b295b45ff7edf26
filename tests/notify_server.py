"""A GOV.UK Notify-compatible HTTP server for the tests: a real `http.server` on loopback, in a
thread of the test process, speaking Notify's API v2 as notifications-python-client uses it.

It checks what Notify checks and refuses what Notify refuses, in Notify's error format:
- the API key's JWT (`Authorization: Bearer <jwt>`): header `alg` HS256 and `typ` JWT, signed
  with the service's secret key, `iss` = the service id, `iat` within 30 s of now (either way);
  no token 401, a bad one 403 (`AuthError`);
- the payload of `POST /v2/notifications/sms` and `/v2/notifications/email`: JSON, a known
  `template_id` of that type, a UK mobile `phone_number` or an `email_address`, a
  `personalisation` giving every placeholder of the template (400 `BadRequestError` /
  `ValidationError`).
An accepted message is answered 201 with Notify's body (`id`, `reference`, `content`, `uri`,
`template`) and kept in `received`. `fail_next(status, times)` makes the next requests answer
with that status (an outage, a refusal) after the checks pass. `receipt(...)` builds the body
of Notify's delivery-receipt callback for a message it accepted.

Runs in the test process, so time-machine moves its clock with the client's: a token made at a
travelled instant is checked against the same instant.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = "3f1d2c4b-5a69-4e7f-8a9b-0c1d2e3f4a5b"
SECRET_KEY = "9e8d7c6b-5a49-4382-9176-6f5e4d3c2b1a"
API_KEY = f"harbour_test-{SERVICE_ID}-{SECRET_KEY}"
SMS_TEMPLATE = "a5c1f3a2-1b2c-4d3e-8f4a-5b6c7d8e9f01"
EMAIL_TEMPLATE = "b6d2e4b3-2c3d-4e4f-9a5b-6c7d8e9f0a12"
TOKEN_BOUND_SECONDS = 30

_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Template:
    kind: str  # "sms" | "email"
    placeholders: tuple[str, ...]


DEFAULT_TEMPLATES = {
    SMS_TEMPLATE: Template("sms", ("message",)),
    EMAIL_TEMPLATE: Template("email", ("subject", "body")),
}


@dataclass
class Refusal(Exception):
    status: int
    error: str
    message: str


@dataclass
class NotifyServer:
    service_id: str = SERVICE_ID
    secret_key: str = SECRET_KEY
    templates: dict[str, Template] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    received: list[dict] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._failures: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                server._handle(self)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # --- life -----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> NotifyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next `times` requests that pass the checks answer `status` instead."""
        with self._lock:
            self._failures += [status] * times

    def settings(self, **overrides) -> dict:
        """A `NOTIFY` settings dict pointing at this server."""
        return {
            "API_KEY": API_KEY,
            "BASE_URL": self.url,
            "EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE,
            "SMS_TEMPLATE_ID": SMS_TEMPLATE,
            "CALLBACK_BEARER_TOKEN": "callback-token-for-tests-0123456789",
            "TIMEOUT_SECONDS": 5,
            **overrides,
        }

    # --- Notify's callbacks ---------------------------------------------------------------------
    def receipt(self, notification: dict, status: str) -> dict:
        """The body of Notify's delivery-receipt callback for a message it accepted."""
        now = datetime.fromtimestamp(time.time(), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {
            "id": notification["id"],
            "reference": notification.get("reference"),
            "to": notification.get("phone_number") or notification.get("email_address"),
            "status": status,
            "created_at": notification["created_at"],
            "completed_at": now,
            "sent_at": now,
            "notification_type": notification["type"],
            "template_id": notification["template_id"],
            "template_version": 1,
        }

    # --- the API ------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
        try:
            kind = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}.get(
                handler.path
            )
            if kind is None:
                raise Refusal(404, "ResourceNotFound", "Not found")
            self._check_token(handler.headers.get("Authorization", ""))
            body = self._read_json(handler)
            notification = self._check_payload(kind, body)
            with self._lock:
                failure = self._failures.pop(0) if self._failures else None
            if failure is not None:
                raise Refusal(failure, "Injected", f"Injected failure {failure}")
        except Refusal as r:
            with self._lock:
                self.refused.append((r.status, r.message))
            self._answer(
                handler,
                r.status,
                {"errors": [{"error": r.error, "message": r.message}], "status_code": r.status},
            )
            return
        with self._lock:
            self.received.append(notification)
        self._answer(handler, 201, self._created(notification))

    def _check_token(self, header: str) -> None:
        scheme, _sep, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            raise Refusal(401, "AuthError", "Unauthorized: authentication token must be provided")
        try:
            head = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Refusal(403, "AuthError", "Invalid token: not a JWT") from exc
        if head.get("alg") != "HS256" or head.get("typ") != "JWT":
            raise Refusal(403, "AuthError", "Invalid token: algorithm used is not HS256")
        try:
            claims = jwt.decode(
                token,
                key=self.secret_key,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.InvalidSignatureError as exc:
            raise Refusal(
                403, "AuthError", "Invalid token: signature, api token not found"
            ) from exc
        except jwt.PyJWTError as exc:
            raise Refusal(403, "AuthError", f"Invalid token: {exc}") from exc
        if claims["iss"] != self.service_id:
            raise Refusal(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - int(claims["iat"])) > TOKEN_BOUND_SECONDS:
            raise Refusal(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )

    def _read_json(self, handler) -> dict:
        if handler.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise Refusal(400, "BadRequestError", "Content-Type must be application/json")
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            body = json.loads(handler.rfile.read(length) or b"null")
        except ValueError as exc:
            raise Refusal(400, "BadRequestError", "Invalid JSON supplied in POST data") from exc
        if not isinstance(body, dict):
            raise Refusal(400, "BadRequestError", "Invalid JSON supplied in POST data")
        return body

    def _check_payload(self, kind: str, body: dict) -> dict:
        template_id = body.get("template_id")
        if not template_id:
            raise Refusal(400, "ValidationError", "template_id is a required property")
        template = self.templates.get(str(template_id))
        if template is None:
            raise Refusal(400, "BadRequestError", "Template not found")
        if template.kind != kind:
            raise Refusal(
                400, "BadRequestError", f"{kind} template is not a {template.kind} template"
            )
        if kind == "sms":
            number = re.sub(r"[\s()\-]", "", str(body.get("phone_number") or ""))
            if not number:
                raise Refusal(400, "ValidationError", "phone_number is a required property")
            if not _UK_MOBILE.match(number):
                raise Refusal(400, "ValidationError", "phone_number Not a UK mobile number")
        else:
            address = str(body.get("email_address") or "")
            if not address:
                raise Refusal(400, "ValidationError", "email_address is a required property")
            if not _EMAIL.match(address):
                raise Refusal(400, "ValidationError", "email_address Not a valid email address")
        personalisation = body.get("personalisation") or {}
        if not isinstance(personalisation, dict):
            raise Refusal(400, "ValidationError", "personalisation is not of type object")
        missing = [p for p in template.placeholders if not personalisation.get(p)]
        if missing:
            raise Refusal(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise Refusal(400, "ValidationError", "reference is not of type string")
        return {
            **body,
            "id": str(uuid.uuid4()),
            "type": kind,
            "created_at": datetime.fromtimestamp(time.time(), tz=UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
        }

    def _created(self, n: dict) -> dict:
        template = self.templates[n["template_id"]]
        p = n.get("personalisation") or {}
        if template.kind == "sms":
            content = {"body": p.get("message", ""), "from_number": "GOVUK"}
        else:
            content = {
                "body": p.get("body", ""),
                "subject": p.get("subject", ""),
                "from_email": "harbour@notifications.service.gov.uk",
            }
        return {
            "id": n["id"],
            "reference": n.get("reference"),
            "content": content,
            "uri": f"{self.url}/v2/notifications/{n['id']}",
            "template": {
                "id": n["template_id"],
                "version": 1,
                "uri": f"{self.url}/services/{self.service_id}/templates/{n['template_id']}",
            },
        }

    def _answer(self, handler, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def start() -> NotifyServer:
    return NotifyServer().start()
