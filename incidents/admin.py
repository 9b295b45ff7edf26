"""Admin for incidents: read-only views with history (changes go through the
services and the pages, never around them)."""

from django.contrib import admin

from people.admin import ReadOnlyAdmin

from .models import Incident, OfficerDeployment


class OfficerInline(admin.TabularInline):
    model = OfficerDeployment
    extra = 0
    fields = ["officer_name", "collar_number", "minutes", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "occurred_at", "category", "npu", "rcrp_threshold", "outcome"]
    list_filter = ["organisation", "category", "rcrp_threshold", "outcome", "healthcare_setting"]
    search_fields = ["reference", "location_description", "location_postcode"]
    list_select_related = ["npu"]
    date_hierarchy = "occurred_at"
    inlines = [OfficerInline]
