import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name="protocol.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="protocol.docx"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buf.getvalue())


def odt(name="protocol.odt"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buf.getvalue())


def protocol_form(partner):
    """The protocol form's fields, filled in (without the document)."""
    return {
        "partner": str(partner.pk),
        "topic": "conveyance",
        "title": "Conveyance protocol",
        "version": "1.0",
        "owner": "Insp A. Jones",
        "signed_on-day": "1",
        "signed_on-month": "2",
        "signed_on-year": "2025",
        "review_due_on-day": "1",
        "review_due_on-month": "2",
        "review_due_on-year": "2027",
    }


def exe(name="protocol.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def mh_lead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


@pytest.fixture
def make_protocol(force, health_trust, mh_lead):
    from protocols import services

    def make(
        *,
        partner=None,
        topic="s136_places_of_safety",
        title="s136 and places of safety",
        version="1.0",
        signed_on=dt.date(2025, 1, 10),
        review_due_on=dt.date(2026, 1, 10),
        upload=None,
        supersedes=None,
        now=None,
    ):
        return services.upload_protocol(
            force=force,
            partner=partner or health_trust,
            topic=topic,
            title=title,
            version=version,
            owner="Ch Insp R. Shah",
            signed_on=signed_on,
            review_due_on=review_due_on,
            upload=upload or pdf(),
            by=mh_lead,
            supersedes=supersedes,
            now=now,
        )

    return make
