from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin): send the app's."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")


admin.site.site_header = "部门整体支出绩效自评系统 · 管理"
admin.site.site_title = "perfeval 管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("", include("departments.urls")),
    path("", include("budgets.urls")),
    path("", include("indicators.urls")),
    path("", include("flow.urls")),
    path("", include("overview.urls")),
    path("", include("reports.urls")),
]
