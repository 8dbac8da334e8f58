"""Shared fixtures: Pengshui's real areas and named personas with real roles.

Personas: a county administrator, county staff, a township officer of 郁山镇, a village specialist of
郁山镇铜锣村, a township officer of another township (高谷镇, fixtures named baojia_*) who must see nothing of 郁山镇, and a leader.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest

from shouwang.accounts.models import Role, User
from shouwang.areas.models import Area
from shouwang.areas.services import areas_load_county
from shouwang.registry import services
from shouwang.registry.identity import make_id_number

COUNTY = "500243000000"
YUSHAN = "500243102000"  # 郁山镇
TONGLUO = "500243102200"  # 郁山镇铜锣村
BAOJIA = "500243103000"  # 高谷镇, the "other township" (named baojia in fixtures; 保家镇 is 500243101000)
_sequence = itertools.count(11)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Personas are created for nearly every test; the production hasher would cost ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def chinese_by_default() -> Any:
    """Each test starts in the default language: a request that switched to English must not leak."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Checkouts on one machine share the PostgreSQL cluster: each gets its own test database."""
    from django.conf import settings

    suffix = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]
    for config in settings.DATABASES.values():
        if config["ENGINE"] == "django.db.backends.postgresql":
            config.setdefault("TEST", {})["NAME"] = f"test_{config['NAME']}_{suffix}"


@pytest.fixture
def pengshui(db: Any) -> Area:
    return areas_load_county(county_code="500243").county


def _user(username: str, role: str, area: str, **extra: Any) -> User:
    user = User(username=username, role=role, area_id=area, full_name=username, **extra)
    user.set_password("pw-" + username)
    user.save()
    return user


@pytest.fixture
def county_admin(pengshui: Area) -> User:
    return _user("admin", Role.COUNTY_ADMIN, COUNTY)


@pytest.fixture
def county_staff(pengshui: Area) -> User:
    return _user("staff", Role.COUNTY_STAFF, COUNTY)


@pytest.fixture
def yushan_officer(pengshui: Area) -> User:
    return _user("yushan", Role.TOWNSHIP_OFFICER, YUSHAN)


@pytest.fixture
def tongluo_specialist(pengshui: Area) -> User:
    return _user("tongluo", Role.VILLAGE_SPECIALIST, TONGLUO)


@pytest.fixture
def baojia_officer(pengshui: Area) -> User:
    return _user("baojia", Role.TOWNSHIP_OFFICER, BAOJIA)


@pytest.fixture
def leader(pengshui: Area) -> User:
    return _user("leader", Role.LEADER, COUNTY)


@pytest.fixture
def liaison(pengshui: Area) -> User:
    return _user("liaison", Role.LIAISON, COUNTY, department="civil")


def new_id(birth: datetime.date = datetime.date(1970, 5, 17), birthplace: str = "500243", male: bool = True) -> str:
    n = next(_sequence) % 500
    return make_id_number(birthplace, birth, n * 2 + (1 if male else 0))


def make_household(*, user: Any = None, village: str = TONGLUO, number: str | None = None,
                   members: list[dict[str, Any]] | None = None, **fields: Any):  # type: ignore[no-untyped-def]
    """A household with members; each member dict may carry `disability={category, grade}` and `birth`."""
    household = services.household_create(
        user=user, number=number or f"H{next(_sequence):06d}", village=village, **fields
    )
    for i, spec in enumerate(members or [{"name": "户主", "relation": "head"}]):
        spec = dict(spec)
        birth = spec.pop("birth", datetime.date(1970, 5, 17))
        id_number = spec.pop("id_number", None) or new_id(birth)
        disability = spec.pop("disability", None)
        if disability:
            disability = {"certificate_number": f"{id_number}{disability['category']}{disability['grade']}",
                          **disability}
        spec.setdefault("name", f"成员{i}")
        spec.setdefault("relation", "head" if i == 0 else "other")
        services.person_create(user=user, household=household, id_number=id_number, disability=disability, **spec)
    household.refresh_from_db()
    return household


@pytest.fixture
def tongluo_household(pengshui: Area):  # type: ignore[no-untyped-def]
    return make_household(number="TL0001", members=[
        {"name": "张大山", "relation": "head", "disability": {"category": 4, "grade": 2}},
        {"name": "李秀英", "relation": "spouse"},
    ], phone="13812345678")


@pytest.fixture
def baojia_household(pengshui: Area):  # type: ignore[no-untyped-def]
    return make_household(number="BJ0001", village="500243103200", members=[
        {"name": "王小川", "relation": "head", "disability": {"category": 1, "grade": 3}},
    ])
