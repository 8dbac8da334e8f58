"""The list shows head, members, disabled and severe counts kept by the services, never by save()."""

from __future__ import annotations

import datetime

import pytest

from shouwang.registry import services
from shouwang.registry.choices import disability_kind_mask
from shouwang.registry.models import Household
from tests.conftest import make_household, new_id

pytestmark = pytest.mark.django_db


def counts(household: Household) -> tuple[str, int, int, int]:
    household.refresh_from_db()
    return household.head_name, household.member_count, household.disabled_count, household.severe_count


def test_counts_follow_members_as_they_are_registered(pengshui):
    household = make_household(members=[
        {"name": "户主甲", "relation": "head", "disability": {"category": 4, "grade": 2}},
        {"name": "配偶乙", "relation": "spouse", "disability": {"category": 1, "grade": 3}},
        {"name": "之子丙", "relation": "son"},
    ])
    assert counts(household) == ("户主甲", 3, 2, 1)
    assert household.is_multi_disabled


def test_certificate_changes_update_the_counts(pengshui):
    household = make_household(members=[{"name": "户主甲", "relation": "head"}, {"name": "配偶乙"}])
    spouse = household.members.get(name="配偶乙")
    services.disability_set(user=None, person=spouse, category=6, grade=1,
                            certificate_number=f"{spouse.id_number}61")
    assert counts(household) == ("户主甲", 2, 1, 1)
    services.disability_set(user=None, person=spouse, category=6, grade=3,
                            certificate_number=f"{spouse.id_number}63")
    assert counts(household) == ("户主甲", 2, 1, 0)
    services.disability_remove(user=None, person=spouse)
    assert counts(household) == ("户主甲", 2, 0, 0)


def test_a_death_removes_the_member_from_every_count(pengshui):
    household = make_household(members=[
        {"name": "户主甲", "relation": "head"},
        {"name": "之父乙", "relation": "parent", "disability": {"category": 5, "grade": 1}},
    ])
    father = household.members.get(name="之父乙")
    services.person_update(user=None, person=father, living_status="deceased", status_date=datetime.date(2025, 1, 9))
    assert counts(household) == ("户主甲", 1, 0, 0)


def test_the_new_head_is_shown_after_the_old_head_died(pengshui):
    household = make_household(members=[{"name": "老户主", "relation": "head"}, {"name": "之子", "relation": "son"}])
    old, son = household.members.get(name="老户主"), household.members.get(name="之子")
    services.person_update(user=None, person=old, living_status="deceased", status_date=datetime.date(2025, 1, 9))
    services.person_update(user=None, person=son, relation="head")
    assert counts(household) == ("之子", 1, 0, 0)


def test_moving_a_person_updates_both_households(pengshui):
    first = make_household(members=[{"name": "甲", "relation": "head"},
                                    {"name": "乙", "disability": {"category": 2, "grade": 2}}])
    second = make_household(members=[{"name": "丙", "relation": "head"}])
    services.person_move(user=None, person=first.members.get(name="乙"), household=second, relation="spouse")
    assert counts(first) == ("甲", 1, 0, 0)
    assert counts(second) == ("丙", 2, 1, 1)


def test_refreshing_many_households_at_once_is_set_based(pengshui, django_assert_max_num_queries):
    households = [make_household(members=[{"name": f"户主{i}", "relation": "head"}]) for i in range(5)]
    Household.objects.update(member_count=0, head_name="")
    ids = [h.pk for h in households]
    with django_assert_max_num_queries(2):
        services.household_refresh_counts(ids)
    assert [counts(h)[:2] for h in households] == [(f"户主{i}", 1) for i in range(5)]


def test_a_new_member_with_a_certificate_is_counted_once(pengshui):
    household = make_household(members=[{"name": "户主甲", "relation": "head"}])
    id_number = new_id()
    services.person_create(user=None, household=household, id_number=id_number, name="之女乙", relation="daughter",
                           disability={"category": 5, "grade": 2, "certificate_number": f"{id_number}52"})
    assert counts(household) == ("户主甲", 2, 1, 1)


def kinds(household: Household) -> set[tuple[int, int]]:
    """The (category, grade) pairs the household's `disability_kinds` holds."""
    household.refresh_from_db()
    return {(c, g) for c in range(1, 8) for g in range(1, 5)
            if household.disability_kinds & disability_kind_mask(c, g)}


def test_disability_kinds_follow_certificates_deaths_and_moves(pengshui):
    household = make_household(members=[
        {"name": "户主甲", "relation": "head", "disability": {"category": 4, "grade": 2}},
        {"name": "配偶乙", "relation": "spouse", "disability": {"category": 1, "grade": 3}},
        {"name": "之子丙", "relation": "son", "disability": {"category": 4, "grade": 2}},
    ])
    assert kinds(household) == {(4, 2), (1, 3)}
    spouse, son = household.members.get(name="配偶乙"), household.members.get(name="之子丙")
    services.disability_set(user=None, person=spouse, category=6, grade=1, certificate_number=f"{spouse.id_number}61")
    assert kinds(household) == {(4, 2), (6, 1)}
    services.disability_remove(user=None, person=spouse)
    assert kinds(household) == {(4, 2)}
    services.person_update(user=None, person=household.members.get(name="户主甲"), living_status="deceased",
                           status_date=datetime.date(2025, 1, 9))
    assert kinds(household) == {(4, 2)}  # the son still holds the same kind
    other = make_household(members=[{"name": "丁", "relation": "head"}])
    services.person_move(user=None, person=son, household=other, relation="son")
    assert kinds(household) == set()
    assert kinds(other) == {(4, 2)}


def test_a_kind_mask_matches_a_category_a_grade_or_both():
    assert disability_kind_mask(4, 2) == 1 << 13
    assert disability_kind_mask(category=4) == 0b1111 << 12
    assert disability_kind_mask(grade=1) == sum(1 << (4 * c) for c in range(7))
    assert disability_kind_mask() == (1 << 28) - 1
