from django.apps import AppConfig


class PerfevalConfig(AppConfig):
    """The project package as an app, only to connect its cross-cutting hooks at start-up."""

    name = "perfeval"
    verbose_name = "perfeval"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the system checks
        from .middleware import session_mark_fresh

        user_logged_in.connect(session_mark_fresh, dispatch_uid="perfeval.session_mark_fresh")
