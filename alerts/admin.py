"""Alerts and deliveries in the admin: read-only. Alerts are raised, closed and escalated only by
the sweep, and acknowledged through alerts.services (the inbox or the API). Each person's alert
channels: administrators set them for the members of their organisation (alerts.services
.set_channels; the mobile number is on the user's own admin page)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin
from accounts.principal import principal_of

from . import policy, services
from .models import Alert, AlertRepeat, Channel, ChannelPreference, Delivery


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
    fields = [
        "channel",
        "address",
        "escalation_level",
        "repeat",
        "status",
        "attempts",
        "error",
        "sent_at",
        "status_reported_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RepeatInline(admin.TabularInline):
    model = AlertRepeat
    extra = 0
    can_delete = False
    fields = ["number", "due_at", "raised_at"]
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
    inlines = [RepeatInline, DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "alert",
        "channel",
        "address",
        "repeat",
        "status",
        "attempts",
        "sent_at",
        "status_reported_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["address", "notify_id"]
    raw_id_fields = ["alert", "user"]


class ChannelPreferenceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Text messages go to the mobile number on the user's page. GOV.UK Notify channels "
            "need NOTIFY_API_KEY and their template."
        ),
    )

    class Meta:
        model = ChannelPreference
        fields = ["user", "channels"]

    def clean(self):
        data = super().clean()
        user = data.get("user") or (self.instance.user if self.instance.pk else None)
        if user is not None:
            for field, messages in services.channel_errors(
                user, data.get("channels") or []
            ).items():
                for message in messages:
                    self.add_error("channels" if field == "mobile_number" else field, message)
        return data


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """An organisation's administrators: how its members are told (no preference: email)."""

    form = ChannelPreferenceForm
    list_display = ["user", "channels", "updated_at"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]

    # The organisation's administrators (MANAGE_ORGANISATION) and the deployment's superusers;
    # which preferences each sees is the policy's (PolicyAdminMixin).
    def _administers(self, request) -> bool:
        return request.user.is_superuser or policy.administers_channels(principal_of(request))

    def has_module_permission(self, request):
        return self._administers(request)

    def has_view_permission(self, request, obj=None):
        return self._administers(request)

    def has_add_permission(self, request):
        return self._administers(request)

    def has_change_permission(self, request, obj=None):
        return self._administers(request)

    def has_delete_permission(self, request, obj=None):
        return False  # choose the channels instead (no preference means email)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        policy.may_set_channels(principal_of(request), obj.user).enforce()
        saved = services.set_channels(obj.user, channels=form.cleaned_data["channels"])
        obj.pk = saved.pk
