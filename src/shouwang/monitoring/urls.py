from django.urls import path

from shouwang.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("leads/", views.leads, name="lead_list"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("cases/<int:pk>/authorisation/", views.case_authorisation, name="case_authorisation"),
    path("households/", views.monitored, name="monitored_list"),
    path("households/<int:pk>/self-report/", views.self_report, name="self_report"),
    path("notice/", views.public_notice, name="notice"),
    path("parameters/", views.parameters, name="parameters"),
]
