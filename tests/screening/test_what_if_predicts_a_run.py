"""Property: a what-if with changed parameters predicts exactly what a full run would leave behind once
those parameters were saved: per rule the households flagged now and then, who enters and who leaves."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shouwang.areas.models import Area
from shouwang.screening.models import Hit
from shouwang.screening.rules import RULES
from shouwang.screening.selectors import parameters_in_effect
from shouwang.screening.services import (
    clean_parameter_values,
    parameters_ensure,
    parameters_update,
    screening_run,
)
from shouwang.screening.whatif import screening_what_if
from tests.conftest import make_household
from tests.screening.helpers import TODAY, income
from tests.screening.test_full_and_incremental_agree import _build, household

pytestmark = pytest.mark.django_db

overrides = st.dictionaries(
    st.sampled_from(["income_line", "near_line_band", "income_drop_ratio", "rigid_spending_ratio", "transfer_share",
                     "elderly_age", "event_window_days", "school_age_max", "visit_period_months"]),
    st.sampled_from(["5000", "7500", "9000"]), max_size=3,
).map(lambda chosen: {key: {"near_line_band": "0.3", "income_drop_ratio": "0.5", "rigid_spending_ratio": "0.2",
                             "transfer_share": "0.3", "elderly_age": "59", "event_window_days": "181", "school_age_max": "16",
                             "visit_period_months": "3"}.get(key, value) for key, value in chosen.items()})


def _flagged(area):
    by_rule = {rule.code: set() for rule in RULES}
    hits = Hit.objects.current().in_area(area).values_list("rule_code", "household_id")
    for code, household_id in hits:
        by_rule[code].add(household_id)
    return by_rule


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(household, min_size=1, max_size=5), changed=overrides,
       area_code=st.sampled_from(["500243000000", "500243102000"]))
def test_what_if_equals_a_run_under_the_changed_parameters(pengshui, specs, changed, area_code):
    with transaction.atomic():
        for spec in specs:
            _build(spec)
        area = Area.objects.get(code=area_code)
        before = _flagged(area)
        result = screening_what_if(area=area, overrides=changed)

        parameters_ensure(county=pengshui)
        saved = parameters_in_effect("500243", TODAY.date())
        parameters_update(user=None, parameters=saved, **clean_parameter_values(changed))
        screening_run(area=area)
        after = _flagged(area)

        for outcome in result.rules:
            now, then = before[outcome.code], after[outcome.code]
            assert (outcome.current, outcome.what_if, outcome.entering, outcome.leaving) == (
                len(now), len(then), len(then - now), len(now - then)), outcome.code
        flagged_now, flagged_then = set().union(*before.values()), set().union(*after.values())
        assert (result.entering, result.leaving) == (len(flagged_then - flagged_now), len(flagged_now - flagged_then))
        assert {h.pk for h in result.entering_sample} == set(sorted(flagged_then - flagged_now)[:50])
        assert {h.pk for h in result.leaving_sample} == set(sorted(flagged_now - flagged_then)[:50])
        transaction.set_rollback(True)


def test_a_household_leaves_only_when_no_rule_would_flag_it_any_more(pengshui):
    only_income = make_household(number="LEAVES")
    income(only_income, 2025, wage_income="5000")
    also_unsafe = make_household(number="STAYS", housing_safety="unsafe")
    income(also_unsafe, 2025, wage_income="5000")
    county = Area.objects.get(code="500243000000")
    assert _flagged(county)["INCOME_BELOW_LINE"] == {only_income.pk, also_unsafe.pk}

    result = screening_what_if(area=county, overrides={"income_line": "3000"})

    below = next(r for r in result.rules if r.code == "INCOME_BELOW_LINE")
    assert (below.current, below.what_if, below.leaving) == (2, 0, 2)
    assert result.leaving == 1 and [h.number for h in result.leaving_sample] == ["LEAVES"]
    assert result.entering == 0
