from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/batches/", views.batch_start, name="batch_start"),
    path("reports/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("reports/batches/<int:pk>/progress.json", views.batch_progress_json, name="batch_progress"),
    path("reports/batches/<int:pk>/retry/", views.batch_retry, name="batch_retry"),
    path("reports/batches/<int:pk>/reports.zip", views.batch_zip, name="batch_zip"),
    path("u/<slug:unit_code>/<int:year>/texts/", views.texts_edit, name="texts"),
    path("u/<slug:unit_code>/<int:year>/report/", views.report, name="report"),
    path("u/<slug:unit_code>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("u/<slug:unit_code>/<int:year>/report.docx", views.report_docx, name="report_docx"),
    path("u/<slug:unit_code>/<int:year>/self-evaluation.xlsx", views.report_xlsx, name="report_xlsx"),
]
