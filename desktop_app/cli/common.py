"""What every command shares: the data folder, the signed-in actor, output and errors."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app import logs
from desktop_app.domain.certificate_trust import Answer
from desktop_app.domain.errors import AuthenticationFailed, PartDeskError, ValidationError
from desktop_app.domain.people import Actor
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import (
    DataFolder,
    configured_database_url,
    ensure_writable,
    resolve_data_dir,
)
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.storage.lock import DataFolderLock

USER_ENV = "PARTDESK_USER"
PASSWORD_ENV = "PARTDESK_PASSWORD"
LANG_ENV = "PARTDESK_LANG"

log = logging.getLogger(__name__)

Handler = Callable[["Cli", argparse.Namespace], int]

# Exit statuses. 0: success. An error's status comes from its class (domain/errors.py):
# 1 failed, 2 invalid input, 3 not found, 4 not allowed, 5 sign-in refused, 6 conflict,
# 7 storage, 8 cancelled, 9 package refused; 70 unexpected error, 130 interrupted.
# `certificate verify` answers with a status of its own, one per state a person acts on
# differently (0: genuine and in force here, valid or interim; README, "Verifying a certificate").
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130
CERTIFICATE_EXIT = {
    Answer.GENUINE: 0,
    Answer.GENUINE_UNREGISTERED: 10,
    Answer.SUPERSEDED: 11,
    Answer.SUSPENDED: 12,
    Answer.REVOKED: 13,
    Answer.SITE_NOT_ENROLLED: 14,
    Answer.NOT_GENUINE: 15,
    Answer.NOT_A_CERTIFICATE: 16,
    Answer.EXPIRED: 17,
    Answer.NEEDS_REAPPROVAL: 18,
    Answer.CONFLICT: 19,
}


# Characters a terminal acts on instead of showing: C0 and C1 controls, DEL, the line and
# paragraph separators and the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069). In human-readable output they are shown escaped, so a name cannot split a
# result line, recolour the terminal or reorder what is shown; --json stays exact.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_ESCAPES.update(
    {c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)
_ESCAPES_BUT_NEWLINES = {c: text for c, text in _ESCAPES.items() if c != 0x0A}


def printable(value: object) -> str:
    """A name or value from the data or from a file name, for one line of human-readable
    output: control and bidi characters escaped (`\\n`, `\\x1b`, `\\u202e`)."""
    return str(value).translate(_ESCAPES)


def printable_lines(text: str) -> str:
    """The same for a whole text whose own line breaks are meant (a last line of defence:
    values in it should already have gone through `printable`)."""
    return text.translate(_ESCAPES_BUT_NEWLINES)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """`--json` after the sub-command too (`partdesk parts list --json`)."""
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )


def command(
    sub: Any, name: str, handler: Handler, help_text: str, sign_in: bool = True
) -> argparse.ArgumentParser:
    """A sub-command. It signs in before it reads the data folder, like the window; only a
    command that shows nothing of the folder's data (init, demo, verify) says `sign_in=False`."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    add_json_flag(parser)
    parser.set_defaults(handler=handler, sign_in=sign_in)
    return parser


