"""Demo county: a realistic synthetic registry on a county's real villages, fast enough for a million persons.

1. plan: every village gets households (weighted, at least one each), numbered after those already there;
   ids of every table are taken in advance from the current maxima;
2. draw households whole (members, disabilities, incomes, helpers, events) a chunk at a time, column by
   column with numpy, from one seeded generator, so the same seed gives the same county; the next chunk
   is drawn in a worker thread while the current one is written;
3. write plain tuples, many rows per INSERT on SQLite and COPY on PostgreSQL, into the schema exactly as
   the migrations made it (every index kept up to date): no model instances, no per-row services, no
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

import contextlib
import datetime
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, repeat
from types import SimpleNamespace
from typing import Any, TextIO

import numpy as np
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

CHUNK = 20000  # households drawn and written at a time: bounded memory, few round trips
ROWS_PER_INSERT = 100
BULK_CACHE_KIB = 2 * 1024 * 1024  # SQLite page cache during a load (a million persons take about 0.8 GiB),
# at most a quarter of the machine's memory


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
    """Values with weights; `sample(u)` maps uniform numbers in [0, 1) to values, `index(u)` to their indexes."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in pairs]
        total, running = sum(w for _, w in pairs), 0.0
        self.cumulative = []
        for _, weight in pairs:
            running += weight / total
            self.cumulative.append(running)
        self.cumulative[-1] = 2.0  # rounding can never push a draw past the last value
        self.bounds = np.array(self.cumulative)

    def index(self, u: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.bounds, u, side="right")

    def sample(self, u: np.ndarray) -> np.ndarray:
        return np.asarray(self.values)[self.index(u)]

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
OLD_BEFORE_ORD = datetime.date(1985, 1, 1).toordinal()  # born before: 45 % carry an old code
TRANSFER_SHARE = {ASSIST.TEKUN: 0.8, ASSIST.DIBAO: 0.5}  # of net income
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


# --- the same shares as lookup tables for the columnar draw ---------------------------------------------

HEAD_AGES = np.array(HEAD_AGE.values, dtype=np.int64)  # (low, high) per age group
SURNAME_VALUES = np.array(SURNAMES.values, dtype=object)
PHONE_NUMBERS = np.array([int(prefix) for prefix in PHONE_PREFIXES], dtype=np.int64)
# Given names by kind = 2 * male + born before 1980: one character c, or two (c, d), at
# offset[kind] + c * (letters + 1) + (0 for one character, 1 + d for two).
GIVEN_KINDS = [GIVEN[(male, old)] for male in (False, True) for old in (False, True)]
GIVEN_SIZES = np.array([len(chars) for chars in GIVEN_KINDS], dtype=np.int64)
GIVEN_OFFSETS = np.cumsum([0, *[len(chars) * (len(chars) + 1) for chars in GIVEN_KINDS[:-1]]])
GIVEN_NAMES = np.array([c + d for chars in GIVEN_KINDS for c in chars for d in ["", *chars]], dtype=object)


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
    """One table's pending rows and the statement that writes them; ids are taken in advance."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        quote = connection.ops.quote_name
        self.model = model
        self.table = model._meta.db_table
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from model meta
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.copy_sql = f"COPY {quote(self.table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        # SQLite: many rows per INSERT, which pays the statement's own work (AUTOINCREMENT's counter,
        # foreign key bookkeeping) once per batch instead of once per row.
        self.batch = max(1, min(ROWS_PER_INSERT, (connection.features.max_query_params or 32766) // len(columns)))
        values = f"({', '.join(['?'] * len(columns))})"
        self.batch_sql = (f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                          f"VALUES {', '.join([values] * self.batch)}")
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self, n: int) -> np.ndarray:
        """The next n ids of the table."""
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        return ids

    def write(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            batch = self.batch
            whole = len(rows) - len(rows) % batch
            raw = connection.connection  # the sqlite3 connection: "?" placeholders, no per-row wrapping
            raw.executemany(self.batch_sql, (list(chain.from_iterable(rows[i:i + batch]))
                                             for i in range(0, whole, batch)))
            if whole < len(rows):
                raw.executemany(self.sql.replace("%s", "?"), rows[whole:])
        self.written += len(rows)


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
    "disability_kinds", "created_at", "updated_at",
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


def nth_of(eligible: np.ndarray, household: np.ndarray, first: np.ndarray, nth: np.ndarray,
           wanted: np.ndarray) -> np.ndarray:
    """Indexes of the `nth[h]`-th eligible member (0-based, in member order) of every household h where
    `wanted[h]`; members are rows grouped by household, `first[h]` is the row of h's first member."""
    running = np.cumsum(eligible)
    before = running[first] - eligible[first]
    rank = running - 1 - before[household]
    return np.flatnonzero(eligible & wanted[household] & (rank == nth[household]))


# None as an array, where np.where needs it (broadcast, object dtype)
NONE = np.array(None, dtype=object)


