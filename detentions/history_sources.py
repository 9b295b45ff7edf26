"""The records whose history makes up a detention's history (the detention history API):
`(label, model, key)`, `key` the model's field holding the detention's id. The detention's own
events are listed here; apps above detentions add theirs with `add()` from their AppConfig.ready
(use_of_force: force and protective searches), so that detentions import none of them. The order
breaks ties between rows written at the same instant."""

from django.db import models

from .models import (
    Assessment,
    Correction,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    HandoverRequest,
    Review,
    Transfer,
    TransferException,
    UnlawfulAct,
    WelfareCheck,
)

SOURCES: list[tuple[str, type[models.Model], str]] = [
    ("detention", Detention, "id"),
    ("arrival", DetentionArrival, "detention_id"),
    ("transfer", Transfer, "detention_id"),
    ("welfare_check", WelfareCheck, "detention_id"),
    ("review", Review, "detention_id"),
    ("transfer_exception", TransferException, "detention_id"),
    ("extension", Extension, "detention_id"),
    ("assessment", Assessment, "detention_id"),
    ("handover_request", HandoverRequest, "detention_id"),  # A4 asked, answered (handover.py)
    ("handover", Handover, "detention_id"),
    ("escape", Escape, "detention_id"),
    ("correction", Correction, "detention_id"),
    ("unlawful_act", UnlawfulAct, "detention_id"),  # R1: recorded, then reviewed by the lead
]


def add(label: str, model: type[models.Model], key: str = "detention_id", *, before=None) -> None:
    """Adds a source (once), before the one labelled `before` if given, else at the end."""
    if any(existing == label for existing, _model, _key in SOURCES):
        return
    labels = [existing for existing, _model, _key in SOURCES]
    at = labels.index(before) if before in labels else len(SOURCES)
    SOURCES.insert(at, (label, model, key))
