"""What a protocol document may be: PDF, DOCX or ODT, decided by its bytes, not its name.

`check(upload)` reads the file's first bytes (and, for the ZIP-based formats, its member list)
and returns (content_type, extension); anything else raises ValidationError. A renamed .exe
starts with "MZ" and is refused; so is a ZIP that is not a Word or OpenDocument text document.
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


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                    return ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return DOCX
        except (zipfile.BadZipFile, KeyError, OSError):
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
