from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("", views.home, name="home"),
    path("u/<slug:unit_code>/<int:year>/", views.year_detail, name="year_detail"),
    path("u/<slug:unit_code>/<int:year>/profile/", views.profile_edit, name="profile"),
    path("u/<slug:unit_code>/<int:year>/texts/", views.texts_edit, name="texts"),
    path("u/<slug:unit_code>/<int:year>/history/", views.history, name="history"),
    path("u/<slug:unit_code>/<int:year>/next-year/", views.next_year_create, name="next_year"),
]
