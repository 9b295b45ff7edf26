"""Public record labels: how the partner API (`/api/v1/history/?model=`), the access log's
`record_model` and the sealed audit rows name a kind of record.

A label is `app_label.model` (`places_of_safety.placeofsafety`). People, detentions and the
detention events were published as `incidents.*` before they had apps of their own; the label is
part of the partner API and of the hash-chained audit log, so it stays. Compute and parse labels
only here.
"""

from django.apps import apps

_MOVED = {
    "people": ("Person",),
    "detentions": (
        "Detention",
        "PoliceStationDecision",
        "DetentionArrival",
        "Transfer",
        "WelfareCheck",
        "Review",
        "TransferException",
        "Extension",
        "Assessment",
        "Handover",
        "Escape",
        "Correction",
        "UnlawfulAct",
    ),
}
PUBLIC_APP = "incidents"

# internal label (lower case) -> public label, for each model and its history model
PUBLIC_LABELS = {
    f"{app}.{prefix}{name.lower()}": f"{PUBLIC_APP}.{prefix}{name.lower()}"
    for app, names in _MOVED.items()
    for name in names
    for prefix in ("", "historical")
}
_INTERNAL = {public: internal for internal, public in PUBLIC_LABELS.items()}


def record_label(model) -> str:
    """The public label of a model (class or instance): `incidents.detention`."""
    label = model._meta.label_lower
    return PUBLIC_LABELS.get(label, label)


def record_display_label(model) -> str:
    """The same, with the model's name as written (`incidents.Person`), as exports show it."""
    app_label, _dot, _name = record_label(model).partition(".")
    return f"{app_label}.{model._meta.object_name}"


def model_for_label(label: str):
    """The model a public (or internal) label names; LookupError or ValueError as
    `apps.get_model` when there is none."""
    label = label.lower()
    return apps.get_model(_INTERNAL.get(label, label))
