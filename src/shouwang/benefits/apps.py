from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "shouwang.benefits"
    label = "benefits"
    verbose_name = "政策落实"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from shouwang.benefits import demo, selectors, views
        from shouwang.core import home
        from shouwang.core.demo import DEMO_STEPS
        from shouwang.core.navigation import MenuEntry, register
        from shouwang.registry.sections import PERSON_SECTIONS

        register(MenuEntry(_("政策落实"), "benefits:overview", "benefits.view_coverage"))
        if views.person_section not in PERSON_SECTIONS:
            PERSON_SECTIONS.append(views.person_section)
        if selectors.home_panel not in home.HOME_PANELS:
            home.HOME_PANELS.append(selectors.home_panel)
        if demo.demo_benefits not in DEMO_STEPS:
            DEMO_STEPS.append(demo.demo_benefits)
        from shouwang.benefits.importers import BenefitRecordImporter
        from shouwang.imports.importers import IMPORTERS

        IMPORTERS.setdefault(BenefitRecordImporter.kind, BenefitRecordImporter)
        from shouwang.benefits.facts import households_stale
        from shouwang.registry import services as registry_services

        if households_stale not in registry_services.HOUSEHOLD_CHANGE_LISTENERS:
            registry_services.HOUSEHOLD_CHANGE_LISTENERS.append(households_stale)
