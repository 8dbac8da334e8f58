"""Demo county: a realistic synthetic registry on a county's real villages, fast enough for a million persons.

1. plan: every village gets households (weighted, at least one each), numbered after those already there;
   ids of every table are taken in advance from the current maxima;
2. draw each household whole (members, disabilities, incomes, helpers, events) from one seeded generator,
   so the same seed gives the same county;
3. write chunk by chunk with `executemany` of plain tuples: no model instances, no per-row services, no
   per-row audit. The denormalised columns are computed here exactly as the services compute them
   (`compute_income`; living members for the counts), which tests/registry/test_demo_county.py checks;
4. one audit entry for the run (`registry.demo.generated`).

Shares follow the brief of issue 2 and the profile of a rural county's disabled households: categories
physical 45 %, visual 10 %, hearing 10 %, speech 2 %, intellectual 10 %, psychiatric 10 %, multiple 13 %;
grades 1-4 at 10/25/30/35 %; about 10 % of households with two or more disabled members; 低保 about 20 %,
特困 about 5 %; 脱贫户 about 40 % (lifted 2014-2020); per-capita income below 7,000 yuan for about 5 % of
households and between 7,000 and 9,000 for about 10 % (the monitoring line is a yearly parameter of about
7,000-8,000 yuan), with a few sharp drops between the two recorded years.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import itertools
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log
from shouwang.registry.choices import (
    AssistanceStatus,
    CertificateStatus,
    CheckState,
    Employment,
    EventKind,
    HelperKind,
    LabourCapacity,
    LivingStatus,
    PovertyStatus,
    Relation,
    Schooling,
)
from shouwang.registry.identity import make_id_number
from shouwang.registry.models import Disability, Helper, Household, HouseholdEvent, IncomeRecord, Person
from shouwang.registry.services import compute_income

CHUNK = 5000  # households per executemany round: bounded memory, few round trips
BULK_FROM = 20000  # households from which indexes are rebuilt after the load rather than kept up to date


def plain(choices: type[models.Choices]) -> SimpleNamespace:
    """The stored values of a choices class as plain attributes: enum member lookups are slow in hot loops."""
    return SimpleNamespace(**{member.name: member.value for member in choices})


EVENT = plain(EventKind)
REL, LIVING, LABOUR, SCHOOL, JOB = plain(Relation), plain(LivingStatus), plain(LabourCapacity), plain(Schooling), \
    plain(Employment)
ASSIST, POVERTY, CHECK, CERT, HELPER = plain(AssistanceStatus), plain(PovertyStatus), plain(CheckState), \
    plain(CertificateStatus), plain(HelperKind)

# --- shares ---------------------------------------------------------------------------------------------


class Weighted:
    """Values with weights; `draw(u)` maps a uniform number in [0, 1) to a value (one bisect, no allocation)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in pairs]
        total, running = sum(w for _, w in pairs), 0.0
        self.cumulative = []
        for _, weight in pairs:
            running += weight / total
            self.cumulative.append(running)
        self.cumulative[-1] = 2.0  # rounding can never push a draw past the last value

    def draw(self, u: float) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, u)]

    def mean(self) -> float:
        previous, total = 0.0, 0.0
        for value, cumulative in zip(self.values, [*self.cumulative[:-1], 1.0], strict=True):
            total += value * (cumulative - previous)
            previous = cumulative
        return total


