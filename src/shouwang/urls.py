from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from shouwang.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("registry/", include("shouwang.registry.urls")),
    path("audit/", include("shouwang.audit.urls")),
    path("imports/", include("shouwang.imports.urls")),
    path("screening/", include("shouwang.screening.urls")),
    path("monitoring/", include("shouwang.monitoring.urls")),
    path("visits/", include("shouwang.visits.urls")),
    path("assistance/", include("shouwang.assistance.urls")),
    path("benefits/", include("shouwang.benefits.urls")),
    path("reports/", include("shouwang.reports.urls")),
]
