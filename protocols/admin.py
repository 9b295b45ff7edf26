from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import Protocol


@admin.register(Protocol)
class ProtocolAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "version", "partner", "topic", "status", "review_due_on")
    list_filter = ("status", "topic")
    readonly_fields = [f.name for f in Protocol._meta.fields]

    def has_add_permission(self, request):
        return False  # uploads go through the page (type and size checks)
