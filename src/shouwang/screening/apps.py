from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "shouwang.screening"
    label = "screening"
    verbose_name = _("风险筛查")

    def ready(self) -> None:
        from shouwang.core import demo, home, navigation
        from shouwang.registry import sections, services
        from shouwang.screening import pages
        from shouwang.screening import services as screening_services

        if screening_services.households_rescreen not in services.HOUSEHOLD_CHANGE_LISTENERS:
            services.HOUSEHOLD_CHANGE_LISTENERS.append(screening_services.households_rescreen)
        if pages.household_section not in sections.HOUSEHOLD_SECTIONS:
            sections.HOUSEHOLD_SECTIONS.append(pages.household_section)
        if pages.home_panel not in home.HOME_PANELS:
            home.HOME_PANELS.append(pages.home_panel)
        if screening_services.demo_step not in demo.DEMO_STEPS:
            demo.DEMO_STEPS.append(screening_services.demo_step)
        navigation.register(
            navigation.MenuEntry(_("风险筛查"), "screening:summary", "registry.view_household", persons=True),
            before="audit:list",
        )