def count_by(household: np.ndarray, mask: np.ndarray, households: int) -> np.ndarray:
    return np.bincount(household, weights=mask, minlength=households).astype(np.int64)


def kinds_by(first: np.ndarray, certified: np.ndarray, category: np.ndarray, grade: np.ndarray) -> np.ndarray:
    """Each household's `disability_kinds`: the OR of its certified living members' (category, grade) bits
    (`choices.disability_kind_mask`); members are contiguous from `first`, every household has one."""
    bit = np.where(certified, (category - 1) * 4 + grade - 1, 0)
    return np.bitwise_or.reduceat(np.where(certified, np.left_shift(1, bit), 0), first)


def flags(*masks: np.ndarray) -> list[list[int]]:
    """Boolean columns as lists of 0 and 1: SQLite's driver binds an int directly but a bool only after
    looking for an adapter, which costs more than the rest of the row (PostgreSQL reads 0/1 as booleans)."""
    return np.array(masks, dtype=np.int8).tolist()


def pick(values: Sequence[Any], index: np.ndarray) -> list[Any]:
    return np.asarray(values, dtype=object)[index].tolist()


ORDINAL_ZERO = np.datetime64("0000-12-31")  # date.fromordinal(1) is 0001-01-01
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"), dtype="<U1")
MAX_AGE_DAYS = 100 * 366  # no one is drawn older than 97: the span of the ID sequence counters
RELATIONS = (REL.HEAD, REL.SPOUSE, REL.SON, REL.DAUGHTER, REL.PARENT, REL.CHILD_IN_LAW, REL.GRANDCHILD,
             REL.SIBLING)
R_HEAD, R_SPOUSE, R_SON, R_DAUGHTER, R_PARENT, R_IN_LAW, R_GRANDCHILD, R_SIBLING = range(len(RELATIONS))
FILL_CODES = np.array([[RELATIONS.index(r) for r in FILL_ORDER[g]] for g in ("young", "middle", "old")])
LABOUR_VALUES = (LABOUR.NONE, LABOUR.LOST, LABOUR.WEAK, LABOUR.NORMAL)
L_NONE, L_LOST, L_WEAK, L_NORMAL = range(4)
SCHOOL_VALUES = (SCHOOL.NOT_IN_SCHOOL, SCHOOL.PRESCHOOL, SCHOOL.COMPULSORY, SCHOOL.DROPOUT, SCHOOL.HIGH_SCHOOL,
                 SCHOOL.COLLEGE, SCHOOL.GRADUATE)
ASSIST_VALUES = (ASSIST.NONE, ASSIST.DIBAO, ASSIST.TEKUN)
A_NONE, A_DIBAO, A_TEKUN = range(3)
CHECK_VALUES = (CHECK.SAFE, CHECK.UNCHECKED, CHECK.UNSAFE)
CERT_VALUES = (CERT.VALID, CERT.EXPIRED, CERT.CANCELLED)
EVENT_KINDS = tuple(EVENT_KIND.values)


