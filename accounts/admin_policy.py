"""The admin door asks the same policy: a staff user who is not a superuser sees in the admin
only the records their organisation may see (`core.policy.REGISTRY`). Superusers are the
deployment's operators and see everything (docs/architecture.md "Who may see and do what")."""

from core.policy import visible_queryset
from core.records import record_label

from .principal import principal_of


class PolicyAdminMixin:
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        label = record_label(qs.model)
        visible = visible_queryset(label, principal_of(request))
        if visible is None:
            return qs
        return qs.filter(pk__in=visible.values("pk"))
