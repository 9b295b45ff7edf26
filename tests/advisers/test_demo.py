"""The demo seeds for advisers, protocols and training are idempotent and leave what they say."""

import io

import pytest

from accounts.roles import OrganisationKind
from accounts.services import ensure_organisation
from advisers.models import RosterShift
from advisers.services import gaps
from demo import advisers as advisers_demo
from demo import protocols as protocols_demo
from demo import training as training_demo
from protocols.models import Protocol
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def midshire(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    force, _ = ensure_organisation(
        "midshire-police",
        "Midshire Police",
        OrganisationKind.POLICE_FORCE,
        [("NPU-C", "Castleford Central")],
    )
    for slug, kind in (
        ("midshire-mh-trust", OrganisationKind.MENTAL_HEALTH_TRUST),
        ("midshire-ambulance", OrganisationKind.AMBULANCE_SERVICE),
        ("midshire-council", OrganisationKind.LOCAL_AUTHORITY),
        ("midshire-hospitals", OrganisationKind.ACUTE_TRUST),
    ):
        ensure_organisation(slug, slug.replace("-", " ").title(), kind)
    return force


def test_demo_seeds_are_idempotent(midshire):
    for _ in range(2):
        for module in (advisers_demo, protocols_demo, training_demo):
            module.seed(io.StringIO())
    assert RosterShift.objects.count() > 40
    found = gaps(midshire)
    assert [g.function for g in found] == ["force_contact"]  # the one deliberate gap
    assert Protocol.objects.count() == len(protocols_demo.PROTOCOLS)
    assert (
        Protocol.objects.filter(review_due_on__lt=protocols_demo.timezone.localdate()).count() == 1
    )
    assert Protocol.objects.first().document.read(5) == b"%PDF-"
    assert TrainingRecord.objects.count() > 10
