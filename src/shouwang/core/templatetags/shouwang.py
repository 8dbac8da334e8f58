from __future__ import annotations

from django import template

from shouwang.core.masking import mask_certificate, mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_cert", mask_certificate)


@register.filter
def yesno_zh(value: object) -> str:
    from django.utils.translation import gettext as _

    return _("是") if value else _("否")


@register.inclusion_tag("core/_reveal.html", takes_context=True)
def reveal(context, url: str, masked: str, field: str):  # type: ignore[no-untyped-def]
    user = context["request"].user
    return {"url": url, "masked": masked, "field": field, "can_reveal": user.has_perm("registry.reveal_sensitive")}


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, []) if mapping else []


@register.filter
def field_groups(form):  # type: ignore[no-untyped-def]
    from shouwang.core.forms import grouped_fields

    return grouped_fields(form)


@register.filter
def add_class(html: str, css: str) -> str:
    """Add a CSS class to a rendered widget (used to mark a field with an error)."""
    from django.utils.safestring import mark_safe

    return mark_safe(str(html).replace('class="', f'class="{css} ', 1))  # noqa: S308 - widget HTML from Django


@register.filter
def disability_label(disability) -> str:  # type: ignore[no-untyped-def]
    """'肢体二级' in Chinese, 'Physical, Grade 2' in English."""
    from django.utils.translation import gettext as _

    return _("%(category)s%(grade)s") % {
        "category": disability.get_category_display(), "grade": disability.get_grade_display(),
    }
