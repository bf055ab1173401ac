from django.apps import AppConfig
from django.conf import settings


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "自评报告"

    def ready(self) -> None:
        from . import prerender

        prerender.connect()
        if getattr(settings, "REPORTS_WARM_FONTS", True):
            prerender.warm_fonts()
