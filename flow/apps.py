from django.apps import AppConfig


class FlowConfig(AppConfig):
    name = "flow"
    verbose_name = "流程"