HOUSEHOLD_SIZE = Weighted([(1, 14), (2, 25), (3, 20), (4, 18), (5, 12), (6, 8), (7, 3)])
HEAD_AGE = Weighted([((22, 35), 7), ((35, 45), 10), ((45, 60), 33), ((60, 70), 25), ((70, 80), 18), ((80, 92), 7)])
CATEGORY = Weighted([(4, 45), (1, 10), (2, 10), (3, 2), (5, 10), (6, 10), (7, 13)])
GRADE = Weighted([(1, 10), (2, 25), (3, 30), (4, 35)])
LIFTED_YEAR = Weighted([(2014, 8), (2015, 12), (2016, 16), (2017, 18), (2018, 20), (2019, 18), (2020, 8)])
EMPLOYMENT = Weighted([
    (JOB.MIGRANT_WORK, 33), (JOB.LOCAL_FARMING, 35), (JOB.LOCAL_WORK, 10),
    (JOB.FLEXIBLE, 8), (JOB.PUBLIC_WELFARE_POST, 4), (JOB.SELF_EMPLOYED, 3),
    (JOB.NONE, 7),
])
EVENT_KIND = Weighted([(EVENT.ILLNESS, 60), (EVENT.DISASTER, 25), (EVENT.ACCIDENT, 15)])
SURNAMES = Weighted([
    ("冉", 6), ("向", 5), ("田", 5), ("王", 5), ("张", 5), ("李", 5), ("刘", 4), ("陈", 4), ("杨", 4),
    ("何", 4), ("罗", 3), ("谢", 3), ("任", 3), ("侯", 3), ("龚", 3), ("蒋", 2), ("彭", 2), ("吴", 2),
    ("周", 2), ("黄", 2), ("赵", 2), ("徐", 2), ("唐", 2), ("汪", 2), ("文", 2), ("胡", 2), ("石", 2),
    ("郑", 1), ("朱", 1), ("邓", 1), ("庞", 1), ("钱", 1), ("崔", 1), ("姚", 1), ("熊", 1), ("秦", 1),
    ("袁", 1), ("余", 1), ("曾", 1), ("蔡", 1), ("付", 1), ("谭", 1), ("万", 1), ("卢", 1), ("高", 1),
])
GIVEN = {  # (male, born before 1980) -> characters of given names typical of the generation
    (True, True): "德明华国忠成福贵昌金光富才云山海林兴朝友元祥洪学永清长文全发正中仁义平安",
    (False, True): "秀英兰芳桂珍玉梅素琼凤翠群会淑碧春菊莲香芬蓉仙华容焕翠慧敏",
    (True, False): "浩宇俊杰涛鹏磊军强勇伟斌超波飞刚宏辉鑫林洋晨昊博轩睿子梓航家豪明",
    (False, False): "丽娟静敏燕婷雪霞琳欣怡悦雨佳萱涵思梦瑶琪倩媛颖玲艳红婧诗彤",
}
EVENT_TEXT = {
    EVENT.ILLNESS: ("突发疾病住院治疗", "确诊慢性病需长期服药", "脑梗住院，医疗支出较大", "手术治疗，暂时无法务工"),
    EVENT.DISASTER: ("暴雨导致房屋受损", "山体滑坡损毁农作物", "冰雹灾害致农作物减产", "洪水冲毁部分耕地"),
    EVENT.ACCIDENT: ("务工途中发生交通事故", "务农时摔伤住院", "家中失火损失财物", "意外受伤暂时丧失劳动能力"),
}
PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                  "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "187", "188", "189",
                  "191", "199")
# Birthplace codes older residents still carry, by county: before Pengshui moved to Chongqing (1997) its
# residents got Sichuan codes, 512327 (涪陵地区彭水) and 513525 (黔江地区彭水).
OLD_BIRTHPLACE_CODES = {"500243": ("512327", "512327", "512327", "513525", "513525")}
OLD_CODES_BEFORE = 1985  # born before: 45 % carry an old code
TRANSFER_SHARE = {AssistanceStatus.TEKUN.value: 0.8, AssistanceStatus.DIBAO.value: 0.5}  # of net income
ISSUED_FROM = datetime.date(2008, 1, 1).toordinal()  # second-generation certificates

# Member roles that fill a household after the head and spouse, by the head's age group.
FILL_ORDER = {
    "young": (REL.SON, REL.DAUGHTER, REL.PARENT, REL.PARENT, REL.SON, REL.SIBLING),
    "middle": (REL.SON, REL.PARENT, REL.DAUGHTER, REL.CHILD_IN_LAW, REL.GRANDCHILD,
               REL.GRANDCHILD),
    "old": (REL.SON, REL.CHILD_IN_LAW, REL.GRANDCHILD, REL.GRANDCHILD, REL.DAUGHTER,
            REL.GRANDCHILD),
}


