from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import AdviceRecord, RosterShift


@admin.register(RosterShift)
class RosterShiftAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ("function", "adviser", "starts_at", "ends_at", "force")
    list_filter = ("function", "force")

    def has_add_permission(self, request):
        return False  # through the roster pages (overlap checks)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdviceRecord)
class AdviceRecordAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ("function", "adviser", "adviser_name", "advice_given_at", "force")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
