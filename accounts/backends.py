"""Password sign-in, refused for organisations that sign in only with their identity provider."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's ModelBackend, except for users of an organisation whose `local_passwords_allowed`
    is off (they sign in with the organisation's identity provider, accounts/oidc.py). Users
    without an organisation (the platform's own superusers) keep their password."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        membership = getattr(user, "membership", None)
        return membership is None or membership.organisation.local_passwords_allowed

    def get_user(self, user_id):
        """ModelBackend's, with the membership and its organisation in the same query: every
        request asks them (here, then the actor's organisation and roles, accounts/principal.py),
        one query each otherwise."""
        users = get_user_model()._default_manager.select_related("membership__organisation")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