def expected_household_size() -> float:
    """Mean members (living or not) per household, so a caller can ask for a number of persons."""
    return HOUSEHOLD_SIZE.mean()


# --- drawn records ----------------------------------------------------------------------------------------


@dataclass
class Member:
    """A member while being drawn; `pid`, `name` and `grade` (0: not disabled) are set when written."""

    relation: str
    male: bool
    age: int
    disabled: bool = False
    alive: bool = True
    pid: int = 0
    name: str = ""
    grade: int = 0


@dataclass(frozen=True)
class DemoResult:
    households: int
    persons: int
    disabled: int
    income_records: int
    helpers: int
    events: int
    seconds: float


class Rows:
    """One table's pending rows and the statement that writes them."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        quote = connection.ops.quote_name
        self.model = model
        self.table = model._meta.db_table
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from model meta
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.copy_sql = f"COPY {quote(self.table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.ids = itertools.count((model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1)

    def flush(self, cursor: Any) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows.clear()


def plain_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's indexes that enforce nothing (unique ones are kept)."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL", [table])
    elif connection.vendor == "postgresql":
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
    else:
        return []
    return [(name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper()]


@contextlib.contextmanager
def indexes_suspended(cursor: Any, tables: Sequence[str]) -> Iterator[None]:
    """Drop plain indexes for a bulk load and build them again after (inside the caller's transaction):
    building an index once over all rows is several times cheaper than updating it row by row."""
    suspended = [index for table in tables for index in plain_indexes(cursor, table)]
    for name, _ in suspended:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    if suspended and connection.vendor == "postgresql":  # no CREATE INDEX while foreign key checks are pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for _, sql in suspended:
        cursor.execute(sql)


PERSON_COLUMNS = (
    "id", "household_id", "name", "id_number", "sex", "birth_date", "relation", "living_status", "status_date",
    "labour_capacity", "schooling", "employment", "phone", "medical_insurance", "pension_insurance",
    "family_doctor", "needs_rehabilitation", "needs_assistive_device", "needs_accessibility",
    "needs_custodial_care", "needs_long_term_care", "training_need", "training_willing", "training_able",
    "needs_employment", "created_at", "updated_at",
)
HOUSEHOLD_COLUMNS = (
    "id", "number", "county_id", "township_id", "village_id", "address", "phone", "poverty_status",
    "lifted_year", "relocated", "assistance_status", "food_clothing", "housing_safety", "housing_checked_on",
    "water_safety", "water_checked_on", "head_name", "member_count", "disabled_count", "severe_count",
    "created_at", "updated_at",
)
DISABILITY_COLUMNS = ("id", "person_id", "certificate_number", "category", "grade", "status", "valid_until",
                      "issued_on")
COMPUTED_FROM = ("wage_income", "business_income", "property_income", "transfer_income", "business_cost")
INCOME_COLUMNS = (
    "id", "household_id", "year", "period_start", "period_end", "wage_income", "business_income",
    "property_income", "transfer_income", "business_cost", "insurance_claims", "medical_spending",
    "education_spending", "member_count", "net_income", "per_capita_income", "created_at", "updated_at",
)
HELPER_COLUMNS = ("id", "household_id", "kind", "name", "phone")
EVENT_COLUMNS = ("id", "household_id", "person_id", "kind", "occurred_on", "description", "created_at")


# --- the generator ----------------------------------------------------------------------------------------


class DemoCounty:
    """Draws and writes a demo county. Use `demo_county_generate()`; this class keeps the drawing state."""

    def __init__(self, county: Area, seed: int, today: datetime.date) -> None:
        self.county, self.today = county, today
        self.rng = random.Random(seed)
        self.u = self.rng.random
        self.today_ord = today.toordinal()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.id_counters: dict[tuple[str, int, bool], int] = {}
        self.taken_ids: set[str] = set()
        self.birthplace = county.short_code
        self.old_birthplaces = OLD_BIRTHPLACE_CODES.get(county.short_code, ())
        self.village_staff: dict[str, dict[str, tuple[str, str]]] = {}
        self.township_helpers: dict[str, list[tuple[str, str]]] = {}
        self.township_names: dict[str, str] = {}
        self.households = Rows(Household, HOUSEHOLD_COLUMNS)
        self.persons = Rows(Person, PERSON_COLUMNS)
        self.disabilities = Rows(Disability, DISABILITY_COLUMNS)
        self.incomes = Rows(IncomeRecord, INCOME_COLUMNS)
        self.helpers = Rows(Helper, HELPER_COLUMNS)
        self.events = Rows(HouseholdEvent, EVENT_COLUMNS)
        # parents before children (foreign keys are checked at commit anyway)
        self.tables = [self.households, self.persons, self.disabilities, self.incomes, self.helpers, self.events]
        if Person.objects.exists():  # a county that already has people: never reuse their ID numbers
            self.taken_ids = set(Person.objects.values_list("id_number", flat=True))

    # 1. plan ----------------------------------------------------------------------------------------------

    def plan(self, households: int) -> list[tuple[Area, int]]:
        """(village, household sequence in the village) for every household, villages in code order."""
        villages = list(Area.objects.filter(county_code=self.county.code, level=AreaLevel.VILLAGE).order_by("code"))
        self.township_names = dict(
            Area.objects.filter(county_code=self.county.code, level=AreaLevel.TOWNSHIP).values_list("code", "name")
        )
        if not villages:
            raise ValueError(f"{self.county.name} has no villages: run `shouwang init` first")
        weights = [0.3 + self.u() * 1.7 for _ in villages]  # a village is 0.3x to 2x the average
        counts = [1 if households >= len(villages) else 0 for _ in villages]
        picker = Weighted(list(zip(range(len(villages)), weights, strict=True)))
        for _ in range(households - sum(counts)):
            counts[picker.draw(self.u())] += 1
        start = self._next_numbers(villages)
        return [(v, start[v.code] + i) for v, n in zip(villages, counts, strict=True) for i in range(n)]

    def _next_numbers(self, villages: list[Area]) -> dict[str, int]:
        """Demo household numbers are village code + 5 digits; continue after the ones already present."""
        start = {v.code: 1 for v in villages}
        existing = Household.objects.filter(county_id=self.county.code).values_list("village_id", "number")
        for village, number in existing:
            tail = number[12:]
            if number[:12] == village and tail.isdigit():
                start[village] = max(start.get(village, 1), int(tail) + 1)
        return start

    # 2. draw ----------------------------------------------------------------------------------------------

    def household(self, village: Area, sequence: int) -> None:
        u = self.u
        hid = next(self.households.ids)
        members = self._members()
        assistance = self._assistance(members)
        surname = ""
        for member in members:
            self._person(hid, member, surname)
            surname = surname or member.name[0]
        living = [m for m in members if m.alive]
        lifted = u() < 0.40
        housing, housing_on = self._check(0.015)
        water, water_on = self._check(0.02)
        self.households.rows.append((
            hid, f"{village.code}{sequence:05d}", self.county.code, village.township_code, village.code,
            f"{self.township_names[village.township_code]}{village.name}{1 + int(u() * 12)}组{1 + int(u() * 80)}号",
            self._phone(), POVERTY.LIFTED if lifted else POVERTY.GENERAL,
            LIFTED_YEAR.draw(u()) if lifted else None, lifted and u() < 0.12, assistance,
            CHECK.UNSAFE if u() < 0.004 else CHECK.SAFE, housing, housing_on, water, water_on,
            members[0].name, len(living), sum(1 for m in living if m.grade), sum(1 for m in living if 0 < m.grade <= 2),
            self.now, self.now,
        ))
        self._incomes(hid, living, assistance)
        self._helpers(hid, village, lifted or assistance != ASSIST.NONE)
        if u() < 0.04:
            self._event(hid, living)

    def _members(self) -> list[Member]:
        """Head, spouse, then children, parents, in-laws, grandchildren as the head's age suggests."""
        u = self.u
        size = HOUSEHOLD_SIZE.draw(u())
        low, high = HEAD_AGE.draw(u() if size > 1 else 0.3 + u() * 0.7)  # people living alone are older
        head = Member(REL.HEAD, u() < 0.65, low + int(u() * (high - low)))
        members = [head]
        group = "young" if head.age < 45 else "middle" if head.age < 60 else "old"
        if size > 1 and u() < (0.85 if group != "old" else 0.65):
            members.append(Member(REL.SPOUSE, not head.male, max(20, head.age - 6 + int(u() * 10))))
        son_age = None
        for relation in FILL_ORDER[group]:
            if len(members) >= size:
                break
            member = self._relative(relation, head, son_age)
            son_age = member.age if relation == REL.SON and son_age is None else son_age
            members.append(member)
        self._disable(members)
        if len(members) > 1 and u() < 0.03:
            self._leave(members)
        return members

    def _relative(self, relation: str, head: Member, son_age: int | None) -> Member:
        u = self.u
        if relation in (REL.SON, REL.DAUGHTER):
            return Member(relation, relation == REL.SON, max(0, head.age - 20 - int(u() * 14)))
        if relation == REL.PARENT:
            return Member(relation, u() < 0.4, min(96, head.age + 20 + int(u() * 12)))
        if relation == REL.CHILD_IN_LAW:  # mostly a daughter-in-law, sometimes a son-in-law (上门女婿)
            return Member(relation, u() < 0.15, max(18, (son_age or head.age - 28) - 3 + int(u() * 6)))
        if relation == REL.GRANDCHILD:
            parent_age = son_age if son_age is not None else head.age - 28
            return Member(relation, u() < 0.52, max(0, min(parent_age - 20, int(u() * 18))))
        return Member(relation, u() < 0.5, max(16, head.age - 10 + int(u() * 20)))

    def _disable(self, members: list[Member]) -> None:
        """At least one disabled member (the head more often than not); about 10 % of households two or more."""
        u = self.u
        first = members[0] if len(members) == 1 or u() < 0.55 else members[1 + int(u() * (len(members) - 1))]
        first.disabled = True
        if len(members) > 1 and u() < 0.118:
            others = [m for m in members if not m.disabled]
            others[int(u() * len(others))].disabled = True
            if len(others) > 2 and u() < 0.1:
                rest = [m for m in members if not m.disabled]
                rest[int(u() * len(rest))].disabled = True

    def _leave(self, members: list[Member]) -> None:
        """A few households keep a member who died (mostly the old) or moved the registration out."""
        candidates = [m for m in members[1:] if not m.disabled]
        if candidates:
            candidates[int(self.u() * len(candidates))].alive = False

    def _assistance(self, members: list[Member]) -> str:
        """特困 goes to people with no one to support them (small, old households); 低保 about one in five."""
        u = self.u()
        alone = len(members) <= 2 and members[0].age >= 55
        if u < (0.16 if alone else 0.01):
            return ASSIST.TEKUN
        if u < (0.16 if alone else 0.01) + 0.20:
            return ASSIST.DIBAO
        return ASSIST.NONE

    def _person(self, hid: int, m: Member, surname: str) -> None:
        """One person row (and the certificate of a disabled one); children carry the head's surname."""
        u = self.u
        m.pid = next(self.persons.ids)
        birth_date = datetime.date.fromordinal(self.today_ord - m.age * 365 - int(u() * 365) - 1)
        id_number = self._id_number(birth_date, m.male)
        married_in = m.relation in (REL.SPOUSE, REL.CHILD_IN_LAW, REL.PARENT)
        m.name = self._name(m.male, birth_date.year, None if married_in else surname)
        status, status_date = LIVING.ALIVE, None
        if not m.alive:
            status = LIVING.DECEASED if m.age >= 60 or u() < 0.2 else LIVING.MOVED_OUT
            status_date = self._day_within(1000)
        m.grade = GRADE.draw(u()) if m.disabled else 0
        labour = self._labour(m.age, m.grade)
        working = labour in (LABOUR.NORMAL, LABOUR.WEAK) and 16 <= m.age < 65
        severe = 0 < m.grade <= 2
        need = m.disabled and working and u() < 0.25
        self.persons.rows.append((
            m.pid, hid, m.name, id_number, "M" if m.male else "F", birth_date.isoformat(), m.relation, status,
            status_date, labour, self._schooling(m.age, m.disabled),
            EMPLOYMENT.draw(u()) if working else JOB.NONE,
            self._phone() if m.age >= 18 and u() < 0.6 else "",
            u() >= 0.02,  # basic medical insurance: about 2 % missing
            m.age >= 16 and u() < 0.85,
            u() < (0.7 if m.disabled else 0.5 if m.age >= 60 else 0.15),
            m.disabled and u() < 0.4, m.disabled and u() < 0.2, severe and u() < 0.15, severe and u() < 0.08,
            (m.grade == 1 and u() < 0.5) or (m.grade == 2 and u() < 0.2),
            need, need and u() < 0.8, need and u() < 0.7, m.disabled and working and u() < 0.15,
            self.now, self.now,
        ))
        if m.disabled:
            self._disability(m.pid, id_number, birth_date, m.grade)

    def _labour(self, age: int, grade: int) -> str:
        u = self.u()
        if age < 16 or age >= 65:
            return LABOUR.NONE
        if grade in (1, 2):
            return LABOUR.LOST if u < 0.8 else LABOUR.WEAK
        if grade:
            return LABOUR.WEAK if u < 0.5 else LABOUR.NORMAL if u < 0.85 else LABOUR.LOST
        if age >= 60:
            return LABOUR.WEAK if u < 0.6 else LABOUR.NORMAL
        return LABOUR.NORMAL if u < 0.85 else LABOUR.WEAK

    def _schooling(self, age: int, disabled: bool) -> str:
        u = self.u()
        if age < 3 or age > 24:
            return SCHOOL.NOT_IN_SCHOOL
        if age < 6:
            return SCHOOL.PRESCHOOL if u < 0.85 else SCHOOL.NOT_IN_SCHOOL
        if age < 16:  # compulsory education: a few drop out, disabled children more often
            return SCHOOL.DROPOUT if u < (0.05 if disabled else 0.01) else SCHOOL.COMPULSORY
        if age < 19:
            return SCHOOL.HIGH_SCHOOL if u < 0.6 else SCHOOL.NOT_IN_SCHOOL
        if age < 23:
            return SCHOOL.COLLEGE if u < 0.3 else SCHOOL.GRADUATE if u < 0.35 else SCHOOL.NOT_IN_SCHOOL
        return SCHOOL.NOT_IN_SCHOOL

    def _id_number(self, birth: datetime.date, male: bool) -> str:
        """Unique per (birthplace, birth date, sex): the sequence runs through the odd (men) or even codes."""
        place = self.birthplace
        if self.old_birthplaces and birth.year < OLD_CODES_BEFORE and self.u() < 0.45:
            place = self.old_birthplaces[int(self.u() * len(self.old_birthplaces))]
        key = (place, birth.toordinal(), male)
        while True:
            count = self.id_counters.get(key, 0)
            if count >= 500:  # every sequence of that day used: take the next day
                birth += datetime.timedelta(days=1)
                key = (place, birth.toordinal(), male)
                continue
            self.id_counters[key] = count + 1
            number = make_id_number(place, birth, (key[1] * 7 + count) % 500 * 2 + male)
            if number not in self.taken_ids:
                return number

    def _name(self, male: bool, born: int, surname: str | None) -> str:
        u = self.u
        chars = GIVEN[(male, born < 1980)]
        given = chars[int(u() * len(chars))]
        if u() < 0.75:
            given += chars[int(u() * len(chars))]
        return (surname or SURNAMES.draw(u())) + given

    def _phone(self) -> str:
        return f"{PHONE_PREFIXES[int(self.u() * len(PHONE_PREFIXES))]}{int(self.u() * 1e8):08d}"

    def _day_within(self, days: int) -> str:
        return datetime.date.fromordinal(self.today_ord - 1 - int(self.u() * days)).isoformat()

    def _check(self, unsafe: float) -> tuple[str, str | None]:
        u = self.u()
        if u < unsafe:
            return CHECK.UNSAFE, self._day_within(365)
        if u < unsafe + 0.03:
            return CHECK.UNCHECKED, None
        return CHECK.SAFE, self._day_within(365)

    def _disability(self, pid: int, id_number: str, birth: datetime.date, grade: int) -> None:
        """A certificate (ID + category + grade), valid ten years; some expired, a few cancelled."""
        u = self.u
        category = CATEGORY.draw(u())
        first_day = max(birth.toordinal() + 200, ISSUED_FROM)
        state = u()
        if state < 0.92:
            status, issued = CERT.VALID, self.today_ord - int(u() * 3600)
        else:
            status = CERT.EXPIRED if state < 0.98 else CERT.CANCELLED
            issued = self.today_ord - 3660 - int(u() * 1500)
        issued = min(max(issued, first_day), self.today_ord)
        valid_until = issued + 3652
        if status == CERT.EXPIRED:
            valid_until = min(valid_until, self.today_ord - 1 - int(u() * 700))
        rows = self.disabilities
        rows.rows.append((
            next(rows.ids), pid, f"{id_number}{category}{grade}", category, grade, status,
            datetime.date.fromordinal(valid_until).isoformat(), datetime.date.fromordinal(issued).isoformat(),
        ))

    def _incomes(self, hid: int, living: list[Member], assistance: str) -> None:
        """Two years of income; 人均纯收入 below ~7,000 for ~5 %, 7,000-9,000 for ~10 %, a few sharp drops."""
        u = self.u
        n = len(living)
        poor = assistance != ASSIST.NONE
        band = u()
        if band < (0.10 if poor else 0.035):
            per_capita = 3500 + u() * 3500
        elif band < (0.30 if poor else 0.102):
            per_capita = 7000 + u() * 2000
        else:
            per_capita = 9000 + self.rng.expovariate(1 / 6000)
        workers = sum(1 for m in living if 16 <= m.age < 65 and not 0 < m.grade <= 2)
        students = sum(1 for m in living if 6 <= m.age < 23)
        latest = self.today.year - 1
        drop = u() < 0.03
        for year in (latest - 1, latest):
            factor = 1.0 if year == latest else (1 / (0.4 + u() * 0.25) if drop else 0.85 + u() * 0.17)
            self._income(hid, year, round(per_capita * factor * n), n, assistance, workers, students)

    def _income(self, hid: int, year: int, net: int, n: int, assistance: str, workers: int, students: int) -> None:
        u = self.u
        share = TRANSFER_SHARE.get(assistance) or (0.25 if workers else 0.6)
        transfer = int(net * min(0.98, share * (0.7 + u() * 0.6)))
        property_income = int(net * u() * 0.03)
        earned = net - transfer - property_income
        wage = int(earned * (0.5 + u() * 0.4)) if workers else int(earned * u() * 0.2)
        business_net = earned - wage
        business_income = int(business_net * (1.2 + u() * 0.3))
        medical = int(u() * 3000) if u() > 0.06 else 15000 + int(u() * 45000)
        amounts = (wage, business_income, property_income, transfer, business_income - business_net)
        net_income, per_capita = compute_income(dict(zip(COMPUTED_FROM, map(Decimal, amounts), strict=True)), n)
        self.incomes.rows.append((  # whole yuan as int: cheaper to bind than Decimal, stored the same
            next(self.incomes.ids), hid, year, f"{year}-01-01", f"{year}-12-31", *amounts,
            int(medical * u() * 0.6), medical, students * (800 + int(u() * 5000)),
            max(n, 1), net_income, per_capita, self.now, self.now,
        ))

    def _helpers(self, hid: int, village: Area, supported: bool) -> None:
        """Every household has the village's specialist; supported ones the work team, first secretary and a
        paired cadre of the township."""
        staff = self._village_staff(village)
        rows = self.helpers
        rows.rows.append((next(rows.ids), hid, HELPER.SPECIALIST, *staff[HELPER.SPECIALIST]))
        if supported or self.u() < 0.3:
            pool = self.township_helpers.setdefault(village.township_code, [])
            if len(pool) < 60:
                pool.append((self._name(self.u() < 0.6, 1985, None), self._phone()))
            rows.rows.append((next(rows.ids), hid, HELPER.PAIRED_HELPER, *pool[int(self.u() * len(pool))]))
        if supported and HELPER.WORK_TEAM in staff:
            rows.rows.append((next(rows.ids), hid, HELPER.WORK_TEAM, *staff[HELPER.WORK_TEAM]))
            rows.rows.append((next(rows.ids), hid, HELPER.FIRST_SECRETARY, *staff[HELPER.FIRST_SECRETARY]))

    def _village_staff(self, village: Area) -> dict[str, tuple[str, str]]:
        staff = self.village_staff.get(village.code)
        if staff is None:
            kinds = [HELPER.SPECIALIST]
            if self.u() < 0.6:  # villages with a resident work team (驻村工作队)
                kinds += [HELPER.WORK_TEAM, HELPER.FIRST_SECRETARY]
            staff = {k: (self._name(self.u() < 0.6, 1980, None), self._phone()) for k in kinds}
            self.village_staff[village.code] = staff
        return staff

    def _event(self, hid: int, living: list[Member]) -> None:
        """A sudden event in the last six months; illness and accidents befall one member."""
        kind = EVENT_KIND.draw(self.u())
        texts = EVENT_TEXT[kind]
        person = living[int(self.u() * len(living))].pid if kind != EVENT.DISASTER else None
        rows = self.events
        rows.rows.append((next(rows.ids), hid, person, kind, self._day_within(182),
                          texts[int(self.u() * len(texts))], self.now))

    # 3. write ---------------------------------------------------------------------------------------------

    def flush(self, cursor: Any) -> None:
        for rows in self.tables:
            rows.flush(cursor)

    def analyze(self, cursor: Any) -> None:
        """Refresh the planner's statistics after a load: without them SQLite may probe a township's households
        through the category index instead of each household's members (seconds instead of milliseconds)."""
        tables = [connection.ops.quote_name(t.table) for t in self.tables]
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: a tenth of a second at a million rows
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")

    def reset_sequences(self, cursor: Any) -> None:
        """Ids were taken by hand: move PostgreSQL's sequences past them (SQLite follows by itself)."""
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables]):
            cursor.execute(statement)


