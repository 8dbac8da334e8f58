from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "shouwang.monitoring"
    label = "monitoring"
    verbose_name = "防止返贫动态监测"
