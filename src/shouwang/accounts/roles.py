"""What each role may do. Permissions are granted by role (see RoleBackend), not per user."""

from __future__ import annotations

from shouwang.accounts.models import Role

FIELD_WORK = {
    "registry.view_household",
    "registry.reveal_sensitive",
    "registry.change_household",
    "registry.export_personal",
}
BENEFITS_FIELD = {"benefits.view_coverage", "benefits.change_benefitrecord"}
# Home visits and referrals (反映/转介): every field role visits, refers and confirms answers.
VISIT_WORK = {"visits.view_visit", "visits.record_visit", "visits.view_referral", "visits.manage_referral"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(
        FIELD_WORK
        | VISIT_WORK
        | {
            "visits.plan_visit",
            "visits.change_parameters",
            "registry.delete_household",
            "audit.view_auditentry",
            "accounts.manage_users",
            "screening.change_parameters",
            "screening.run_screening",
            "imports.import_registry",
            "reports.view_dashboard",
            "monitoring.view_monitoring",
            "monitoring.change_parameters",
            "assistance.manage_catalogue",
        }
        | BENEFITS_FIELD | {"benefits.run_coverage", "benefits.change_parameters"}
    ),
    Role.COUNTY_STAFF: frozenset(FIELD_WORK | {"imports.import_registry", "reports.view_dashboard"}
                                 | {"monitoring.view_monitoring"}
                                 | BENEFITS_FIELD | {"benefits.run_coverage"}
                                 | VISIT_WORK | {"visits.plan_visit"}
                                 | {"screening.run_screening"}),
    Role.TOWNSHIP_OFFICER: frozenset(FIELD_WORK | {"imports.import_registry", "reports.view_dashboard"}
                                     | {"monitoring.view_monitoring"}
                                     | BENEFITS_FIELD
                                     | VISIT_WORK | {"visits.plan_visit"}),
    Role.VILLAGE_SPECIALIST: frozenset(FIELD_WORK | {"monitoring.view_monitoring"} | BENEFITS_FIELD | VISIT_WORK),
    Role.LIAISON: frozenset({"visits.view_referral", "visits.answer_referral"}),
    Role.LEADER: frozenset({"reports.view_dashboard", "benefits.view_coverage"}),
}


def role_permissions(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
