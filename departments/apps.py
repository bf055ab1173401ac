from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = "部门与年度"

    def ready(self) -> None:
        from . import summaries

        summaries.connect()
