from django.urls import path

from . import views

app_name = "use_of_force"

urlpatterns = [
    path(
        "detentions/<int:pk>/use-of-force/new/",
        views.record,
        {"kind": "force"},
        name="detention-force",
    ),
    path(
        "detentions/<int:pk>/searches/new/",
        views.record,
        {"kind": "search"},
        name="detention-search",
    ),
    path("use-of-force/reviews/", views.reviews, name="reviews"),
    path("use-of-force/reviews/<int:pk>/", views.review, name="review"),
]
