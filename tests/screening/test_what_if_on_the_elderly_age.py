"""A what-if on the elderly age re-evaluates ELDERLY_NO_LABOUR from the members of the households it can
flag at all, and predicts exactly what a run under that age finds."""

import pytest

from shouwang.areas.models import Area
from shouwang.screening.models import Hit
from shouwang.screening.selectors import parameters_in_effect
from shouwang.screening.services import (
    clean_parameter_values,
    parameters_ensure,
    parameters_update,
    screening_run,
)
from shouwang.screening.whatif import screening_what_if
from tests.conftest import make_household
from tests.screening.helpers import TODAY, born

pytestmark = pytest.mark.django_db
DISABLED = {"disability": {"category": 4, "grade": 3}, "labour_capacity": "lost"}


def _elderly():
    return set(Hit.objects.current().filter(rule_code="ELDERLY_NO_LABOUR").values_list("household__number", flat=True))


def test_raising_the_elderly_age_predicts_who_leaves(pengshui):
    make_household(number="AGED-63", members=[{**DISABLED, "birth": born(30)}, {"birth": born(63), "labour_capacity": "none"}])
    make_household(number="AGED-66", members=[{**DISABLED, "birth": born(40)}, {"birth": born(66), "labour_capacity": "none"}])
    make_household(number="ALONE-70", members=[{**DISABLED, "birth": born(70)}])
    make_household(number="WORKER", members=[{**DISABLED, "birth": born(30)}, {"birth": born(68), "labour_capacity": "none"},
                                             {"birth": born(35), "labour_capacity": "normal"}])
    assert _elderly() == {"AGED-63", "AGED-66"}
    county = Area.objects.get(code="500243000000")

    result = screening_what_if(area=county, overrides={"elderly_age": "65"})

    elderly = next(r for r in result.rules if r.code == "ELDERLY_NO_LABOUR")
    assert (elderly.current, elderly.what_if, elderly.entering, elderly.leaving) == (2, 1, 0, 1)
    parameters_ensure(county=pengshui)
    saved = parameters_in_effect("500243", TODAY.date())
    parameters_update(user=None, parameters=saved, **clean_parameter_values({"elderly_age": "65"}))
    screening_run(area=county)
    assert _elderly() == {"AGED-66"}
    # The other member rules were not re-evaluated: their counts are the current ones.
    no_labour = next(r for r in result.rules if r.code == "NO_LABOUR")
    assert not no_labour.evaluated and no_labour.what_if == no_labour.current
