from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.inbox, name="referrals-inbox"),
    path("outbox/", views.outbox, name="referrals-outbox"),
    path("new/", views.new, name="referral-new"),
    path("<int:pk>/", views.detail, name="referral-detail"),
    path("<int:pk>/status/", views.change_status, name="referral-status"),
]
