from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "shouwang.visits"
    label = "visits"
    verbose_name = "跟踪访视"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from shouwang.core import demo, home, navigation
        from shouwang.core.navigation import MenuEntry
        from shouwang.registry import sections
        from shouwang.visits import demo as visits_demo
        from shouwang.visits import hooks

        navigation.register(MenuEntry(_("访视"), "visits:list", "visits.view_visit", persons=True),
                            before="audit:list")
        navigation.register(MenuEntry(_("转介"), "visits:referral_list", "visits.view_referral"),
                            before="audit:list")
        navigation.register(MenuEntry(_("通知"), "visits:notifications"), before="audit:list")
        navigation.register(MenuEntry(_("访视设置"), "visits:settings", "visits.change_parameters"),
                            before="audit:list")
        for registry, hook in (
            (home.HOME_PANELS, hooks.notification_panel),
            (home.HOME_PANELS, hooks.referral_panel),
            (sections.HOUSEHOLD_SECTIONS, hooks.household_section),
            (demo.DEMO_STEPS, visits_demo.demo_visits),
        ):
            if hook not in registry:
                registry.append(hook)
        # Overdue visits must stand out: the visit panel comes first after the area summary.
        if hooks.visit_panel not in home.HOME_PANELS:
            home.HOME_PANELS.insert(0, hooks.visit_panel)
