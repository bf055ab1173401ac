from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("u/<slug:unit_code>/<int:year>/figures/", views.figures_edit, name="figures"),
    path("u/<slug:unit_code>/<int:year>/checks/", views.checks_view, name="checks"),
    path("u/<slug:unit_code>/<int:year>/excel/", views.excel_upload, name="excel"),
    path("u/<slug:unit_code>/<int:year>/excel/download/", views.excel_download, name="excel_download"),
]
