"""Evidence is stored as json text on PostgreSQL, yet queries inside it answer as they did on jsonb (a key's
value, has_key, isnull), and an Evidence expression reads back through the ORM as a dict."""

import pytest
from django.db.models import F, Value

from shouwang.areas.models import Area
from shouwang.screening.models import Hit
from shouwang.screening.rules import Evidence
from tests.conftest import make_household
from tests.screening.helpers import income, screen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


def _household():
    h = make_household(members=[{"disability": {"category": 4, "grade": 1}}])
    income(h, 2025, wage_income="5420.50")
    screen()
    return h


def test_a_key_inside_the_evidence_filters_the_hits(pengshui):
    h = _household()
    assert list(Hit.objects.filter(evidence__line=7500).values_list("household_id", flat=True)) == [h.pk]
    assert not Hit.objects.filter(evidence__line=7600).exists()
    assert list(Hit.objects.filter(evidence__grade__lte=2).values_list("rule_code", flat=True)) == ["SEVERE_DISABILITY"]


def test_has_key_and_isnull_answer(pengshui):
    _household()
    assert list(Hit.objects.filter(evidence__has_key="grade").values_list("rule_code", flat=True)) == [
        "SEVERE_DISABILITY"]
    assert Hit.objects.filter(evidence__isnull=False).count() == Hit.objects.count()


def test_an_evidence_expression_reads_back_as_a_dict(pengshui):
    got = Area.objects.filter(level=1).annotate(
        e=Evidence(line=Value(7500), name=F("name"))).values_list("e", flat=True)[0]
    assert got == {"line": 7500, "name": pengshui.name}
