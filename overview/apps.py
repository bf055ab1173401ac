from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = "全部单位总览"

    def ready(self) -> None:
        from . import summaries

        summaries.connect()
