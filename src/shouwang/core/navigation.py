"""The main menu. Later parts of the system register their entries here (label, url name, permission)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise  # usually gettext_lazy, resolved when the menu is drawn
    url_name: str
    permission: str | None = None
    persons: bool = False  # needs a role that may see persons


MENU: list[MenuEntry] = [
    MenuEntry(_("首页"), "home"),
    MenuEntry(_("户籍信息"), "registry:household_list", "registry.view_household", persons=True),
    MenuEntry(_("审计日志"), "audit:list", "audit.view_auditentry"),
]


def register(entry: MenuEntry, *, before: str | None = None) -> None:
    if any(e.url_name == entry.url_name for e in MENU):
        return
    index = next((i for i, e in enumerate(MENU) if e.url_name == before), len(MENU))
    MENU.insert(index, entry)


def menu_for(user, path: str) -> list[dict]:  # type: ignore[no-untyped-def]
    items = []
    for entry in MENU:
        if entry.permission and not user.has_perm(entry.permission):
            continue
        if entry.persons and not user.sees_persons:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
