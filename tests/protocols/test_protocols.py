"""Protocols: upload checks (type by content, size), versions, overdue list, downloads."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.roles import Role
from protocols.models import Protocol, Status
from tests.advisers.helpers import sign_in

from .conftest import PDF_BYTES, docx, exe, odt, pdf, protocol_form

pytestmark = pytest.mark.django_db


def test_a_pdf_is_stored_under_a_random_name_with_its_own_name_kept(make_protocol, media):
    p = make_protocol(upload=pdf("Signed s136 protocol (final).PDF"))
    assert p.content_type == "application/pdf"
    assert p.document_name == "Signed s136 protocol (final).PDF"
    assert p.document.name.startswith("protocols/") and p.document.name.endswith(".pdf")
    assert "final" not in p.document.name and len(Path(p.document.name).stem) == 32
    assert (media / p.document.name).read_bytes() == PDF_BYTES
    assert p.size == len(PDF_BYTES) and len(p.sha256) == 64


def test_docx_and_odt_are_recognised_by_their_content(make_protocol):
    assert make_protocol(upload=docx()).content_type.endswith("wordprocessingml.document")
    assert make_protocol(upload=odt(), title="AWOL").content_type.endswith("opendocument.text")


@pytest.mark.parametrize(
    "upload, message",
    [
        (exe("protocol.pdf"), "must be a PDF"),  # a renamed .exe
        (exe("setup.exe"), "must be a PDF"),
        (pdf("protocol.docx"), "ends .docx but it is a .pdf"),
        (pdf("protocol.pdf", b""), "empty"),
        (pdf("notes.txt", b"just some text"), "must be a PDF"),
    ],
)
def test_uploads_that_are_not_pdf_docx_or_odt_are_refused(make_protocol, media, upload, message):
    with pytest.raises(ValidationError) as exc:
        make_protocol(upload=upload)
    assert message in " ".join(exc.value.message_dict["document"])
    assert not Protocol.objects.exists()
    assert not (media / "protocols").exists() or not any((media / "protocols").iterdir())


def test_a_zip_that_is_not_a_document_is_refused(make_protocol):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.exe", b"MZ")
    with pytest.raises(ValidationError):
        make_protocol(upload=SimpleUploadedFile("protocol.docx", buf.getvalue()))


def test_files_over_the_limit_are_refused(make_protocol, settings):
    settings.HARBOUR_DELIVERY = {**settings.HARBOUR_DELIVERY, "PROTOCOL_MAX_BYTES": 100}
    with pytest.raises(ValidationError) as exc:
        make_protocol(upload=pdf(content=PDF_BYTES + b"x" * 200))
    assert "smaller than" in str(exc.value)


def test_ten_megabytes_is_the_default_limit(make_protocol):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError):
        make_protocol(upload=pdf(content=big))


def test_dates_are_checked(make_protocol):
    with pytest.raises(ValidationError) as exc:
        make_protocol(signed_on=dt.date(2026, 1, 1), review_due_on=dt.date(2025, 1, 1))
    assert "review_due_on" in exc.value.message_dict


def test_a_new_version_supersedes_the_previous_once(make_protocol):
    v1 = make_protocol()
    v2 = make_protocol(version="2.0", supersedes=v1, signed_on=dt.date(2025, 12, 1))
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.supersedes, v2.partner, v2.topic) == (
        Status.SUPERSEDED,
        Status.CURRENT,
        v1,
        v1.partner,
        v1.topic,
    )
    with pytest.raises(ValidationError):
        make_protocol(version="2.1", supersedes=v1)
    assert Protocol.objects.current().count() == 1


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_overdue_page_lists_current_protocols_past_review(web, make_protocol, mh_lead, acute_trust):
    overdue = make_protocol(review_due_on=dt.date(2026, 2, 1), title="Conveyance")
    old = make_protocol(review_due_on=dt.date(2025, 6, 1), title="Replaced")
    make_protocol(
        version="2",
        supersedes=old,
        review_due_on=dt.date(2027, 6, 1),
        signed_on=dt.date(2026, 1, 1),
    )
    make_protocol(review_due_on=dt.date(2026, 3, 20), title="No beds", partner=acute_trust)
    client = sign_in(web, mh_lead)
    body = client.get("/protocols/overdue/").content.decode()
    assert "Conveyance" in body and "28 days" in body
    assert "Replaced" not in body  # superseded: the new version is in date
    assert "No beds" in body  # due within 30 days, listed below
    assert overdue.title in body


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return ctx.captured_queries


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_list_and_overdue_pages_take_a_fixed_number_of_queries(web, make_protocol, mh_lead):
    client = sign_in(web, mh_lead)
    make_protocol(review_due_on=dt.date(2026, 2, 1))
    client.get("/protocols/")
    counts = [len(_queries(client, u)) for u in ("/protocols/", "/protocols/overdue/")]
    for i in range(5):
        make_protocol(review_due_on=dt.date(2026, 2, 1), title=f"P{i}")
    assert [len(_queries(client, u)) for u in ("/protocols/", "/protocols/overdue/")] == counts


def test_download_is_an_attachment_for_signed_in_viewers_only(
    web, make_protocol, officer, outsider_officer, make_user, health_trust, other_local_authority
):
    p = make_protocol(upload=pdf("Signed protocol.pdf"))
    url = f"/protocols/{p.pk}/document/"
    response = sign_in(web, officer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Signed protocol.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The partner it was agreed with may read it; an outsider may not know it exists.
    partner_user = make_user("trustpartner", health_trust, Role.PARTNER_USER)
    assert sign_in(web, partner_user).get(url).status_code == 200
    assert sign_in(web, outsider_officer).get(url).status_code == 404
    stranger = make_user("stranger", other_local_authority, Role.PARTNER_USER)
    assert sign_in(web, stranger).get(url).status_code == 404
    doctor = make_user("doc", health_trust, Role.DOCTOR)
    assert sign_in(web, doctor).get(url).status_code == 403  # no VIEW_PROTOCOLS
    web.logout()
    assert web.get(url).status_code == 302


def test_upload_through_the_page_and_a_renamed_exe_is_refused(web, mh_lead, health_trust, officer):
    client = sign_in(web, mh_lead)
    data = protocol_form(health_trust)
    refused = client.post("/protocols/new/", {**data, "document": exe("conveyance.pdf")})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert not Protocol.objects.exists()
    stored = client.post("/protocols/new/", {**data, "document": pdf("conveyance.pdf")})
    assert stored.status_code == 302
    p = Protocol.objects.get()
    assert p.history.get().changed_by == "mhlead"
    # New version through the page.
    response = client.post(
        f"/protocols/{p.pk}/new-version/",
        {
            k: v
            for k, v in {**data, "version": "1.1", "document": docx("v1.1.docx")}.items()
            if k not in ("partner", "topic")
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.SUPERSEDED
    # An officer may read but not upload.
    assert sign_in(web, officer).get("/protocols/new/").status_code == 403
    assert sign_in(web, officer).get(f"/protocols/{p.pk}/new-version/").status_code == 403


def test_another_forces_lead_cannot_see_or_replace(web, make_protocol, make_user, other_force):
    p = make_protocol()
    lead = make_user("westlead", other_force, Role.MH_TACTICAL_ADVISER)
    client = sign_in(web, lead)
    assert client.get(f"/protocols/{p.pk}/").status_code == 404
    assert client.get(f"/protocols/{p.pk}/new-version/").status_code == 404
    assert "s136 and places of safety" not in client.get("/protocols/").content.decode()
