from django.urls import path

from . import views

app_name = "indicators"

Y = "u/<slug:unit_code>/<int:year>/"

urlpatterns = [
    path("indicators/library/", views.library, name="library"),
    path(Y + "goals/", views.goals, name="goals"),
    path(Y + "indicators/", views.indicator_table, name="table"),
    path(Y + "indicators/default-weights/", views.indicator_weights_default, name="weights_default"),
    path(Y + "indicators/from-library/", views.indicator_add_from_library, name="add_from_library"),
    path(Y + "indicators/confirm-directions/", views.indicator_confirm_directions, name="confirm_directions"),
    path(Y + "indicators/<int:pk>/move/<str:direction>/", views.indicator_move, name="move"),
    path(Y + "indicators/<int:pk>/to-library/", views.indicator_to_library, name="to_library"),
    path(Y + "indicators/project/<int:pk>/", views.project_goal, name="project_goal"),
    path(Y + "indicators/projects.xlsx", views.projects_xlsx, name="projects_xlsx"),
    path(Y + "indicators/projects/upload/", views.projects_upload, name="projects_upload"),
    path(Y + "scoring/project/<int:pk>/outcome/", views.project_outcome, name="project_outcome"),
    path(Y + "group/", views.group, name="group"),
    path(Y + "scoring/", views.scoring, name="scoring"),
    path(Y + "scoring/<int:pk>/", views.scoring_save, name="scoring_save"),
    path(Y + "scoring/result/", views.group_result, name="group_result"),
    path(Y + "scoring/result/confirm/", views.group_result_confirm, name="group_result_confirm"),
]
