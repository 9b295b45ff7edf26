"""`/api/v1/response-plans/` and `/api/v1/warning-markers/`: shapes only (the rules are in
`people.plans`, who may is `people.policy`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from core.serializers import HarbourModelSerializer, StrictCharField

from .models import PlanContact, ResponsePlan, WarningMarker


class PlanContactSerializer(HarbourModelSerializer):
    class Meta:
        model = PlanContact
        fields = ["id", "name", "relationship", "phone", "when_to_call"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "phone": {"help_text": _("Digits, spaces, + ( ) and -; 6 to 30 characters.")},
        }


class WarningMarkerSerializer(HarbourModelSerializer):
    current = serializers.SerializerMethodField(
        help_text=_("False once past the review date: no longer shown to officers.")
    )

    class Meta:
        model = WarningMarker
        fields = ["id", "kind", "details", "review_on", "current"]
        read_only_fields = ["id", "current"]
        extra_kwargs = {
            "review_on": {"help_text": _("Today or later, at most two years ahead (UK date).")},
        }

    def get_current(self, obj) -> bool:
        return obj.is_current(timezone.localdate())


class ResponsePlanSerializer(HarbourModelSerializer):
    """A plan as the caller's organisation may see it (people.policy.visible_plans)."""

    author_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    addressed_to = serializers.SlugRelatedField(slug_field="slug", read_only=True, many=True)
    decided_by_organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    contacts = PlanContactSerializer(many=True, read_only=True)
    markers = WarningMarkerSerializer(many=True, read_only=True)

    class Meta:
        model = ResponsePlan
        fields = [
            "id",
            "person",
            "author_organisation",
            "addressed_to",
            "status",
            "what_helps",
            "what_to_avoid",
            "who_to_call",
            "contacts",
            "markers",
            "written_by_name",
            "submitted_at",
            "submitted_by_name",
            "decided_at",
            "decided_by_name",
            "decided_by_organisation",
            "approved_at",
            "rejection_reason",
            "withdrawn_at",
            "withdrawn_by_name",
            "withdrawal_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ResponsePlanCreateSerializer(serializers.Serializer):
    """A draft plan; add contacts and markers with `contacts/` and `markers/`, then `submit/`."""

    person = serializers.PrimaryKeyRelatedField(
        queryset=ResponsePlan._meta.get_field("person").related_model.objects.none(),
        help_text=_(
            "The person's id: one of your force's people, or a person of a referral sent to or "
            "by your organisation."
        ),
    )
    addressed_to = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(active=True),
        many=True,
        required=False,
        help_text=_("Partners (slugs) who see it once approved; the person's force always does."),
    )
    what_helps = StrictCharField(required=False, allow_blank=True)
    what_to_avoid = StrictCharField(required=False, allow_blank=True)
    who_to_call = StrictCharField(required=False, allow_blank=True)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(help_text=_("Why (kept with the plan and its history)."))


class PersonMarkerSerializer(serializers.ModelSerializer):
    """A warning marker of a plan in force, with where it comes from."""

    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    person = serializers.SerializerMethodField()
    author_organisation = serializers.SerializerMethodField()

    class Meta:
        model = WarningMarker
        fields = ["id", "plan", "person", "kind", "details", "review_on", "author_organisation"]
        read_only_fields = fields

    def get_person(self, obj) -> int:
        return obj.plan.person_id

    @extend_schema_field(serializers.CharField())
    def get_author_organisation(self, obj) -> str:
        return obj.plan.author_organisation.slug
