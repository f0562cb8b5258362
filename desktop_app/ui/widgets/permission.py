"""Actions a person's role does not allow: disabled, and the tooltip says why and who may.

Every button or action disabled for a permission goes through `allow()`:

    allow(self.new_button, actor, Permission.EDIT_PARTS, REGISTER_PARTS)

enables the button when the actor's role holds the permission; otherwise disables it with a
tooltip that names the roles that may ("Only an engineer may register parts. Ask an
administrator to add an engineer in People."). `enabled` adds the button's own condition (a row
chosen); the reason is said only when the role is what stands in the way. The tooltip follows a
change of language by itself.

The roles and permissions are `domain.people.ROLE_PERMISSIONS`; the action is the end of the
sentence "Only … may …", marked with QT_TRANSLATE_NOOP in the "Permissions" context (the domain's
PERMISSION_ACTIONS when none is given).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop_app.domain.people import (
    PERMISSION_ACTIONS,
    ROLE_PERMISSIONS,
    Actor,
    Permission,
    Role,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.ui.i18n import tr

# Actions more precise than the permission's own words, for the sentence "Only … may …".
REGISTER_PARTS = QT_TRANSLATE_NOOP("Permissions", "register parts")
IMPORT_PARTS = QT_TRANSLATE_NOOP("Permissions", "import parts")
RECORD_DELIVERIES = QT_TRANSLATE_NOOP("Permissions", "record deliveries")
END_PRODUCTION = QT_TRANSLATE_NOOP("Permissions", "record the end of production")
CHANGE_RETENTION = QT_TRANSLATE_NOOP("Permissions", "change how long records are kept")
PRINT_CERTIFICATES = QT_TRANSLATE_NOOP("Permissions", "print or save certificates")
REQUEST_DEVIATIONS = QT_TRANSLATE_NOOP("Permissions", "request deviations")
DECIDE_DEVIATIONS = QT_TRANSLATE_NOOP("Permissions", "approve or reject deviations")
EDIT_SUBMISSIONS = QT_TRANSLATE_NOOP("Permissions", "prepare or change submissions")


def roles_with(permission: Permission) -> list[Role]:
    """The roles that hold a permission, in the order of `Role`."""
    return [role for role in Role if permission in ROLE_PERMISSIONS[role]]


def role_phrase(role: Role) -> str:
    """The role with its article, as in "Only an engineer may …"."""
    phrases = {
        Role.ENGINEER: tr("Permissions", "an engineer"),
        Role.INSPECTOR: tr("Permissions", "a quality inspector"),
        Role.APPROVER: tr("Permissions", "an approver"),
        Role.ADMINISTRATOR: tr("Permissions", "an administrator"),
    }
    return phrases[role]


def roles_phrase(roles: list[Role]) -> str:
    phrases = [role_phrase(r) for r in roles]
    if len(phrases) <= 1:
        return "".join(phrases)
    head = phrases[0]
    for phrase in phrases[1:-1]:
        head = tr("Permissions", "{first}, {second}").format(first=head, second=phrase)
    return tr("Permissions", "{first} or {last}").format(first=head, last=phrases[-1])


def denied_reason(actor: Actor, permission: Permission, action: str | None = None) -> str:
    """Why `actor` may not, who may, and what to do about it; "" when the actor may."""
    if actor.can(permission):
        return ""
    roles = roles_with(permission)
    doing = tr("Permissions", action or PERMISSION_ACTIONS[permission])
    if not roles:
        return tr("Permissions", "Nobody may {action} here.").format(action=doing)
    text = tr("Permissions", "Only {roles} may {action}.").format(roles=roles_phrase(roles),
                                                                  action=doing)
    if roles == [Role.ADMINISTRATOR]:  # the one role that adds people: no one to add
        return text + " " + tr("Permissions", "Ask an administrator to do it.")
    first = role_phrase(roles[0])
    if actor.can(Permission.MANAGE_PEOPLE):
        return text + " " + tr("Permissions", "Add {role} in People, then sign in as that "
                                              "person.").format(role=first)
    return text + " " + tr("Permissions", "Ask an administrator to add {role} in People."
                           ).format(role=first)


class _Gate(QObject):
    """Kept on the widget: says the reason again in a new language."""

    def __init__(self, target: QWidget, actor: Actor, permission: Permission,
                 action: str | None, tooltip: str) -> None:
        super().__init__(target)
        self.target = target
        self.actor, self.permission, self.action = actor, permission, action
        self.tooltip = tooltip
        target.installEventFilter(self)

    def apply(self) -> None:
        reason = denied_reason(self.actor, self.permission, self.action)
        self.target.setToolTip(reason or self.tooltip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.target and event.type() == QEvent.Type.LanguageChange:
            self.apply()
        return False


def allow(target: QWidget | QAction, actor: Actor, permission: Permission,
          action: str | None = None, *, enabled: bool = True, tooltip: str = "") -> bool:
    """Enable `target` when the actor may (and `enabled`); otherwise disable it with the
    reason in its tooltip. `tooltip` is the tooltip when the role allows. True when it does."""
    permitted = actor.can(permission)
    target.setEnabled(permitted and enabled)
    if isinstance(target, QWidget):
        gate = getattr(target, "_permission_gate", None)
        if not isinstance(gate, _Gate):
            gate = _Gate(target, actor, permission, action, tooltip)
            target._permission_gate = gate  # type: ignore[union-attr]
        gate.actor, gate.permission, gate.action, gate.tooltip = (actor, permission, action,
                                                                 tooltip)
        gate.apply()
    else:
        target.setToolTip(denied_reason(actor, permission, action) or tooltip)
    return permitted
