from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.IntegerChoices):
    COUNTY = 1, _("县")
    TOWNSHIP = 2, _("乡镇（街道）")
    VILLAGE = 3, _("村（社区）")


class AreaQuerySet(models.QuerySet["Area"]):
    def townships(self, county_code: str) -> AreaQuerySet:
        return self.filter(level=AreaLevel.TOWNSHIP, county_code=county_code)

    def villages(self) -> AreaQuerySet:
        return self.filter(level=AreaLevel.VILLAGE)

    def within(self, area: Area) -> AreaQuerySet:
        """Areas at or below `area` (itself included: a township row has no township_code of its own)."""
        return self.filter(models.Q(code=area.code) | models.Q(**{area.scope_field: area.code}))


class Area(models.Model):
    """A county, township/street or village/community, keyed by its 12-digit statistical code.

    County codes are stored padded to 12 digits (500243 -> 500243000000) so every area shares one key
    shape; `county_code` and `township_code` are kept on each row so a scope is an equality filter.
    """

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("级别"), choices=AreaLevel.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    county_code = models.CharField(_("县级代码"), max_length=12, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=12, blank=True, db_index=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_field(self) -> str:
        """The column that equals this area's code for everything inside it."""
        return {AreaLevel.COUNTY: "county_code", AreaLevel.TOWNSHIP: "township_code"}.get(
            AreaLevel(self.level), "code"
        )

    @property
    def short_code(self) -> str:
        return self.code[:6] if self.level == AreaLevel.COUNTY else self.code

    def contains(self, other: Area) -> bool:
        if self.level == AreaLevel.COUNTY:
            return other.county_code == self.code
        if self.level == AreaLevel.TOWNSHIP:
            return other.code == self.code or other.township_code == self.code
        return other.code == self.code


def county_key(code: str) -> str:
    """'500243' or '500243000000' -> '500243000000'."""
    code = code.strip()
    if len(code) == 6 and code.isdigit():
        return code + "000000"
    if len(code) == 12 and code.isdigit():
        return code
    raise ValueError(f"not a county code: {code!r}")
