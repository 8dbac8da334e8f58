from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "shouwang.monitoring"
    label = "monitoring"
    verbose_name = "防止返贫动态监测"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from shouwang.core.demo import DEMO_STEPS
        from shouwang.core.home import HOME_PANELS
        from shouwang.core.navigation import MenuEntry, register
        from shouwang.monitoring.demo import demo_monitoring
        from shouwang.monitoring.sections import home_panel, household_section, menu_label
        from shouwang.registry.sections import HOUSEHOLD_SECTIONS

        register(
            MenuEntry(_("监测工作台"), "monitoring:queue", "monitoring.view_monitoring", persons=True),  # type: ignore[arg-type]
            before="audit:list",
        )
        term_entry = MenuEntry(
            menu_label(),
            "monitoring:monitored_list",
            "monitoring.view_monitoring",  # type: ignore[arg-type]
            persons=True,
        )
        register(term_entry, before="audit:list")
        if household_section not in HOUSEHOLD_SECTIONS:
            HOUSEHOLD_SECTIONS.append(household_section)
        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)
        if demo_monitoring not in DEMO_STEPS:
            DEMO_STEPS.append(demo_monitoring)
