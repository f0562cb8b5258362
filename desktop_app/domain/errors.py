"""Errors a person can act on.

Each error carries an English source sentence marked for translation and named parameters. The UI
and the CLI turn it into one translated sentence with `error.message(translate)`. Anything else that
escapes is a defect and is shown as a generic failure, never as a traceback in a dialog.
"""

from __future__ import annotations

from typing import Any, ClassVar

from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

CONTEXT = "Errors"


class PartDeskError(Exception):
    """Base of every error whose sentence is shown to a person."""

    template: ClassVar[str] = QT_TRANSLATE_NOOP("Errors", "The operation failed.")
    exit_code: ClassVar[int] = 1

    def __init__(self, template: str | None = None, /, **params: Any) -> None:
        if template is not None:
            self.template = template  # type: ignore[misc]
        self.params = params
        super().__init__(self.message())

    def message(self, translate: Translate = untranslated) -> str:
        text = translate(CONTEXT, self.template)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template.format(**self.params)


class ValidationError(PartDeskError):
    """Input that breaks a rule; `field` names the input when there is one."""

    exit_code = 2

    def __init__(self, template: str, /, field: str | None = None, **params: Any) -> None:
        self.field = field
        super().__init__(template, **params)


class NotFound(PartDeskError):
    exit_code = 3
    template = QT_TRANSLATE_NOOP("Errors", "{what} {key} does not exist.")


class PermissionDenied(PartDeskError):
    exit_code = 4
    template = QT_TRANSLATE_NOOP("Errors", "{user} ({role}) is not allowed to {action}.")


class AuthenticationFailed(PartDeskError):
    exit_code = 5
    template = QT_TRANSLATE_NOOP("Errors", "The user name or password is wrong.")


class AccountDisabled(PartDeskError):
    exit_code = 5
    template = QT_TRANSLATE_NOOP("Errors", "The account {user} is disabled; ask an administrator.")


class LoginThrottled(PartDeskError):
    exit_code = 5
    template = QT_TRANSLATE_NOOP(
        "Errors", "Too many failed sign-ins for {user}; try again in {seconds} seconds."
    )


class Conflict(PartDeskError):
    """A record changed under the user, or holds competing edits from two sites."""

    exit_code = 6


class RecordInConflict(Conflict):
    template = QT_TRANSLATE_NOOP(
        "Errors",
        "{what} {key} was edited at two sites; a person must merge the versions first.",
    )


class StaleEdit(Conflict):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{what} {key} was changed by {author} since you opened it; reopen it and retry."
    )


class NotOwner(PartDeskError):
    """A record created at another site: only that site changes it."""

    exit_code = 4
    template = QT_TRANSLATE_NOOP(
        "Errors", "{what} {key} belongs to another site; it can only be changed there.")


class StorageError(PartDeskError):
    exit_code = 7


class Cancelled(PartDeskError):
    exit_code = 8
    template = QT_TRANSLATE_NOOP("Errors", "Cancelled; nothing was changed.")
