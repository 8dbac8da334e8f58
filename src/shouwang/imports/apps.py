from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "shouwang.imports"
    label = "imports"
    verbose_name = "导入导出"
