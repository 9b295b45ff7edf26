"""Zip bombs: archive uploads are bounded by declared and actual unpacked size, member count and
compression ratio, read in chunks (never whole); refusals are 400 with the message."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from protocols import documents
from protocols.models import Protocol
from tests.advisers.helpers import sign_in

from .conftest import pdf, protocol_form

pytestmark = pytest.mark.django_db
ODT = b"application/vnd.oasis.opendocument.text"
MB = 1024 * 1024


def odt_bomb(megabytes=60, name="protocol.odt"):
    """An ODT-shaped file whose `mimetype` member is the ODT type then `megabytes` of zeros
    (written in chunks: small in memory and on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("mimetype", "w", force_zip64=True) as member:
            member.write(ODT)
            zeros = b"\0" * MB
            for _ in range(megabytes):
                member.write(zeros)
        z.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buf.getvalue())


def test_the_bomb_is_small_on_disk():
    assert odt_bomb().size < 200 * 1024


def refused(upload) -> tuple[ValidationError, int]:
    """The refusal of `upload` and the peak of Python memory while checking it."""
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as exc:
            documents.check(upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return exc.value, peak


def test_an_odt_bomb_is_refused_without_unpacking_it_into_memory():
    error, peak = refused(odt_bomb())
    assert error.code == "archive_too_large"
    assert peak < 5 * MB  # the member was never read whole (it unpacks to 60 MB)


def test_a_bomb_under_the_total_but_packed_too_tightly_is_refused():
    with pytest.raises(ValidationError) as exc:
        documents.check(odt_bomb(megabytes=5))  # 5 MB of zeros: ~1000:1
    assert exc.value.code == "archive_too_large"


def test_too_many_members_are_refused(settings):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        for i in range(1001):
            z.writestr(f"word/media/{i}.xml", "")
    with pytest.raises(ValidationError) as exc:
        documents.check(SimpleUploadedFile("protocol.docx", buf.getvalue()))
    assert exc.value.code == "archive_too_large"


def test_declared_sizes_that_lie_are_refused():
    """A member whose headers declare 1 byte but which unpacks to 5 MB: the declared bounds pass,
    so the streamed read is what stops it (never more than the declared size is unpacked, and
    the checksum then fails)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * 5 * MB)
    data = bytearray(buf.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(signature)  # the last member's headers
        data[at + offset : at + offset + 4] = (1).to_bytes(4, "little")
    upload = SimpleUploadedFile("protocol.docx", bytes(data))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        assert z.getinfo("word/document.xml").file_size == 1
    error, peak = refused(upload)
    assert error.code == "bad_type"
    assert peak < 5 * MB


def test_the_page_answers_400_with_the_message(web, make_user, force, health_trust, media):
    from accounts.roles import Role

    lead = make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")
    client = sign_in(web, lead)
    data = protocol_form(health_trust)
    refused = client.post("/protocols/new/", {**data, "document": odt_bomb()})
    assert refused.status_code == 400
    assert "The selected file unpacks to more than" in refused.content.decode()
    assert not Protocol.objects.exists()
    assert client.post("/protocols/new/", {**data, "document": pdf()}).status_code == 302