class Cli:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.folder = DataFolder(resolve_data_dir(args.data_dir))
        self._context: ServiceContext | None = None
        self._lock: DataFolderLock | None = None
        self._actor: Actor | None = None
        # Set by `command()`; a parser made some other way signs in too.
        self.sign_in_required = bool(getattr(args, "sign_in", True))
        self._lang = args.lang or os.environ.get(LANG_ENV, "")
        self._translate = _translator(self._lang)
        self._plural: Callable[[str, str, int], str] | None = None
        logs.set_context(folder=self.folder.root)

    # -- translation and output ------------------------------------------------------------

    def tr(self, text: str, context: str = "Cli") -> str:
        return self._translate(context, text)

    def tr_n(self, text: str, n: int, context: str = "Cli") -> str:
        """A count in the language's plural form ("%Ln parts": "1 part", "3,056 parts")."""
        if self._plural is None:
            from desktop_app.ui.i18n import core_plural

            self._plural = core_plural(_language_code(self._lang) or "en")
        return self._plural(context, text, n)

    def message(self, error: PartDeskError) -> str:
        return error.message(self._translate)

    def out(self, data: Any, text: str | None = None) -> None:
        """Print `data` as JSON with --json, otherwise `text` (or `data` itself). Values from the
        data or from file names go into `text` through `printable()`."""
        if self.json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            print(printable_lines(str(text if text is not None else data)))

    def err(self, sentence: str) -> None:
        """One sentence (an error or a warning) on stderr, on one line."""
        print(printable(sentence), file=sys.stderr)

    # -- data folder and actor -------------------------------------------------------------

    def context(self, write: bool = True, migrate: bool = True) -> ServiceContext:
        """Open the data folder; writers take the folder's lock so a second process stops.

        Every command but those registered with `sign_in=False` signs in right after the folder
        is opened, before a handler can read anything from it."""
        if self._context is None:
            self.hold_folder(write)
            self._context = open_context(self.folder, self.database_url, migrate=migrate)
            if self.sign_in_required:
                self._actor = self._sign_in(self._context)
            self._warn(self._context)
        return self._context

    def _warn(self, ctx: ServiceContext) -> None:
        """Where and when this folder is used, when it is at risk: one line each on stderr."""
        from desktop_app.services.folder_warnings import folder_warnings

        for warning in folder_warnings(ctx):
            log.warning("%s", warning.sentence())
            self.err(warning.sentence(self._translate))

    @property
    def database_url(self) -> str | None:
        """--database-url, else the plant database this PC's folder was set up with (`partdesk
        plant init` / `plant join`), else None: the folder's own SQLite file."""
        return self.args.database_url or configured_database_url(self.folder)

    def hold_folder(self, write: bool = True) -> None:
        """The data folder, writable, and (for a writer) this process's lock on it."""
        ensure_writable(self.folder.root)
        if write and self._lock is None:
            self._lock = DataFolderLock(self.folder.root)
            self._lock.acquire()

    def initialised_context(self, write: bool = True) -> ServiceContext:
        return self._require_initialised(self.context(write=write))

    def _require_initialised(self, ctx: ServiceContext) -> ServiceContext:
        if not ctx.initialised:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The data folder {folder} is not set up; run 'partdesk init' first."
                ),
                folder=str(self.folder.root),
            )
        return ctx

    def actor(self, write: bool = True) -> Actor:
        """The person signed in for this command (--user / PARTDESK_USER, password from
        PARTDESK_PASSWORD or a prompt)."""
        ctx = self.initialised_context(write=write)
        if self._actor is None:
            self._actor = self._sign_in(ctx)
        return self._actor

    def _sign_in(self, ctx: ServiceContext) -> Actor:
        from desktop_app.services.people import PeopleService

        self._require_initialised(ctx)
        username, password = self.credentials()
        logs.remember_secret(password)
        actor = PeopleService(ctx).sign_in(username, password)
        logs.set_context(user=actor.username)
        return actor

    def credentials(self) -> tuple[str, str]:
        """Who signs in (--user or PARTDESK_USER) and the password (PARTDESK_PASSWORD or a
        prompt); AuthenticationFailed (exit 5) without them."""
        username = self.args.user or os.environ.get(USER_ENV, "")
        if not username:
            raise AuthenticationFailed(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Sign in first: --user NAME before the command (or PARTDESK_USER), and the "
                    "password in PARTDESK_PASSWORD or at the prompt.",
                )
            )
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not sys.stdin.isatty():
                raise AuthenticationFailed(
                    QT_TRANSLATE_NOOP(
                        "Errors", "No password: set PARTDESK_PASSWORD or run in a terminal."
                    )
                )
            password = getpass.getpass(
                self.tr("Password for {user}: ").format(user=printable(username))
            )
        return username, password

    def new_password(self, env: str = "PARTDESK_NEW_PASSWORD") -> str:
        password = os.environ.get(env)
        if password is not None:
            logs.remember_secret(password)
            return password
        if not sys.stdin.isatty():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "No new password: set {env} or run in a terminal."),
                env=env,
            )
        first = getpass.getpass(self.tr("New password: "))
        if getpass.getpass(self.tr("Repeat the new password: ")) != first:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The two passwords differ."))
        logs.remember_secret(first)
        return first

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def run_command(cli: Cli, args: argparse.Namespace) -> int:
    try:
        return int(args.handler(cli, args) or 0)
    except PartDeskError as exc:
        cli.err(cli.message(exc))
        log.warning("refused: %s", exc.message())
        return exc.exit_code
    except KeyboardInterrupt:
        print(cli.tr("Interrupted; nothing more was changed."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`partdesk parts list | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence, one sentence and a log
        log.critical("unexpected error", exc_info=True)
        where = logs.current_log_file() or _write_error_file(cli)
        details = cli.tr(" Details: {log}").format(log=where) if where else ""
        cli.err(cli.tr("Unexpected error ({kind}).").format(kind=type(exc).__name__) + details)
        return EXIT_UNEXPECTED
    finally:
        cli.close()


def _write_error_file(cli: Cli) -> Path | None:
    """Where the traceback goes when no log file could be opened: the data folder."""
    path = cli.folder.root / "partdesk-error.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(logs.redact(traceback.format_exc()), encoding="utf-8")
    except OSError:
        return None
    return path


def _language_code(lang: str) -> str:
    code = (lang or "").split("_")[0].split(".")[0].lower()
    return "" if code in ("c", "posix") else code


def _translator(lang: str) -> Callable[[str, str], str]:
    code = _language_code(lang)
    if code in ("", "en"):
        return lambda context, text: text
    from desktop_app.ui.i18n import core_translator

    return core_translator(code)