class DemoCounty:
    """Draws and writes a demo county. Use `demo_county_generate()`; this class keeps the drawing state.

    Drawing is columnar: a chunk of households is drawn field by field with numpy from one seeded
    generator (the same shares as a household-by-household draw, at a fraction of the cost), then zipped
    into row tuples."""

    def __init__(self, county: Area, seed: int, today: datetime.date) -> None:
        self.county, self.today = county, today
        self.g = np.random.Generator(np.random.PCG64(seed))
        self.today_ord = today.toordinal()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.birthplaces = [county.short_code, *dict.fromkeys(OLD_BIRTHPLACE_CODES.get(county.short_code, ()))]
        old = OLD_BIRTHPLACE_CODES.get(county.short_code, ())
        self.old_places = np.array([self.birthplaces.index(code) for code in old], dtype=np.int64)
        self.place_numbers = np.array([int(code) for code in self.birthplaces], dtype=np.int64)
        self.place_sums = np.array([sum(int(c) * w for c, w in zip(code, ID_WEIGHTS[:6], strict=True))
                                    for code in self.birthplaces], dtype=np.int64)
        self.first_ord = self.today_ord - MAX_AGE_DAYS
        every_day = ORDINAL_ZERO + np.arange(self.first_ord, self.today_ord + 3700).astype("timedelta64[D]")
        self.day_strings = np.datetime_as_string(every_day, unit="D").astype(object)
        self.id_counts = np.zeros(len(self.birthplaces) * (MAX_AGE_DAYS + 2) * 2, dtype=np.int64)
        self.taken_ids: set[str] = set()
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

    def plan(self, households: int) -> tuple[np.ndarray, np.ndarray]:
        """(village index, household sequence in the village) for every household, villages in code order;
        also draws each village's helpers and each township's pool of paired cadres."""
        g = self.g
        villages = list(Area.objects.filter(county_code=self.county.code, level=AreaLevel.VILLAGE).order_by("code"))
        townships = dict(
            Area.objects.filter(county_code=self.county.code, level=AreaLevel.TOWNSHIP).values_list("code", "name")
        )
        if not villages:
            raise ValueError(f"{self.county.name} has no villages: run `shouwang init` first")
        self.village_codes = [v.code for v in villages]
        self.township_codes = [v.township_code for v in villages]
        self.village_addresses = [f"{townships[v.township_code]}{v.name}" for v in villages]
        weights = 0.3 + g.random(len(villages)) * 1.7  # a village is 0.3x to 2x the average
        counts = np.full(len(villages), 1 if households >= len(villages) else 0, dtype=np.int64)
        counts += g.multinomial(households - int(counts.sum()), weights / weights.sum())
        start = self._next_numbers(villages)
        village = np.repeat(np.arange(len(villages)), counts)
        offsets = np.cumsum(counts) - counts
        sequence = np.array([start[v.code] for v in villages], dtype=np.int64)[village] \
            + np.arange(households) - offsets[village]
        self._draw_helpers(villages)
        return village, sequence

    def _next_numbers(self, villages: list[Area]) -> dict[str, int]:
        """Demo household numbers are village code + 5 digits; continue after the ones already present."""
        start = {v.code: 1 for v in villages}
        existing = Household.objects.filter(county_id=self.county.code).values_list("village_id", "number")
        for village, number in existing:
            tail = number[12:]
            if number[:12] == village and tail.isdigit():
                start[village] = max(start.get(village, 1), int(tail) + 1)
        return start

    def _draw_helpers(self, villages: list[Area]) -> None:
        """Every village has a disability specialist (专职委员); 60 % a resident work team (驻村工作队) and
        its first secretary; every township a pool of 60 paired cadres (结对帮扶干部)."""
        g, n = self.g, len(villages)
        self.specialists = list(zip(self._names(g.random(n) < 0.6, np.full(n, 1980)), self._phones(n), strict=True))
        self.has_team = g.random(n) < 0.6
        self.teams = list(zip(self._names(g.random(n) < 0.6, np.full(n, 1980)), self._phones(n), strict=True))
        self.secretaries = list(zip(self._names(g.random(n) < 0.6, np.full(n, 1980)), self._phones(n),
                                    strict=True))
        townships = sorted({v.township_code for v in villages})
        self.village_township = np.array([townships.index(v.township_code) for v in villages], dtype=np.int64)
        pool = 60 * len(townships)
        self.cadres = list(zip(self._names(g.random(pool) < 0.6, np.full(pool, 1985)), self._phones(pool),
                               strict=True))

    # 2. draw ----------------------------------------------------------------------------------------------

    def draw(self, village: np.ndarray, sequence: np.ndarray) -> list[tuple[Rows, list[tuple[Any, ...]]]]:
        """Draw a chunk of households whole (members, certificates, incomes, helpers, events): the rows of
        each table, in fresh lists (the previous chunk's may still be being written)."""
        for table in self.tables:
            table.rows = []
        self._draw(village, sequence)
        return [(table, table.rows) for table in self.tables]

    def _draw(self, village: np.ndarray, sequence: np.ndarray) -> None:
        g = self.g
        n = len(village)
        hid = self.households.take(n)

        # members: head, spouse, then children, parents, in-laws, grandchildren as the head's age suggests
        size = HOUSEHOLD_SIZE.sample(g.random(n))
        u = g.random(n)
        low, high = HEAD_AGES[HEAD_AGE.index(np.where(size > 1, u, 0.3 + u * 0.7))].T  # the lone are older
        head_age = low + (g.random(n) * (high - low)).astype(np.int64)
        head_male = g.random(n) < 0.65
        group = np.where(head_age < 45, 0, np.where(head_age < 60, 1, 2))
        spouse = (size > 1) & (g.random(n) < np.where(group != 2, 0.85, 0.65))
        household = np.repeat(np.arange(n), size)
        first = np.cumsum(size) - size
        position = np.arange(len(household)) - first[household]
        m = len(household)
        fill = position - 1 - spouse[household]
        relation = np.where(position == 0, R_HEAD, np.where(fill < 0, R_SPOUSE,
                            FILL_CODES[group[household], np.clip(fill, 0, FILL_CODES.shape[1] - 1)]))
        h_age, u1, u2 = head_age[household], g.random(m), g.random(m)
        age = np.select(
            [relation == R_HEAD, relation == R_SPOUSE, (relation == R_SON) | (relation == R_DAUGHTER),
             relation == R_PARENT],
            [h_age, np.maximum(20, h_age - 6 + (u1 * 10).astype(np.int64)),
             np.maximum(0, h_age - 20 - (u1 * 14).astype(np.int64)),
             np.minimum(96, h_age + 20 + (u1 * 12).astype(np.int64))],
            default=0,
        )
        son_age = np.where(size - 1 - spouse >= 1, -1, head_age - 28)  # the first to fill is always a son
        son_age[household[fill == 0]] = age[fill == 0]
        parent_age = son_age[household]
        age = np.select(
            [relation == R_IN_LAW, relation == R_GRANDCHILD, relation == R_SIBLING],
            [np.maximum(18, parent_age - 3 + (u1 * 6).astype(np.int64)),
             np.maximum(0, np.minimum(parent_age - 20, (u1 * 18).astype(np.int64))),
             np.maximum(16, h_age - 10 + (u1 * 20).astype(np.int64))],
            default=age,
        )
        male = np.select(
            [relation == R_HEAD, relation == R_SPOUSE, relation == R_SON, relation == R_DAUGHTER,
             relation == R_PARENT, relation == R_IN_LAW, relation == R_GRANDCHILD],
            [head_male[household], ~head_male[household], True, False, u2 < 0.4, u2 < 0.15, u2 < 0.52],
            default=u2 < 0.5,
        )

        # at least one disabled member (the head more often than not); about 10 % of households two or more
        others = size - 1
        one = np.where((size == 1) | (g.random(n) < 0.55), 0, 1 + (g.random(n) * others).astype(np.int64))
        two = (size > 1) & (g.random(n) < 0.118)
        second = (g.random(n) * others).astype(np.int64)
        second += second >= one
        three = two & (others > 2) & (g.random(n) < 0.1)
        third = (g.random(n) * (others - 1)).astype(np.int64)
        third += third >= np.minimum(one, second)
        third += third >= np.maximum(one, second)
        disabled = np.zeros(m, dtype=bool)
        disabled[first + one] = True
        disabled[(first + second)[two]] = True
        disabled[(first + third)[three]] = True
        # a few households keep a member who died (mostly the old) or moved the registration out
        alive = np.ones(m, dtype=bool)
        leaving = (size > 1) & (g.random(n) < 0.03)
        candidates = (position > 0) & ~disabled
        alive[nth_of(candidates, household, first, (g.random(n) * count_by(household, candidates, n)).astype(
            np.int64), leaving)] = False

        # 特困 goes to people with no one to support them (small, old households); 低保 about one in five
        tekun = np.where((size <= 2) & (head_age >= 55), 0.16, 0.01)
        u = g.random(n)
        assistance = np.where(u < tekun, A_TEKUN, np.where(u < tekun + 0.20, A_DIBAO, A_NONE))

        pids, names, grade, category = self._persons(hid[household], first, relation, age, male, disabled, alive)
        living = alive
        severe = (grade > 0) & (grade <= 2)
        member_count = count_by(household, living, n)

        lifted = g.random(n) < 0.40
        lifted_year = LIFTED_YEAR.sample(g.random(n))
        relocated = lifted & (g.random(n) < 0.12)
        food = np.where(g.random(n) < 0.004, 2, 0)
        housing, housing_on = self._checks(n, 0.015)
        water, water_on = self._checks(n, 0.02)
        codes = pick(self.village_codes, village)
        addresses = [f"{self.village_addresses[v]}{a}组{b}号" for v, a, b in zip(
            village.tolist(), (1 + g.random(n) * 12).astype(np.int64).tolist(),
            (1 + g.random(n) * 80).astype(np.int64).tolist(), strict=True)]
        self.households.rows.extend(zip(
            hid.tolist(), [f"{code}{s:05d}" for code, s in zip(codes, sequence.tolist(), strict=True)],
            repeat(self.county.code), pick(self.township_codes, village), codes, addresses, self._phones(n),
            pick((POVERTY.GENERAL, POVERTY.LIFTED), lifted.astype(np.int64)),
            np.where(lifted, lifted_year.astype(object), NONE).tolist(),
            *flags(relocated), pick(ASSIST_VALUES, assistance), pick(CHECK_VALUES, food),
            housing, housing_on, water, water_on, [names[i] for i in first.tolist()], member_count.tolist(),
            count_by(household, living & (grade > 0), n).tolist(), count_by(household, living & severe, n).tolist(),
            kinds_by(first, living & (grade > 0), category, grade).tolist(),
            repeat(self.now), repeat(self.now),
        ))
        students = count_by(household, living & (age >= 6) & (age < 23), n)
        workers = count_by(household, living & (age >= 16) & (age < 65) & ~severe, n)
        self._incomes(hid, member_count, assistance, workers, students)
        self._helpers(hid, village, lifted | (assistance != A_NONE))
        self._events(hid, household, first, living, pids)

    def _persons(self, hid: np.ndarray, first: np.ndarray, relation: np.ndarray, age: np.ndarray,
                 male: np.ndarray, disabled: np.ndarray, alive: np.ndarray,
                 ) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
        """Person rows (and certificates of the disabled) of members given by their household's id;
        children carry the head's surname. Returns ids, names, grades and categories (0 when none)."""
        g, today, m = self.g, self.today_ord, len(hid)
        household = np.repeat(np.arange(len(first)), np.diff(np.r_[first, m]))
        pid = self.persons.take(m)
        birth = today - age * 365 - (g.random(m) * 365).astype(np.int64) - 1
        birth, id_numbers = self._id_numbers(birth, male)
        days = ORDINAL_ZERO + birth.astype("timedelta64[D]")
        year = days.astype("datetime64[Y]").astype(np.int64) + 1970
        married_in = (relation == R_SPOUSE) | (relation == R_IN_LAW) | (relation == R_PARENT)
        surname = SURNAMES.index(g.random(m))
        surname = np.where((relation == R_HEAD) | married_in, surname, surname[first][household])
        names = self._names(male, year, surname)
        grade = np.where(disabled, GRADE.sample(g.random(m)), 0)
        severe = (grade > 0) & (grade <= 2)

        u = g.random(m)
        young_or_old = (age < 16) | (age >= 65)
        labour = np.select(
            [young_or_old, severe, grade > 0, age >= 60],
            [L_NONE, np.where(u < 0.8, L_LOST, L_WEAK), np.where(u < 0.5, L_WEAK, np.where(u < 0.85, L_NORMAL, L_LOST)),
             np.where(u < 0.6, L_WEAK, L_NORMAL)],
            default=np.where(u < 0.85, L_NORMAL, L_WEAK),
        )
        working = ((labour == L_NORMAL) | (labour == L_WEAK)) & (age >= 16) & (age < 65)
        u = g.random(m)
        schooling = np.select(  # compulsory education: a few drop out, disabled children more often
            [(age < 3) | (age > 24), age < 6, age < 16, age < 19, age < 23],
            [0, np.where(u < 0.85, 1, 0), np.where(u < np.where(disabled, 0.05, 0.01), 3, 2),
             np.where(u < 0.6, 4, 0), np.where(u < 0.3, 5, np.where(u < 0.35, 6, 0))],
            default=0,
        )
        employment = np.where(working, EMPLOYMENT.index(g.random(m)), len(EMPLOYMENT.values))
        gone = ~alive
        status = np.where(gone, np.where((age >= 60) | (g.random(m) < 0.2), 1, 2), 0)
        status_on = today - 1 - (g.random(m) * 1000).astype(np.int64)
        has_phone = (age >= 18) & (g.random(m) < 0.6)
        phones = self._phone_numbers(m)
        need = disabled & working & (g.random(m) < 0.25)
        u = g.random((10, m))
        self.persons.rows.extend(zip(
            pid.tolist(), hid.tolist(), names, id_numbers, pick(("F", "M"), male.astype(np.int64)),
            self._iso_days(birth), pick(RELATIONS, relation), pick((LIVING.ALIVE, LIVING.DECEASED, LIVING.MOVED_OUT), status),
            self._iso_days(status_on, gone),
            pick(LABOUR_VALUES, labour), pick(SCHOOL_VALUES, schooling),
            pick((*EMPLOYMENT.values, JOB.NONE), employment),
            np.where(has_phone, phones, "").tolist(),
            *flags(
                u[0] >= 0.02,  # basic medical insurance: about 2 % missing
                (age >= 16) & (u[1] < 0.85),
                u[2] < np.where(disabled, 0.7, np.where(age >= 60, 0.5, 0.15)),
                disabled & (u[3] < 0.4), disabled & (u[4] < 0.2), severe & (u[5] < 0.15), severe & (u[6] < 0.08),
                ((grade == 1) & (u[7] < 0.5)) | ((grade == 2) & (u[7] < 0.2)),
                need, need & (u[8] < 0.8), need & (u[9] < 0.7), disabled & working & (g.random(m) < 0.15),
            ),
            repeat(self.now), repeat(self.now),
        ))
        category = np.zeros(m, dtype=np.int64)
        category[disabled] = self._disabilities(pid[disabled], [id_numbers[i] for i in np.flatnonzero(disabled).tolist()],
                                                birth[disabled], grade[disabled])
        return pid, names, grade, category

    def _id_numbers(self, birth: np.ndarray, male: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Unique per (birthplace, birth date, sex): the sequence runs through the odd (men) or even codes;
        45 % of those born before 1985 carry an old birthplace code of the county."""
        g, m = self.g, len(birth)
        place = np.zeros(m, dtype=np.int64)
        if len(self.old_places):
            old = (birth < OLD_BEFORE_ORD) & (g.random(m) < 0.45)
            place = np.where(old, self.old_places[(g.random(m) * len(self.old_places)).astype(np.int64)], 0)
        key = ((place * (MAX_AGE_DAYS + 2)) + birth - self.first_ord) * 2 + male
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
        rank = np.empty(m, dtype=np.int64)
        rank[order] = np.arange(m) - np.repeat(starts, np.diff(np.r_[starts, m]))
        count = self.id_counts[key] + rank
        self.id_counts += np.bincount(key, minlength=len(self.id_counts))
        numbers = self._id_strings(place, birth, (birth * 7 + count) % 500 * 2 + male)
        redo = np.flatnonzero(count >= 500).tolist()
        if self.taken_ids:
            redo = sorted({*redo, *(i for i, number in enumerate(numbers) if number in self.taken_ids)})
        for i in redo:  # every sequence of that day used, or a number already in the county: take the next one
            birth[i], numbers[i] = self._next_id_number(int(place[i]), int(birth[i]), bool(male[i]))
        return birth, numbers

    def _next_id_number(self, place: int, birth: int, male: bool) -> tuple[int, str]:
        while True:
            key = ((place * (MAX_AGE_DAYS + 2)) + birth - self.first_ord) * 2 + male
            count = int(self.id_counts[key])
            if count >= 500:
                birth += 1
                continue
            self.id_counts[key] += 1
            number = make_id_number(self.birthplaces[place], datetime.date.fromordinal(birth),
                                    (birth * 7 + count) % 500 * 2 + male)
            if number not in self.taken_ids:
                return birth, number

    def _id_strings(self, place: np.ndarray, birth: np.ndarray, sequence: np.ndarray) -> list[str]:
        """GB 11643 numbers built and checked column-wise (the same digits as `make_id_number`)."""
        days = ORDINAL_ZERO + birth.astype("timedelta64[D]")
        year = days.astype("datetime64[Y]").astype(np.int64) + 1970
        month = (days.astype("datetime64[M]") - days.astype("datetime64[Y]")).astype(np.int64) + 1
        day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
        body = ((self.place_numbers[place] * 10000 + year) * 10000 + month * 100 + day) * 1000 + sequence
        digits = body[:, None] // 10 ** np.arange(16, -1, -1, dtype=np.int64) % 10
        check = ID_CHECK[(digits @ ID_WEIGHTS) % 11]
        return np.strings.add(body.astype("<U17"), check).tolist()

    def _names(self, male: np.ndarray, born: np.ndarray, surname: np.ndarray | None = None) -> list[str]:
        g, m = self.g, len(male)
        kind = male.astype(np.int64) * 2 + (born < 1980)
        letters = GIVEN_SIZES[kind]
        one = (g.random(m) * letters).astype(np.int64)
        two = np.where(g.random(m) < 0.75, 1 + (g.random(m) * letters).astype(np.int64), 0)
        given = GIVEN_NAMES[GIVEN_OFFSETS[kind] + one * (letters + 1) + two]
        if surname is None:
            surname = SURNAMES.index(g.random(m))
        return (SURNAME_VALUES[surname] + given).tolist()

    def _phones(self, n: int) -> list[str]:
        return self._phone_numbers(n).tolist()

    def _phone_numbers(self, n: int) -> np.ndarray:
        g = self.g
        prefix = PHONE_NUMBERS[(g.random(n) * len(PHONE_NUMBERS)).astype(np.int64)]
        return (prefix * 100_000_000 + (g.random(n) * 1e8).astype(np.int64)).astype("<U11")

    def _iso_days(self, ordinals: np.ndarray, known: np.ndarray | None = None) -> list[str | None]:
        """Proleptic Gregorian ordinals (date.toordinal) as ISO dates (None where not `known`), looked up
        in a table of every day from the oldest birth to the end of the newest certificate."""
        days = self.day_strings[ordinals - self.first_ord]
        return (days if known is None else np.where(known, days, NONE)).tolist()

    def _days_within(self, n: int, days: int) -> np.ndarray:
        return self.today_ord - 1 - (self.g.random(n) * days).astype(np.int64)

    def _checks(self, n: int, unsafe: float) -> tuple[list[str], list[str | None]]:
        u = self.g.random(n)
        state = np.where(u < unsafe, 2, np.where(u < unsafe + 0.03, 1, 0))
        return pick(CHECK_VALUES, state), self._iso_days(self._days_within(n, 365), state != 1)

    def _disabilities(self, pid: np.ndarray, id_numbers: list[str], birth: np.ndarray,
                      grade: np.ndarray) -> np.ndarray:
        """A certificate (ID + category + grade), valid ten years; some expired, a few cancelled. Returns the
        categories drawn."""
        g, today, n = self.g, self.today_ord, len(pid)
        category = CATEGORY.sample(g.random(n))
        first_day = np.maximum(birth + 200, ISSUED_FROM)
        state = g.random(n)
        u = g.random(n)
        status = np.where(state < 0.92, 0, np.where(state < 0.98, 1, 2))
        issued = np.where(status == 0, today - (u * 3600).astype(np.int64), today - 3660 - (u * 1500).astype(np.int64))
        issued = np.minimum(np.maximum(issued, first_day), today)
        valid_until = issued + 3652
        valid_until = np.where(status == 1, np.minimum(valid_until, today - 1 - (g.random(n) * 700).astype(np.int64)),
                               valid_until)
        suffix = np.strings.add(category.astype("<U1"), grade.astype("<U1"))
        self.disabilities.rows.extend(zip(
            self.disabilities.take(n).tolist(), pid.tolist(),
            np.strings.add(np.array(id_numbers, dtype="<U18"), suffix).tolist(), category.tolist(), grade.tolist(),
            pick(CERT_VALUES, status), self._iso_days(valid_until), self._iso_days(issued), strict=True,
        ))
        return category

    def _incomes(self, hid: np.ndarray, members: np.ndarray, assistance: np.ndarray, workers: np.ndarray,
                 students: np.ndarray) -> None:
        """Two years of income; 人均纯收入 below ~7,000 for ~5 %, 7,000-9,000 for ~10 %, a few sharp drops.
        Net and per-capita income are computed exactly as `compute_income` computes them (in whole fen)."""
        g, n = self.g, len(hid)
        poor = assistance != A_NONE
        band, u = g.random(n), g.random(n)
        per_capita = np.where(band < np.where(poor, 0.10, 0.035), 3500 + u * 3500,
                              np.where(band < np.where(poor, 0.30, 0.102), 7000 + u * 2000,
                                       9000 + g.exponential(6000, n)))
        drop = g.random(n) < 0.03
        u = g.random(n)
        earlier = np.where(drop, 1 / (0.4 + u * 0.25), 0.85 + u * 0.17)
        latest = self.today.year - 1
        share = np.select([assistance == A_TEKUN, assistance == A_DIBAO, workers > 0],
                          [TRANSFER_SHARE[ASSIST.TEKUN], TRANSFER_SHARE[ASSIST.DIBAO], 0.25], default=0.6)
        columns = []
        for factor in (earlier, np.ones(n)):
            net = np.rint(per_capita * factor * members).astype(np.int64)
            u = g.random((9, n))
            transfer = (net * np.minimum(0.98, share * (0.7 + u[0] * 0.6))).astype(np.int64)
            property_income = (net * u[1] * 0.03).astype(np.int64)
            earned = net - transfer - property_income
            wage = np.where(workers > 0, earned * (0.5 + u[2] * 0.4), earned * u[3] * 0.2).astype(np.int64)
            business_net = earned - wage
            business = (business_net * (1.2 + u[4] * 0.3)).astype(np.int64)
            medical = np.where(u[5] > 0.06, (u[6] * 3000).astype(np.int64), 15000 + (u[6] * 45000).astype(np.int64))
            net_income = wage + business + property_income + transfer - (business - business_net)
            columns.append((net, wage, business, property_income, transfer, business - business_net,
                            (medical * u[7] * 0.6).astype(np.int64), medical,
                            students * (800 + (u[8] * 5000).astype(np.int64)), net_income))
        years = np.tile([latest - 1, latest], n)
        both = [np.column_stack(pair).ravel() for pair in zip(*columns, strict=True)]
        _, wage, business, property_income, transfer, cost, claims, medical, education, net_income = both
        counted = np.repeat(np.maximum(members, 1), 2)
        fen, rest = np.divmod(net_income * 100, counted)  # quantize(0.01) rounds half to even
        fen += (2 * rest > counted) | ((2 * rest == counted) & (fen % 2 == 1))
        self.incomes.rows.extend(zip(
            self.incomes.take(2 * n).tolist(), np.repeat(hid, 2).tolist(), years.tolist(),
            [f"{y}-01-01" for y in years.tolist()], [f"{y}-12-31" for y in years.tolist()],
            wage.tolist(), business.tolist(), property_income.tolist(), transfer.tolist(), cost.tolist(),
            claims.tolist(), medical.tolist(), education.tolist(), counted.tolist(), net_income.tolist(),
            [f"{f // 100}.{f % 100:02d}" for f in fen.tolist()], repeat(self.now), repeat(self.now),
        ))

    def _helpers(self, hid: np.ndarray, village: np.ndarray, supported: np.ndarray) -> None:
        """Every household has the village's specialist; supported ones (and some others) a paired cadre of
        the township; supported ones in a village with a work team also the team and its first secretary."""
        g, n = self.g, len(hid)
        paired = supported | (g.random(n) < 0.3)
        cadre = self.village_township[village] * 60 + (g.random(n) * 60).astype(np.int64)
        team = supported & self.has_team[village]
        rows = self.helpers.rows
        for kind, mask, people in (
            (HELPER.SPECIALIST, np.ones(n, dtype=bool), [self.specialists[v] for v in village.tolist()]),
            (HELPER.PAIRED_HELPER, paired, [self.cadres[c] for c in cadre[paired].tolist()]),
            (HELPER.WORK_TEAM, team, [self.teams[v] for v in village[team].tolist()]),
            (HELPER.FIRST_SECRETARY, team, [self.secretaries[v] for v in village[team].tolist()]),
        ):
            count = int(mask.sum())
            rows.extend((i, h, kind, name, phone) for i, h, (name, phone) in zip(
                self.helpers.take(count).tolist(), hid[mask].tolist(), people, strict=True))

    def _events(self, hid: np.ndarray, household: np.ndarray, first: np.ndarray, living: np.ndarray,
                pid: np.ndarray) -> None:
        """A sudden event in the last six months for about 4 % of households; illness and accidents befall
        one living member."""
        g, n = self.g, len(hid)
        happened = g.random(n) < 0.04
        kind = EVENT_KIND.index(g.random(n))
        personal = happened & (kind != EVENT_KINDS.index(EVENT.DISASTER))
        nth = (g.random(n) * count_by(household, living, n)).astype(np.int64)
        person = np.zeros(n, dtype=np.int64)
        person[personal] = pid[nth_of(living, household, first, nth, personal)]
        text = (g.random(n) * 4).astype(np.int64).tolist()
        days = self._iso_days(self._days_within(n, 182))
        chosen = np.flatnonzero(happened)
        self.events.rows.extend(
            (i, int(hid[h]), int(person[h]) if personal[h] else None, EVENT_KINDS[kind[h]], days[h],
             EVENT_TEXT[EVENT_KINDS[kind[h]]][text[h]], self.now)
            for i, h in zip(self.events.take(len(chosen)).tolist(), chosen.tolist(), strict=True)
        )

    # 3. write ---------------------------------------------------------------------------------------------

    @staticmethod
    def write(cursor: Any, drawn: list[tuple[Rows, list[tuple[Any, ...]]]]) -> None:
        for table, rows in drawn:  # parents before children (foreign keys are checked at commit anyway)
            table.write(cursor, rows)

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
                         progress: bool = False, stream: TextIO | None = None) -> DemoResult:
    """Build `households` synthetic households on the county's villages; deterministic for (seed, today).

    `seconds` covers the whole build, commit included."""
    started = time.perf_counter()
    with bulk_load_cache(), transaction.atomic():
        demo = DemoCounty(county, seed, today or timezone.localdate())
        village, sequence = demo.plan(households)
        chunks = [(village[start:start + CHUNK], sequence[start:start + CHUNK])
                  for start in range(0, households, CHUNK)]
        with connection.cursor() as cursor, _bar(households, progress, stream) as bar:
            for (chunk, _), drawn in zip(chunks, drawn_ahead(demo.draw, chunks), strict=True):
                demo.write(cursor, drawn)
                bar.update(len(chunk))
            demo.reset_sequences(cursor)
            demo.analyze(cursor)
        counts = {"households": demo.households.written, "persons": demo.persons.written,
                  "disabled": demo.disabilities.written, "income_records": demo.incomes.written}
        audit_log(user=None, action="registry.demo.generated", obj=county, area_code=county.code,
                  after={"seed": seed, **counts})
    return DemoResult(**counts, helpers=demo.helpers.written, events=demo.events.written,
                      seconds=time.perf_counter() - started)


def drawn_ahead(draw: Callable[..., Any], chunks: list[tuple[Any, ...]]) -> Iterator[Any]:
    """`draw(*chunk)` for each chunk in order, the next one drawn in a worker thread while the caller
    writes the current one: the database engine (SQLite's and PostgreSQL's drivers release the GIL while
    it works) and numpy overlap with the drawing. One draw at a time, in order: the same seed still
    gives the same county."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-draw") as worker:
        pending = worker.submit(draw, *chunks[0]) if chunks else None
        for following in [*chunks[1:], None]:
            assert pending is not None
            drawn = pending.result()
            pending = worker.submit(draw, *following) if following is not None else None
            yield drawn


@contextlib.contextmanager
def bulk_load_cache() -> Iterator[None]:
    """On SQLite, a page cache that holds the whole load until its commit (up to BULK_CACHE_KIB): with the
    usual 64 MiB, pages of the name and ID indexes are spilled to the WAL and rewritten again and again,
    which makes a million-person load about half again as slow. Restored after the commit."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        usual = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{_bulk_cache_kib()}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(usual)}")


def _bulk_cache_kib() -> int:
    try:
        memory_kib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024
    except (ValueError, OSError, AttributeError):  # not a POSIX system: keep the ceiling
        return BULK_CACHE_KIB
    return max(65536, min(BULK_CACHE_KIB, memory_kib // 4))


def _bar(total: int, progress: bool, stream: TextIO | None) -> Any:
    return tqdm(total=total, file=stream or sys.stderr, disable=not progress, unit="户", mininterval=0.5,
                desc="演示数据 / demo")


__all__ = ["DemoCounty", "DemoResult", "demo_county_generate", "expected_household_size"]
