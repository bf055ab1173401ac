from django.urls import path

from . import flow_views, overview_views, views

app_name = "departments"

urlpatterns = [
    path("", views.home, name="home"),
    path("u/<slug:unit_code>/<int:year>/", views.year_detail, name="year_detail"),
    path("u/<slug:unit_code>/<int:year>/profile/", views.profile_edit, name="profile"),
    path("u/<slug:unit_code>/<int:year>/texts/", views.texts_edit, name="texts"),
    path("u/<slug:unit_code>/<int:year>/history/", views.history, name="history"),
    path("u/<slug:unit_code>/<int:year>/next-year/", views.next_year_create, name="next_year"),
]

# The flow (送审 / 开始评价 / 退回 / 定稿 / 重新开启) and its timeline.
urlpatterns += [
    path("u/<slug:unit_code>/<int:year>/flow/", flow_views.flow_page, name="flow"),
    path("u/<slug:unit_code>/<int:year>/flow/submit/", flow_views.flow_submit, name="flow_submit"),
    path("u/<slug:unit_code>/<int:year>/flow/start/", flow_views.flow_start, name="flow_start"),
    path("u/<slug:unit_code>/<int:year>/flow/send-back/", flow_views.flow_send_back, name="flow_send_back"),
    path("u/<slug:unit_code>/<int:year>/flow/finalise/", flow_views.flow_finalise, name="flow_finalise"),
    path("u/<slug:unit_code>/<int:year>/flow/reopen/", flow_views.flow_reopen, name="flow_reopen"),
]

# The finance bureau's overview of all units (administrators only).
urlpatterns += [
    path("overview/", overview_views.overview, name="overview"),
    path("overview/export.xlsx", overview_views.overview_export, name="overview_export"),
    path("overview/<slug:unit_code>/", overview_views.unit_overview, name="unit_overview"),
    path("overview/<slug:unit_code>/charts/<slug:kind>.svg", overview_views.unit_chart, name="unit_chart"),
]
