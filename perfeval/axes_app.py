"""django-axes under a Chinese name in the admin ("AXES", "Access attempts" read as English)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig

NAMES = {
    "AccessAttempt": ("登录失败记录", "登录失败记录"),
    "AccessLog": ("登录日志", "登录日志"),
    "AccessFailureLog": ("登录失败日志", "登录失败日志"),
}


class AxesConfig(AxesAppConfig):
    verbose_name = "登录保护"

    def ready(self) -> None:
        super().ready()
        # Display names only: original_attrs (what migrations compare) are left alone.
        for model in self.get_models():
            if model.__name__ in NAMES:
                model._meta.verbose_name, model._meta.verbose_name_plural = NAMES[model.__name__]
