"""New records get the ids the database would have given them: returned ids are the stored ones, and an id
once used (by a record deleted since) is not handed out again."""

from __future__ import annotations

from shouwang.registry.models import Household, Person
from tests.conftest import new_id
from tests.imports.helpers import person, run, workbook


def test_ids_given_back_are_the_stored_ones(pengshui, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [person("H1", new_id(), "甲"), person("H2", a := new_id(), "乙"),
                                           person("H2", b := new_id(), "丙", relation="配偶")])

    run(path)

    h2 = Household.objects.get(number="H2")
    assert set(Person.objects.filter(household=h2).values_list("id_number", flat=True)) == {a, b}
    assert h2.head_name == "乙"


def test_a_deleted_households_id_is_not_reused(pengshui, tongluo_household, tmp_path):
    highest = Household.objects.order_by("-pk").first()
    assert highest is not None
    gone = highest.pk
    Person.objects.filter(household=highest).delete()
    highest.delete()
    path = workbook(tmp_path / "in.xlsx", [person("NEW1", new_id())])

    run(path)

    assert Household.objects.get(number="NEW1").pk > gone
