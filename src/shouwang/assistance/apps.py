from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "shouwang.assistance"
    label = "assistance"
    verbose_name = "帮扶台账"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from shouwang.assistance import demo, integration, services
        from shouwang.core import demo as core_demo
        from shouwang.core import home, navigation
        from shouwang.registry import sections
        from shouwang.registry import services as registry_services

        for label, url_name in (
            (_("帮扶台账"), "assistance:ledger_list"),
            (_("问题清单"), "assistance:problems"),
        ):
            entry = navigation.MenuEntry(label, url_name, "registry.view_household", persons=True)  # type: ignore[arg-type]
            navigation.register(entry, before="audit:list")
        if integration.home_panel not in home.HOME_PANELS:
            home.HOME_PANELS.append(integration.home_panel)
        if integration.household_section not in sections.HOUSEHOLD_SECTIONS:
            sections.HOUSEHOLD_SECTIONS.append(integration.household_section)
        # After screening's own listener (screening is earlier in INSTALLED_APPS) has refreshed the hits.
        if services.problems_on_household_change not in registry_services.HOUSEHOLD_CHANGE_LISTENERS:
            registry_services.HOUSEHOLD_CHANGE_LISTENERS.append(services.problems_on_household_change)
        if demo.demo_assistance not in core_demo.DEMO_STEPS:
            core_demo.DEMO_STEPS.append(demo.demo_assistance)
