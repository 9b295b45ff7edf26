from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import TrainingRecord


@admin.register(TrainingRecord)
class TrainingRecordAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "course", "completed_on", "refresher_due_on", "source")
    list_filter = ("course", "source")
    readonly_fields = [f.name for f in TrainingRecord._meta.fields]

    def has_add_permission(self, request):
        return False
