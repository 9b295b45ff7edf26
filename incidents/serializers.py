from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import NPU
from core.serializers import HarbourModelSerializer
from incidents.choices import IncidentOutcome, RcrpAgency, RcrpThreshold
from incidents.models import Incident, OfficerDeployment
from people import policy
from people.models import Person
from places_of_safety.models import PlaceOfSafety


class OfficerDeploymentSerializer(HarbourModelSerializer):
    class Meta:
        model = OfficerDeployment
        fields = ["id", "officer_name", "collar_number", "minutes"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "officer_name": {"required": False},
            "collar_number": {"required": False},
        }


class IncidentSerializer(HarbourModelSerializer):
    """The contract's fixed fields, then optional ones (a client sending only the fixed fields
    succeeds). A call not attended (`rcrp_threshold` `none`) needs `rcrp_rationale` (or, for
    clients that send only the fixed fields, a `summary`, which is taken as the rationale) and
    `rcrp_passed_to`."""

    npu = serializers.SlugRelatedField(
        slug_field="code",
        queryset=NPU.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Code of one of your force's NPUs."),
    )
    people = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Ids of your force's people (current records, not merged ones)."),
    )
    rcrp_threshold = serializers.ChoiceField(
        choices=RcrpThreshold.choices,
        help_text=_(
            "Right Care Right Person: attend to investigate a crime (`crime`), for a real and "
            "immediate risk to life (`risk_to_life`) or of serious harm (`serious_harm`); "
            "otherwise not attended (`none`)."
        ),
    )
    outcome = serializers.ChoiceField(
        choices=IncidentOutcome.choices, required=False, allow_blank=True
    )
    rcrp_passed_to = serializers.ChoiceField(
        choices=RcrpAgency.choices,
        required=False,
        allow_blank=True,
        help_text=_("When not attended: the agency the call was passed to."),
    )
    healthcare_place = serializers.PrimaryKeyRelatedField(
        queryset=PlaceOfSafety.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("When the location is a place of safety: its id."),
    )
    officers = OfficerDeploymentSerializer(
        many=True,
        required=False,
        help_text=_("Officers deployed and minutes spent. On PATCH the list replaces the old one."),
    )
    total_officer_minutes = serializers.SerializerMethodField()
    detentions = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            # Fixed by the contract.
            "id",
            "reference",
            "occurred_at",
            "category",
            "npu",
            "location_description",
            "people",
            "rcrp_threshold",
            "summary",
            "outcome",
            # Ours (optional on input).
            "reported_at",
            "ended_at",
            "location_postcode",
            "healthcare_setting",
            "healthcare_place",
            "healthcare_setting_name",
            "rcrp_rationale",
            "rcrp_passed_to",
            "outcome_detail",
            "officers",
            "total_officer_minutes",
            "cad_number",
            "rms_reference",
            "detentions",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "reference", "recorded_by", "created_at", "updated_at"]

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["npu"].queryset = NPU.objects.filter(force_id=organisation_id)
        self.fields["people"].child_relation.queryset = policy.people_of_organisation(
            organisation_id
        ).current()

    @extend_schema_field(serializers.IntegerField())
    def get_total_officer_minutes(self, obj) -> int:
        return sum(o.minutes for o in obj.officers.all())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_detentions(self, obj) -> list[int]:
        return [d.pk for d in obj.detentions.all()]
