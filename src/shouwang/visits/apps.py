from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "shouwang.visits"
    label = "visits"
    verbose_name = "跟踪访视"
