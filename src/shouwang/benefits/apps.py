from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "shouwang.benefits"
    label = "benefits"
    verbose_name = "政策落实"
