from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from shouwang.accounts.models import Department, Role, User
from shouwang.accounts.services import user_create
from shouwang.areas.models import Area, AreaLevel, county_key

DEMO_PASSWORD = "shouwang-demo"  # noqa: S105 - demo accounts only; printed so a newcomer can log in


class Command(BaseCommand):
    help = "Create one demo account per role in the county (idempotent) and print how to log in."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--county", default=settings.SHOUWANG_COUNTY)

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        county = Area.objects.get(code=county_key(o["county"]))
        township = Area.objects.filter(parent=county, level=AreaLevel.TOWNSHIP, name="郁山镇").first() or \
            Area.objects.filter(parent=county, level=AreaLevel.TOWNSHIP).order_by("code").first()
        village = Area.objects.filter(parent=township, level=AreaLevel.VILLAGE).order_by("-code").first()
        plan = [
            ("admin", Role.COUNTY_ADMIN, county, "县残联管理员（演示）", ""),
            ("staff", Role.COUNTY_STAFF, county, "县残联工作人员（演示）", ""),
            ("township", Role.TOWNSHIP_OFFICER, township, f"{township.name}专干（演示）", ""),
            ("village", Role.VILLAGE_SPECIALIST, village, f"{village.name}专职委员（演示）", ""),
            ("liaison", Role.LIAISON, county, "民政局联络员（演示）", Department.CIVIL_AFFAIRS),
            ("leader", Role.LEADER, county, "县领导（演示）", ""),
        ]
        bind = "http://127.0.0.1:8000/"
        self.stdout.write(f"\n登录地址 / log in at {bind}   演示密码 / demo password: {DEMO_PASSWORD}")
        for username, role, area, name, department in plan:
            if not User.objects.filter(username=username).exists():
                user_create(actor=None, username=username, password=DEMO_PASSWORD, role=role, area=area,
                            full_name=name, department=department)
            self.stdout.write(f"  {username:<10} {Role(role).label}（{area.name}）")
        self.stdout.write("")