def demo_county_generate(*, county: Area, households: int, seed: int, today: datetime.date | None = None,
                         progress: bool = False, stream: TextIO | None = None,
                         bulk_from: int = BULK_FROM) -> DemoResult:
    """Build `households` synthetic households on the county's villages; deterministic for (seed, today).

    From `bulk_from` households on, plain indexes of the registry tables are dropped during the load and
    rebuilt at the end, in the same transaction."""
    started = time.perf_counter()
    with transaction.atomic():
        demo = DemoCounty(county, seed, today or timezone.localdate())
        plan = demo.plan(households)
        with connection.cursor() as cursor, _bar(len(plan), progress, stream) as bar:
            tables = [t.table for t in demo.tables] if households >= bulk_from else []
            with indexes_suspended(cursor, tables):
                for chunk in _chunks(plan, CHUNK):
                    for village, sequence in chunk:
                        demo.household(village, sequence)
                    demo.flush(cursor)
                    bar.update(len(chunk))
            demo.reset_sequences(cursor)
            demo.analyze(cursor)
        result = DemoResult(
            households=demo.households.written, persons=demo.persons.written, disabled=demo.disabilities.written,
            income_records=demo.incomes.written, helpers=demo.helpers.written, events=demo.events.written,
            seconds=time.perf_counter() - started,
        )
        audit_log(user=None, action="registry.demo.generated", obj=county, area_code=county.code, after={
            "seed": seed, "households": result.households, "persons": result.persons,
            "disabled": result.disabled, "income_records": result.income_records,
        })
    return result


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _bar(total: int, progress: bool, stream: TextIO | None) -> Any:
    return tqdm(total=total, file=stream or sys.stderr, disable=not progress, unit="户", mininterval=0.5,
                desc="演示数据 / demo")


__all__ = ["DemoCounty", "DemoResult", "demo_county_generate", "expected_household_size"]
