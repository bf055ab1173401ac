from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "部门整体支出绩效自评系统 · 管理"
admin.site.site_title = "perfeval 管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("departments.urls")),
    path("", include("budgets.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
]
