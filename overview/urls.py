from django.urls import path

from . import views

app_name = "overview"

# The finance bureau's overview of all units (administrators only).
urlpatterns = [
    path("overview/", views.overview, name="index"),
    path("overview/export.xlsx", views.overview_export, name="export"),
    path("overview/<slug:unit_code>/", views.unit_overview, name="unit"),
    path("overview/<slug:unit_code>/charts/<slug:kind>.svg", views.unit_chart, name="unit_chart"),
]
