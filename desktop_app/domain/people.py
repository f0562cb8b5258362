"""People, roles and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP


class Role(StrEnum):
    ENGINEER = "engineer"
    INSPECTOR = "inspector"
    APPROVER = "approver"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.ENGINEER: QT_TRANSLATE_NOOP("Roles", "Engineer"),
    Role.INSPECTOR: QT_TRANSLATE_NOOP("Roles", "Quality inspector"),
    Role.APPROVER: QT_TRANSLATE_NOOP("Roles", "Approver"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("Roles", "Administrator"),
}


class Permission(StrEnum):
    VIEW = "view"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_SITES = "manage_sites"
    EDIT_REFERENCE_DATA = "edit_reference_data"  # suppliers, vehicle models, reference lists
    EDIT_REGULATORY_RULES = "edit_regulatory_rules"  # milestones, grace, supply cut, freeze
    EDIT_PARTS = "edit_parts"
    RECORD_EVIDENCE = "record_evidence"
    PREPARE_SUBMISSION = "prepare_submission"
    REVIEW_SUBMISSION = "review_submission"
    DECIDE_SUBMISSION = "decide_submission"  # approve, interim, reject, suspend, revoke
    PRINT_CERTIFICATE = "print_certificate"
    EDIT_ROADMAP = "edit_roadmap"
    SIGN_OFF_ROADMAP = "sign_off_roadmap"
    EXPORT = "export"
    IMPORT = "import"
    MERGE_CONFLICTS = "merge_conflicts"
    BACKUP_RESTORE = "backup_restore"


# What each permission lets a person do, as the end of the sentence "X is not allowed to ...".
PERMISSION_ACTIONS = {
    Permission.VIEW: QT_TRANSLATE_NOOP("Permissions", "view data"),
    Permission.MANAGE_PEOPLE: QT_TRANSLATE_NOOP("Permissions", "manage people"),
    Permission.MANAGE_SITES: QT_TRANSLATE_NOOP("Permissions", "manage sites and keys"),
    Permission.EDIT_REFERENCE_DATA: QT_TRANSLATE_NOOP("Permissions", "edit reference data"),
    Permission.EDIT_REGULATORY_RULES: QT_TRANSLATE_NOOP("Permissions",
                                                        "edit the regulatory rules"),
    Permission.EDIT_PARTS: QT_TRANSLATE_NOOP("Permissions", "edit parts"),
    Permission.RECORD_EVIDENCE: QT_TRANSLATE_NOOP("Permissions", "record test evidence"),
    Permission.PREPARE_SUBMISSION: QT_TRANSLATE_NOOP("Permissions", "prepare submissions"),
    Permission.REVIEW_SUBMISSION: QT_TRANSLATE_NOOP("Permissions", "review submissions"),
    Permission.DECIDE_SUBMISSION: QT_TRANSLATE_NOOP("Permissions", "decide on submissions"),
    Permission.PRINT_CERTIFICATE: QT_TRANSLATE_NOOP("Permissions", "print certificates"),
    Permission.EDIT_ROADMAP: QT_TRANSLATE_NOOP("Permissions", "edit the roadmap"),
    Permission.SIGN_OFF_ROADMAP: QT_TRANSLATE_NOOP("Permissions", "sign off roadmap steps"),
    Permission.EXPORT: QT_TRANSLATE_NOOP("Permissions", "export packages"),
    Permission.IMPORT: QT_TRANSLATE_NOOP("Permissions", "import packages"),
    Permission.MERGE_CONFLICTS: QT_TRANSLATE_NOOP("Permissions", "merge conflicting edits"),
    Permission.BACKUP_RESTORE: QT_TRANSLATE_NOOP("Permissions", "back up and restore"),
}

_COMMON = {Permission.VIEW, Permission.EXPORT, Permission.IMPORT}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ENGINEER: frozenset(
        _COMMON
        | {
            Permission.EDIT_REFERENCE_DATA,
            Permission.EDIT_PARTS,
            Permission.RECORD_EVIDENCE,
            Permission.PREPARE_SUBMISSION,
            Permission.EDIT_ROADMAP,
            Permission.MERGE_CONFLICTS,
        }
    ),
    Role.INSPECTOR: frozenset(
        _COMMON
        | {
            Permission.RECORD_EVIDENCE,
            Permission.PREPARE_SUBMISSION,
            Permission.REVIEW_SUBMISSION,
            Permission.PRINT_CERTIFICATE,
        }
    ),
    Role.APPROVER: frozenset(
        _COMMON
        | {
            Permission.REVIEW_SUBMISSION,
            Permission.DECIDE_SUBMISSION,
            Permission.PRINT_CERTIFICATE,
            Permission.SIGN_OFF_ROADMAP,
            Permission.MERGE_CONFLICTS,
        }
    ),
    # An administrator runs the installation; separation of duties keeps them from approving.
    Role.ADMINISTRATOR: frozenset(
        _COMMON
        | {
            Permission.MANAGE_PEOPLE,
            Permission.MANAGE_SITES,
            Permission.EDIT_REFERENCE_DATA,
            Permission.EDIT_REGULATORY_RULES,
            Permission.MERGE_CONFLICTS,
            Permission.BACKUP_RESTORE,
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in person on whose behalf a service acts."""

    user_id: str
    username: str
    display_name: str
    role: Role
    site_id: str

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                user=self.username, role=str(self.role), action=PERMISSION_ACTIONS[permission]
            )


USERNAME_RULE = QT_TRANSLATE_NOOP(
    "Errors", "A user name is 2 to 32 letters, digits, dots, dashes or underscores."
)
MIN_PASSWORD_LENGTH = 10


def check_username(username: str) -> str:
    name = username.strip()
    if not (2 <= len(name) <= 32) or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationError(USERNAME_RULE, field="username")
    return name


def check_new_password(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "A password has at least {n} characters."),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )
    if username and password.lower() == username.lower():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "A password must differ from the user name."),
            field="password",
        )


class SiteKind(StrEnum):
    SUPPLIER = "supplier"
    PLANT = "plant"
    CARMAKER = "carmaker"


SITE_KIND_LABELS = {
    SiteKind.SUPPLIER: QT_TRANSLATE_NOOP("Sites", "Supplier"),
    SiteKind.PLANT: QT_TRANSLATE_NOOP("Sites", "Plant"),
    SiteKind.CARMAKER: QT_TRANSLATE_NOOP("Sites", "Carmaker"),
}


def check_site_code(code: str) -> str:
    value = code.strip().upper()
    if not (2 <= len(value) <= 8) or not value.isalnum() or not value.isascii():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "A site code is 2 to 8 letters or digits, such as MSR."),
            field="site_code",
        )
    return value
