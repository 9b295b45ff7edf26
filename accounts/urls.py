from django.urls import include, path

from . import sign_in, views

urlpatterns = [
    path("api-keys/", views.key_list, name="api-keys"),
    path("api-keys/new/", views.key_new, name="api-key-new"),
    path("api-keys/<str:prefix>/secret/", views.key_secret, name="api-key-secret"),
    path("api-keys/<str:prefix>/rotate/", views.key_rotate, name="api-key-rotate"),
    path("api-keys/<str:prefix>/revoke/", views.key_revoke, name="api-key-revoke"),
    path("sign-in/", sign_in.sign_in_settings, name="sign-in-settings"),
    path(
        "sign-in/role-mappings/<int:pk>/delete/",
        sign_in.role_mapping_delete,
        name="role-mapping-delete",
    ),
    path("webhooks/", include("partners.webhook_urls")),
]
