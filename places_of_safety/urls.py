from django.urls import path

from . import views

app_name = "places_of_safety"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/fragment/", views.board_fragment, name="board_fragment"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/status/", views.place_set_status, name="set_status"),
]
