"""Every monitored household is due one visit per calendar quarter; planning is set-based and idempotent."""

import pytest

from shouwang.areas.models import Area
from shouwang.visits import services
from shouwang.visits.models import Visit
from tests.conftest import COUNTY, YUSHAN, make_household
from tests.visits.conftest import D, monitor, secured, travel

pytestmark = pytest.mark.django_db


def test_monitored_households_are_planned_for_the_quarter_and_assigned_to_the_village_specialist(
        tongluo_specialist, tongluo_household, baojia_household, county_staff):
    monitor(tongluo_household)
    make_household(number="NOT-MONITORED")
    with travel(D(2026, 2, 14)):
        planned = services.visits_schedule(user=county_staff, area=Area.objects.get(code=COUNTY))
    assert planned == 1
    visit = Visit.objects.get()
    assert visit.household == tongluo_household
    assert (visit.period_start, visit.due_on) == (D(2026, 1, 1), D(2026, 3, 31))
    assert visit.visitor == tongluo_specialist


def test_planning_twice_plans_nothing_new(tongluo_household, county_staff):
    monitor(tongluo_household)
    county = Area.objects.get(code=COUNTY)
    with travel(D(2026, 2, 14)):
        assert services.visits_schedule(user=county_staff, area=county) == 1
        assert services.visits_schedule(user=county_staff, area=county) == 0
    assert Visit.objects.count() == 1


def test_household_visited_this_quarter_is_not_planned_again(tongluo_household, tongluo_specialist):
    monitor(tongluo_household)
    with travel(D(2026, 2, 14)):
        services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 2, 10),
                              form="home", checks=secured())
        Visit.objects.filter(status="planned").delete()  # as if the next one had not been planned
        assert services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN)) == 0


def test_planning_only_covers_the_area_given(tongluo_household, baojia_household):
    monitor(tongluo_household)
    monitor(baojia_household)
    with travel(D(2026, 2, 14)):
        assert services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN)) == 1
    assert Visit.objects.get().household == tongluo_household


def test_household_set_to_monthly_is_due_at_the_end_of_the_month(tongluo_household, yushan_officer):
    monitor(tongluo_household)
    services.household_cadence_set(user=yushan_officer, household=tongluo_household, period_months=1,
                                   reason="有未清零问题")
    with travel(D(2026, 2, 14)):
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    visit = Visit.objects.get()
    assert (visit.period_start, visit.due_on) == (D(2026, 2, 1), D(2026, 2, 28))


def test_county_period_is_screenings_parameter_of_the_year(tongluo_household, county_admin):
    from shouwang.screening import services as screening

    monitor(tongluo_household)
    county = Area.objects.get(code=COUNTY)
    params = screening.parameters_create(user=county_admin, county=county, year=2026)
    screening.parameters_update(user=county_admin, parameters=params, visit_period_months=6)
    with travel(D(2026, 2, 14)):
        services.visits_schedule(user=None, area=county)
    assert Visit.objects.get().due_on == D(2026, 6, 30)


def test_shorter_period_is_a_parameter_of_the_year(tongluo_household, tongluo_specialist, county_admin):
    monitor(tongluo_household)
    services.visit_parameters_save(user=county_admin, county=Area.objects.get(code=COUNTY), year=2026,
                                   intensive_period_months=2)
    with travel(D(2026, 2, 14)):
        services.visit_record(user=tongluo_specialist, household=tongluo_household, visited_on=D(2026, 2, 14),
                              form="home", checks=secured(water="停水"))
    assert Visit.objects.get(status="planned").due_on == D(2026, 4, 30)


def test_a_period_that_does_not_divide_the_year_is_refused_in_chinese(county_admin, pengshui):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="访视周期"):
        services.visit_parameters_save(user=county_admin, county=pengshui, year=2026, intensive_period_months=5)


def test_household_with_an_open_problem_is_planned_monthly(tongluo_household, county_staff):
    from shouwang.assistance.services import problem_open

    monitor(tongluo_household)
    with travel(D(2026, 2, 14)):
        problem_open(user=county_staff, household=tongluo_household, kind="water", description="停水")
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    assert Visit.objects.get().due_on == D(2026, 2, 28)


def test_household_with_many_screening_hits_is_planned_monthly(tongluo_household, county_admin):
    from shouwang.screening.models import Hit

    monitor(tongluo_household)
    services.visit_parameters_save(user=county_admin, county=Area.objects.get(code=COUNTY), year=2026,
                                   intensive_period_months=1, intensive_hit_count=1)
    with travel(D(2026, 2, 14)):
        from shouwang.screening.services import screening_run

        screening_run(area=Area.objects.get(code=COUNTY))
        assert Hit.objects.current().filter(household=tongluo_household).exists()  # a grade-2 member
        services.visits_schedule(user=None, area=Area.objects.get(code=YUSHAN))
    assert Visit.objects.get().due_on == D(2026, 2, 28)
