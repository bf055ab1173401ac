from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "绩效目标与指标"

    def ready(self) -> None:
        from departments.access import register_group_roles

        from .selectors import group_roles, group_roles_annotate

        register_group_roles(group_roles, annotate=group_roles_annotate)
