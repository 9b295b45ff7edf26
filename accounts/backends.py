"""Password sign-in, refused for organisations that sign in only with their identity provider."""

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
