from django.urls import path

from shouwang.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("households/", views.households, name="households"),
    path("what-if/", views.what_if, name="what_if"),
    path("runs/", views.runs, name="runs"),
    path("runs/new/", views.run_now, name="run_now"),
    path("parameters/", views.parameters, name="parameters"),
    path("parameters/<int:year>/edit/", views.parameters_edit, name="parameters_edit"),
]
