from django.urls import path

from . import views

app_name = "flow"

Y = "u/<slug:unit_code>/<int:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path(Y, views.year_detail, name="year_detail"),
    path(Y + "history/", views.history, name="history"),
    path(Y + "next-year/", views.next_year_create, name="next_year"),
    # The flow (送审 / 开始评价 / 退回 / 定稿 / 重新开启) and its timeline.
    path(Y + "flow/", views.flow_page, name="page"),
    path(Y + "flow/submit/", views.flow_submit, name="submit"),
    path(Y + "flow/start/", views.flow_start, name="start"),
    path(Y + "flow/send-back/", views.flow_send_back, name="send_back"),
    path(Y + "flow/finalise/", views.flow_finalise, name="finalise"),
    path(Y + "flow/reopen/", views.flow_reopen, name="reopen"),
    path(Y + "flow/explain/", views.flow_explain, name="explain"),
]
