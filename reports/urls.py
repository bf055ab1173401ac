from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("u/<slug:unit_code>/<int:year>/report/", views.report, name="report"),
    path("u/<slug:unit_code>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("u/<slug:unit_code>/<int:year>/self-evaluation.xlsx", views.report_xlsx, name="report_xlsx"),
]
