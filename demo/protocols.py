"""Demo protocols with Midshire partners, one overdue for review, each with a tiny generated PDF.
Idempotent: a protocol with the same partner and title is not added again."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation
from protocols.models import Protocol
from protocols.services import upload_protocol

FORCE = "midshire-police"
# partner slug, topic, title, version, owner, signed (days ago), review due (days from today)
PROTOCOLS = [
    (
        "midshire-mh-trust",
        "s136_places_of_safety",
        "Section 136 and health-based places of safety",
        "3.1",
        "Ch Insp R. Shah (force mental health lead)",
        300,
        430,
    ),
    (
        "midshire-mh-trust",
        "awol_absconded",
        "Absent without leave and absconded patients",
        "2.0",
        "Insp D. Hughes",
        760,
        -21,  # overdue for review
    ),
    (
        "midshire-ambulance",
        "conveyance",
        "Conveyance of people detained under the Mental Health Act",
        "1.4",
        "Ch Insp R. Shah (force mental health lead)",
        200,
        20,  # due within 30 days
    ),
    (
        "midshire-council",
        "mha_assessments_s135",
        "MHA assessments on private premises and s135 warrants",
        "1.0",
        "Head of AMHP service and force mental health lead",
        120,
        610,
    ),
    (
        "midshire-hospitals",
        "no_beds",
        "When no mental health bed is available",
        "1.2",
        "Urgent care director and force mental health lead",
        90,
        275,
    ),
]


def tiny_pdf(title: str) -> bytes:
    """A minimal valid one-page PDF showing the title."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def seed(stdout):
    force = Organisation.objects.filter(slug=FORCE).first()
    if force is None:
        return
    today = timezone.localdate()
    added = 0
    for slug, topic, title, version, owner, signed_ago, review_in in PROTOCOLS:
        partner = Organisation.objects.filter(slug=slug).first()
        if (
            partner is None
            or Protocol.objects.filter(force=force, partner=partner, title=title).exists()
        ):
            continue
        upload_protocol(
            force=force,
            partner=partner,
            topic=topic,
            title=title,
            version=version,
            owner=owner,
            signed_on=today - dt.timedelta(days=signed_ago),
            review_due_on=today + dt.timedelta(days=review_in),
            upload=SimpleUploadedFile(f"{title}.pdf", tiny_pdf(title)),
        )
        added += 1
    stdout.write(f"Protocols: {added} added (one overdue for review).")
