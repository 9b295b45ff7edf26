"""The referral resource (api-contract.md: `referrals/`). Fixed fields are never renamed.

A receiving partner sees only the minimum about the person (`person_summary`: given name,
family name, date of birth) plus the reason and contact details; the sending organisation also
sees age assessment, gender, ethnicity and NHS number. Neither sees the detention record here.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import caller_organisation_id
from accounts.models import Organisation
from core.serializers import HarbourModelSerializer, InstantField, StrictCharField
from detentions import policy as detention_policy
from detentions.models import Detention
from incidents import policy as incidents_policy
from incidents.models import Incident
from people import policy as people_policy
from people.models import Person

from .models import NEW_STATUS_CHOICES, Referral, ReferralStatus, ReferralStatusChange

SENDER_ONLY_PERSON_FIELDS = ("age_assessment", "gender", "ethnicity", "nhs_number")


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["given_name", "family_name", "date_of_birth", *SENDER_ONLY_PERSON_FIELDS]
        extra_kwargs = {
            f: {"help_text": _("Only for the sending organisation.")}
            for f in SENDER_ONLY_PERSON_FIELDS
        }


class ReferralStatusChangeSerializer(HarbourModelSerializer):
    from_status = serializers.ChoiceField(
        choices=ReferralStatus.choices,
        allow_null=True,
        read_only=True,
        help_text=_("Null for the first entry (the referral was sent)."),
    )

    class Meta:
        model = ReferralStatusChange
        fields = ["from_status", "to_status", "note", "who", "at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["from_status"] = data["from_status"] or None
        return data


class ReferralSerializer(HarbourModelSerializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text=_("The person referred; defaults to the detained person."),
    )
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.all(), required=False, allow_null=True
    )
    detention = serializers.PrimaryKeyRelatedField(
        queryset=Detention.objects.all(), required=False, allow_null=True
    )
    to_organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.filter(active=True)
    )
    from_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lawful_basis = StrictCharField(
        required=False,
        allow_blank=True,
        help_text=_("Required unless consent is `given`."),
    )
    contact_details = StrictCharField(required=False, allow_blank=True)
    created_by = StrictCharField(source="created_by_label", read_only=True)
    person_summary = PersonSummarySerializer(source="person", read_only=True)
    status_changes = ReferralStatusChangeSerializer(many=True, read_only=True)
    due_by = InstantField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "person",
            "incident",
            "detention",
            "to_organisation",
            "from_organisation",
            "service",
            "reason",
            "contact_details",
            "urgency",
            "consent",
            "lawful_basis",
            "status",
            "due_by",
            "acknowledged_at",
            "created_at",
            "created_by",
            "person_summary",
            "status_changes",
        ]
        read_only_fields = ["reference", "status", "acknowledged_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = self.viewer_organisation_id
        if org_id is not None:
            self.fields["person"].queryset = people_policy.people_of_organisation(org_id)
            self.fields["incident"].queryset = incidents_policy.incidents_of_organisation(org_id)
            self.fields["detention"].queryset = detention_policy.detentions_of_organisation(org_id)

    @property
    def viewer_organisation_id(self):
        if "viewer_organisation_id" in self.context:
            return self.context["viewer_organisation_id"]
        request = self.context.get("request")
        return caller_organisation_id(request) if request is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.from_organisation_id != self.viewer_organisation_id:
            summary = data.get("person_summary") or {}
            for field in SENDER_ONLY_PERSON_FIELDS:
                summary.pop(field, None)
        return data


class ReferralStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=NEW_STATUS_CHOICES)
    note = StrictCharField(required=False, allow_blank=True, default="")
