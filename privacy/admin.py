from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RetentionReview


@admin.register(RetentionReview)
class RetentionReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "record_type",
        "record_id",
        "decision",
        "decided_by",
        "decided_at",
        "deleted_at",
    ]
    list_filter = ["record_type", "decision"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
