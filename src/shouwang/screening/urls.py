from django.urls import path

from shouwang.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.summary, name="summary"),
]
