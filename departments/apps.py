from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = "部门与年度"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_display_settings, dispatch_uid="departments.display_settings")


def _remember_display_settings(sender, request, user, **kwargs) -> None:
    """At login, the user's display settings go into the session (pages read them from there)."""
    from .services import LARGE_TEXT_SESSION_KEY, user_prefers_large_text

    if request is not None and hasattr(request, "session"):
        request.session[LARGE_TEXT_SESSION_KEY] = user_prefers_large_text(user=user)
