from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:key>/", views.table_csv, name="csv"),
    path("repeat/", views.repeat, name="repeat"),
    path("npu/<str:code>/", views.npu_dashboard, name="npu"),
    path("npu/<str:code>/repeat/", views.npu_repeat, name="npu_repeat"),
    path("npu/<str:code>/csv/<slug:key>/", views.npu_table_csv, name="npu_csv"),
    path("s136-return/", views.s136_return_page, name="s136_return"),
    path("s136-return/csv/", views.s136_return_csv, name="s136_return_csv"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
