"""Alerts and deliveries in the admin: read-only. Alerts are raised, closed and escalated only by
the sweep, and acknowledged through alerts.services (the inbox or the API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import Alert, Delivery


class ReadOnlyAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "address", "escalation_level", "status", "attempts", "error", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "detention",
        "referral",
        "protocol",
        "training_record",
        "threshold_minutes",
        "due_at",
        "raised_at",
        "escalation_level",
        "acknowledged_at",
        "closed_at",
        "closed_reason",
    ]
    list_filter = ["kind", "escalation_level", "closed_reason"]
    search_fields = ["detention__reference", "referral__reference", "acknowledged_by"]
    list_select_related = ["detention", "referral", "protocol", "training_record__user"]
    raw_id_fields = ["detention", "referral", "protocol", "training_record"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "alert", "channel", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["address"]
    raw_id_fields = ["alert", "user"]
