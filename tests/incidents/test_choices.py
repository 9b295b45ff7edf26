"""The Django choices of the engine's enumerations are derived from them (one declaration):
the same members, values and order, and a label for every value."""

import pytest
from django.db import models

import law
from core.choices import engine_choices
from detentions import choices


@pytest.mark.parametrize("enum", choices.ENGINE_ENUMS, ids=lambda e: e.__name__)
def test_every_engine_value_has_a_label_and_every_label_a_value(enum):
    derived = getattr(choices, enum.__name__)
    assert issubclass(derived, models.TextChoices)
    assert [(m.name, m.value) for m in derived] == [(m.name, m.value) for m in enum]
    assert all(str(label).strip() for label in derived.labels)


def test_the_eleven_enumerations_the_engine_and_the_models_share():
    assert {e.__name__ for e in choices.ENGINE_ENUMS} == {
        "AgeAssessment",
        "Power",
        "Mode",
        "LocationKind",
        "Profession",
        "ConveyanceMode",
        "PoliceVehicleReason",
        "Rank",
        "ExtensionGround",
        "Outcome",
        "Status",
    }
    assert all(getattr(law, e.__name__) is e for e in choices.ENGINE_ENUMS)


def test_a_missing_or_unknown_label_is_refused_at_import():
    labels = {law.Mode.REMOVED: "Removed"}
    with pytest.raises(ValueError, match="missing \\['kept'\\]"):
        engine_choices(law.Mode, labels, __name__)
    with pytest.raises(ValueError, match="unknown \\['gone'\\]"):
        engine_choices(law.Mode, {**labels, law.Mode.KEPT: "Kept", "gone": "Gone"}, __name__)
