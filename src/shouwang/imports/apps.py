from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "shouwang.imports"
    label = "imports"
    verbose_name = "导入导出"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from shouwang.core.navigation import MenuEntry, register

        register(MenuEntry(_("导入"), "imports:job_list", "imports.import_registry", persons=True), before="audit:list")
