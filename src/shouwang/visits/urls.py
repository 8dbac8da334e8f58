from django.urls import path

from shouwang.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list_view, name="list"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/record/", views.visit_record_view, name="visit_record"),
    path("photos/<int:pk>/", views.visit_photo, name="photo"),
    path("households/<int:pk>/plan/", views.visit_plan_view, name="visit_plan"),
    path("households/<int:pk>/cadence/", views.cadence_view, name="cadence"),
    path("households/<int:pk>/refer/", views.referral_create, name="referral_create"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/letter/", views.referral_letter, name="referral_letter"),
    path("referrals/<int:pk>/<str:action>/", views.referral_action, name="referral_action"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/targets/<int:pk>/", views.referral_target_edit, name="referral_target_edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
