"""Claims of the test users (groups, amr, acr, email...) from the provider's config file."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "groups": "openid",
        "roles": "openid",
        "amr": "openid",
        "acr": "openid",
        "nhsid_nrbac_roles": "openid",
    }

    def get_additional_claims(self, request):
        user = settings.CONFIG["users"][request.user.username]
        return dict(user["claims"])
