from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from accounts import language, oidc, otp_views
from accounts import sign_in as sign_in_views
from core import views as core_views

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api_urls")),
    path("", include("places_of_safety.api_urls")),
    path("", include("detentions.api_urls")),
    path("", include("incidents.api_urls")),
    path("", include("people.api_urls")),
    path("", include("use_of_force.api_urls")),
    path("", include("partners.api_urls")),
    path("", include("alerts.api_urls")),
    path("", include("reporting.api_urls")),
    path("", include("audit.api_urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("sign-in/", sign_in_views.SignInView.as_view(), name="login"),
    path("sign-in/with/<slug:slug>/", oidc.ProviderSignInView.as_view(), name="oidc-start"),
    path("sign-in/callback/", oidc.ProviderCallbackView.as_view(), name="oidc-callback"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # The header's language switcher, and the words the pages' scripts use (djangojs catalogue).
    path("language/", language.set_language, name="set-language"),
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript-catalog"),
    path("account/two-factor/", include(otp_views.urlpatterns)),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("detentions.urls")),
    path("", include("incidents.urls")),
    path("", include("people.urls")),
    path("", include("use_of_force.urls")),
    path("places-of-safety/", include("places_of_safety.urls")),
    path("referrals/", include("partners.urls")),
    path("alerts/", include("alerts.urls")),
    path("reports/", include("reporting.urls")),
    path("audit/", include("audit.urls")),
    path("organisation/", include("accounts.urls")),
    path("assessments/", include("assessments.urls")),
    path("approvals/", include("detentions.approval_urls")),
    path("advisers/", include("advisers.urls")),
    path("protocols/", include("protocols.urls")),
    path("training/", include("training.urls")),
    path("privacy/", include("privacy.urls")),
]

# Every answer under /api/ in the API's error format (core/api_doors.py); pages as before.
handler400 = "core.api_doors.bad_request"
handler403 = "core.api_doors.permission_denied"
handler404 = "core.api_doors.not_found"
handler500 = "core.api_doors.server_error"
