"""{% monitored_term %}: the name of the monitored households in force today (监测对象 / 防止返贫致贫对象)."""

from __future__ import annotations

from typing import Any

from django import template

from shouwang.monitoring.parameters import monitored_term

register = template.Library()


@register.simple_tag(takes_context=True, name="monitored_term")
def monitored_term_tag(context: Any) -> str:
    request = context.get("request")
    return monitored_term(getattr(request, "user", None))
