from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("", views.home, name="home"),
    path("u/<slug:unit_code>/<int:year>/", views.year_detail, name="year_detail"),
]
