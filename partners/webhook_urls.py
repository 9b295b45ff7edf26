from django.urls import path

from . import webhook_views as views

urlpatterns = [
    path("", views.subscription_list, name="webhooks"),
    path("new/", views.subscription_new, name="webhook-new"),
    path("<int:pk>/secret/", views.subscription_secret, name="webhook-secret"),
    path("<int:pk>/test/", views.subscription_test, name="webhook-test"),
    path("<int:pk>/turn-off/", views.subscription_deactivate, name="webhook-deactivate"),
]
