"""Django choices built from an enumeration of the rule engine (`law`): one declaration of
the members, with the labels people read kept beside the app that shows them."""

from enum import Enum

from django.db import models


def engine_choices(enum: type[Enum], labels: dict, module: str) -> type[models.TextChoices]:
    """Django choices for one of the engine's enumerations: the members (names, values and
    order) are the engine's, the labels are ours. Every value needs a label and every label
    a value."""
    missing = [m.value for m in enum if m not in labels]
    unknown = [k for k in labels if k not in enum.__members__.values()]
    if missing or unknown:
        raise ValueError(f"{enum.__name__} labels: missing {missing}, unknown {unknown}")
    return models.TextChoices(
        enum.__name__,
        [(m.name, (m.value, labels[m])) for m in enum],
        module=module,
        qualname=enum.__name__,
    )
