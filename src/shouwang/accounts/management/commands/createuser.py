from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shouwang.accounts.models import Department, Role
from shouwang.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user bound to a role and an area (county, township or village code)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", required=True, help="area code: 6 (county), 9/12 (township), 12 (village)")
        parser.add_argument("--name", default="", help="full name shown in the UI")
        parser.add_argument("--department", default="", choices=["", *Department.values])
        parser.add_argument("--password", help="omit to be asked (never put real passwords in shell history)")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        password = o["password"] or getpass.getpass("密码 / password: ")
        try:
            user = user_create(actor=None, username=o["username"], password=password, role=o["role"],
                               area=o["area"], full_name=o["name"], department=o["department"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已创建用户 {user.username}（{user.get_role_display()}，{user.area.name}）")
