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

        navigation.register(
            navigation.MenuEntry(
                _("帮扶台账"), "assistance:ledger_list", "registry.view_household", persons=True
            ),
            before="audit:list",
        )
        navigation.register(
            navigation.MenuEntry(
                _("问题清单"), "assistance:problems", "registry.view_household", persons=True
            ),
            before="audit:list",
        )
        home.HOME_PANELS.append(integration.home_panel)
        sections.HOUSEHOLD_SECTIONS.append(integration.household_section)
        # After screening's own listener (screening is earlier in INSTALLED_APPS) has refreshed the hits.
        registry_services.HOUSEHOLD_CHANGE_LISTENERS.append(services.problems_on_household_change)
        core_demo.DEMO_STEPS.append(demo.demo_assistance)
