from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import Referral, ReferralStatusChange, WebhookDelivery, WebhookSubscription


class StatusChangeInline(admin.TabularInline):
    model = ReferralStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "who", "organisation", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Read-only: referrals change through partners.services (pages and API)."""

    list_display = [
        "reference",
        "from_organisation",
        "to_organisation",
        "service",
        "urgency",
        "status",
        "due_by",
        "created_at",
    ]
    list_filter = ["status", "urgency", "service", "to_organisation"]
    search_fields = ["reference"]
    list_select_related = ["from_organisation", "to_organisation"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Organisations manage their own at /organisation/webhooks/ (the secret is shown there)."""

    list_display = ["name", "organisation", "url", "events", "active", "created_at"]
    list_filter = ["active", "organisation"]
    fields = ["organisation", "name", "url", "events", "active", "created_by", "created_at"]
    readonly_fields = ["organisation", "url", "events", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = [
        "event",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    list_filter = ["status", "event", "subscription__organisation"]
    list_select_related = ["subscription", "subscription__organisation"]
    readonly_fields = [
        "subscription",
        "event",
        "event_id",
        "payload",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "delivered_at",
        "created_at",
    ]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the selected deliveries now")
    def retry_now(self, request, queryset):
        from .webhooks import retry_now

        retry_now(list(queryset.values_list("pk", flat=True)))
