"""Who else sees a detention: a local authority whose AMHP service covers one of the places of
safety it has been at (or its NPU), or that took the case. Registered into
`Detention.objects.visible_to_organisation` by AssessmentsConfig.ready."""

from django.db.models import Exists, OuterRef, Q

from .models import AmhpServiceArea, AssessmentDetail


def amhp_service_sees(organisation_id, arrivals, transfers) -> Q:
    covered_places = AmhpServiceArea.places.through.objects.filter(
        amhpservicearea__organisation_id=organisation_id,
        amhpservicearea__active=True,
    ).values("placeofsafety_id")
    covered_npus = AmhpServiceArea.npus.through.objects.filter(
        amhpservicearea__organisation_id=organisation_id,
        amhpservicearea__active=True,
    ).values("npu_id")
    return (
        Exists(
            AssessmentDetail.objects.filter(
                detention=OuterRef("pk"), amhp_organisation_id=organisation_id
            )
        )
        | Exists(arrivals.filter(place_id__in=covered_places))
        | Exists(transfers.filter(to_place_id__in=covered_places))
        | Q(npu_id__in=covered_npus)
    )
