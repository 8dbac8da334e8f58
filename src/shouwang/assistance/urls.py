from django.urls import path

from shouwang.assistance import views

app_name = "assistance"
urlpatterns = [
    path("ledgers/", views.ledger_list, name="ledger_list"),
    path("ledgers/export.xlsx", views.ledger_export, name="ledger_export"),
    path("households/<int:pk>/ledger/", views.ledger_detail, name="ledger"),
    path("households/<int:pk>/ledger/create/", views.ledger_create, name="ledger_create"),
    path("households/<int:pk>/ledger/print/", views.ledger_print, name="ledger_print"),
    path("households/<int:pk>/ledger/motivation/", views.ledger_motivation, name="ledger_motivation"),
    path("households/<int:pk>/measures/new/", views.measure_create_view, name="measure_create"),
    path(
        "households/<int:pk>/suggestions/dismiss/", views.suggestion_dismiss_view, name="suggestion_dismiss"
    ),
    path("households/<int:pk>/problems/new/", views.problem_create_view, name="problem_create"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/status/", views.measure_status, name="measure_status"),
    path("measures/<int:pk>/follow-ups/", views.measure_follow_up, name="measure_follow_up"),
    path("problems/", views.problem_overview, name="problems"),
    path("problems/<int:pk>/clear/", views.problem_clear_view, name="problem_clear"),
    path("catalogue/", views.catalogue_list, name="catalogue"),
    path("catalogue/new/", views.catalogue_edit, name="catalogue_create"),
    path("catalogue/<int:pk>/edit/", views.catalogue_edit, name="catalogue_edit"),
    path("parameters/", views.parameters_edit, name="parameters"),
]
