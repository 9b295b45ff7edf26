"""What a protocol document may be: PDF, DOCX or ODT, decided by its bytes, not its name.

`check(upload)` reads the file's first bytes (and, for the ZIP-based formats, its member list)
and returns (content_type, extension); anything else raises ValidationError. A renamed .exe
starts with "MZ" and is refused; so is a ZIP that is not a Word or OpenDocument text document.

ZIP-based uploads are bounded before and while they are read (a zip bomb: a small file that
unpacks to gigabytes): at most `PROTOCOL_MAX_MEMBERS` members, a declared uncompressed total of
at most `PROTOCOL_MAX_UNCOMPRESSED_BYTES`, no member compressed more than
`PROTOCOL_MAX_COMPRESSION_RATIO` times, and every member is then streamed in chunks (never read
whole) counting the bytes it really unpacks to against the same total.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, ODT: {".odt"}}
CANONICAL_EXT = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}


def max_bytes() -> int:
    return int(settings.HARBOUR_DELIVERY["PROTOCOL_MAX_BYTES"])


CHUNK = 64 * 1024


def _archive_refused() -> ValidationError:
    limit = int(settings.HARBOUR_DELIVERY["PROTOCOL_MAX_UNCOMPRESSED_BYTES"])
    return ValidationError(
        _(
            "The selected file unpacks to more than %(size)s or is packed unusually: "
            "save it again from your word processor and upload it again"
        )
        % {"size": filesizeformat(limit)},
        code="archive_too_large",
    )


def _check_archive(z: zipfile.ZipFile) -> None:
    """Raises ValidationError for an archive past the bounds (declared, then actual sizes)."""
    bounds = settings.HARBOUR_DELIVERY
    max_total = int(bounds["PROTOCOL_MAX_UNCOMPRESSED_BYTES"])
    max_ratio = int(bounds["PROTOCOL_MAX_COMPRESSION_RATIO"])
    members = z.infolist()
    if len(members) > int(bounds["PROTOCOL_MAX_MEMBERS"]):
        raise _archive_refused()
    if sum(m.file_size for m in members) > max_total:
        raise _archive_refused()
    for m in members:
        if m.file_size > CHUNK and m.file_size > max_ratio * max(m.compress_size, 1):
            raise _archive_refused()
    total = 0
    for m in members:
        with z.open(m) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > max_total:
                    raise _archive_refused()


def _read_member(z: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with z.open(name) as member:
        return member.read(limit)


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as z:
                _check_archive(z)
                names = set(z.namelist())
                if "mimetype" in names and _read_member(z, "mimetype", 100).strip() == ODT.encode():
                    return ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return DOCX
        except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
            return None
        except NotImplementedError:  # a compression method zipfile cannot read
            return None
        finally:
            upload.seek(0)
    return None


def check(upload) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload; ValidationError otherwise."""
    limit = max_bytes()
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The selected file is empty"), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s") % {"size": filesizeformat(limit)},
            code="too_large",
        )
    kind = _sniff(upload)
    if kind is None:
        raise ValidationError(
            _(
                "The selected file must be a PDF, a Word document (.docx) or an OpenDocument text (.odt)"
            ),
            code="bad_type",
        )
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name ends %(ext)s but it is a %(kind)s: rename it and upload it again")
            % {"ext": ext or _("with no extension"), "kind": CANONICAL_EXT[kind]},
            code="extension_mismatch",
        )
    return kind, CANONICAL_EXT[kind]


def sha256(upload) -> str:
    h = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        h.update(chunk)
    upload.seek(0)
    return h.hexdigest()


def safe_display_name(name: str) -> str:
    """The uploaded file's own name, without any path and limited to 200 characters."""
    base = PurePath((name or "").replace("\\", "/")).name or "document"
    return base[-200:]
