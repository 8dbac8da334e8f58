from django.urls import path

from shouwang.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.coverage_overview, name="overview"),
    path("rules/<str:code>/", views.coverage_rule, name="rule"),
    path("run/", views.coverage_run_view, name="run"),
    path("parameters/", views.parameters_edit, name="parameters"),
    path("persons/<int:pk>/records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/end/", views.record_end, name="record_end"),
    path("findings/<int:pk>/send/", views.finding_send, name="finding_send"),
]
