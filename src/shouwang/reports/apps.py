from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shouwang.reports"
    label = "reports"
    verbose_name = "统计指标"
