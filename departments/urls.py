from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("u/<slug:unit_code>/<int:year>/profile/", views.profile_edit, name="profile"),
    path("preferences/text-size/", views.text_size, name="text_size"),
]
