from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import PlaceOfSafety, PlaceStatusChange


class PlaceStatusChangeInline(admin.TabularInline):
    """The status history, read-only: statuses are set on the place's page or through the API
    (places_of_safety.services.set_status), so that every change is recorded with who and why."""

    model = PlaceStatusChange
    extra = 0
    can_delete = False
    fields = ["set_at", "status", "reason", "set_by", "set_by_label", "occupancy"]
    readonly_fields = fields
    ordering = ["-set_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlaceOfSafety)
class PlaceOfSafetyAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "capacity",
        "accepts_under_18",
        "declared_status",
        "active",
    ]
    list_filter = ["kind", "declared_status", "accepts_under_18", "organisation"]
    search_fields = ["name", "address"]
    list_select_related = ["organisation"]
    readonly_fields = ["declared_status", "status_reason", "status_updated_at", "status_updated_by"]
    inlines = [PlaceStatusChangeInline]
