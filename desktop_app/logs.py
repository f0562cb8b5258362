"""The log file, the crash trace and the last-resort exception hook, for the window and the CLI.

`start_logging()` is called once by the entry point (`desktop_app.cli.main`, which also starts
the window). It writes warnings and errors (and one line per start) to a rotating file in the
platform's user log folder (`$PARTDESK_LOG_DIR` when set, else platformdirs' `user_log_dir`,
else the data folder's `logs/`), each line with its context: the command or page, the data
folder and who is signed in. Nothing secret reaches the file: every line goes through `redact()`
(password arguments and assignments, the passwords this process was given, PEM blocks, password
hashes, 64- and 128-digit hex strings, credentials in URLs). `faulthandler` writes a hard
crash's stacks to `crash.log` beside it, a file kept open for the life of the process.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from desktop_app import __version__
from desktop_app.paths import APP_NAME

LOG_DIR_ENV = "PARTDESK_LOG_DIR"
LOG_FILE_NAME = "partdesk.log"
CRASH_FILE_NAME = "crash.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5
SECRET_ENVS = ("PARTDESK_PASSWORD", "PARTDESK_NEW_PASSWORD")
REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(partdesk_context)s] %(message)s"

log = logging.getLogger(__name__)

# -- redaction ---------------------------------------------------------------------------------

_SECRET_WORD = r"[\w.-]*(?:password|passwd|passphrase|pwd|secret|token|private[_-]?key)[\w.-]*"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # PEM blocks (private keys, certificates), also cut off before their END line
    (re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.S),
     "[redacted PEM block]"),
    (re.compile(r"-----END [A-Z0-9 ]+-----"), "[redacted PEM block]"),  # its start cut off
    # password hashes: argon2, and the other crypt-style formats
    (re.compile(r"\$(?:argon2(?:id|i|d)|2[aby]|scrypt|pbkdf2[\w-]*)\$[^\s'\"]+"),
     "[redacted hash]"),
    # credentials in a URL: scheme://user:password@host
    (re.compile(r"(\b[a-zA-Z][\w+.-]*://[^:/\s@]*:)[^@\s/]+(@)"), rf"\1{REDACTED}\2"),
    # --password VALUE, --new-password=VALUE
    (re.compile(r"(--[\w-]*pass[\w-]*(?:=|\s+))(?!-)\S+", re.I), rf"\1{REDACTED}"),
    # password=VALUE, "password": "VALUE", PARTDESK_PASSWORD=VALUE, secret: VALUE
    (re.compile(rf"(\b{_SECRET_WORD}['\"]?\s*[:=]\s*)(['\"]?)[^\s'\",;}}]+", re.I),
     rf"\1\2{REDACTED}"),
    # hashes and keys written in hex: 64 digits (SHA-256, keys), 128 (SHA-512, signatures)
    (re.compile(r"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64})(?![0-9a-fA-F])"),
     "[redacted hex]"),
]
_known_secrets: set[str] = set()
_secrets_lock = threading.Lock()
MIN_SECRET_LENGTH = 4  # shorter values would blank out ordinary words


def remember_secret(value: str | None) -> None:
    """A password this process was given: never written anywhere `redact()` guards."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _known_secrets.add(value)


def _secrets() -> list[str]:
    values = {os.environ.get(name, "") for name in SECRET_ENVS}
    with _secrets_lock:
        values |= _known_secrets
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with anything that looks like a password, a key or a hash replaced."""
    for secret in _secrets():
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# -- context -----------------------------------------------------------------------------------

_context: dict[str, str] = {}


def set_context(**values: str | os.PathLike[str] | None) -> None:
    """What every following line says about where it comes from: `command`, `page`, `folder`,
    `user` (None or "" removes an entry)."""
    for key, value in values.items():
        if value:
            _context[key] = str(value)
        else:
            _context.pop(key, None)


def context_text() -> str:
    order = ("command", "page", "folder", "user")
    return " ".join(f"{key}={_context[key]}" for key in order if key in _context)


class RedactingFilter(logging.Filter):
    """Adds the context to each record and takes secrets out of its message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.partdesk_context = context_text()
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is still logged
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """The last guard: the whole formatted line is redacted once more."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "partdesk_context"):
            record.partdesk_context = context_text()
        return redact(super().format(record))


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotation that gives way: when another PartDesk process holds the file (Windows refuses
    to rename an open file), this one keeps writing to the current file."""

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        try:
            super().doRollover()
        except OSError:
            if self.stream is None or self.stream.closed:
                self.stream = self._open()


# -- where the log lives -----------------------------------------------------------------------


def default_log_dir() -> Path:
    env = os.environ.get(LOG_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _usable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


_active: list[LogSession] = []


def current_log_file() -> Path | None:
    """The file the running entry point logs to (None when nothing is written)."""
    return _active[-1].log_file if _active else None


class LogSession:
    """The handler, the crash file and the hooks one entry point installed; `close()` puts
    everything back (tests start many in one process)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.handler: logging.Handler | None = None
        self.crash_file: IO[str] | None = None
        self._fault_was_enabled = False
        self._hooks: tuple[Any, Any] | None = None
        self._app_level = logging.NOTSET

    @property
    def log_file(self) -> Path | None:
        return self.folder / LOG_FILE_NAME if self.folder is not None and self.handler else None

    def install_hooks(self, on_unexpected: Callable[[BaseException], None] | None = None) -> None:
        """One exception hook for the main thread, other threads (and Qt's event loop, which
        hands an exception in a slot to `sys.excepthook`): the traceback goes to the log, then
        `on_unexpected(exc)` tells the person in one sentence."""
        if self._hooks is None:
            self._hooks = (sys.excepthook, threading.excepthook)

        def hook(kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, exc, tb)
                return
            log.critical("unexpected error", exc_info=(kind, exc, tb))
            if on_unexpected is None:  # the command line: one line on stderr, if there is one
                if sys.stderr is not None:
                    where = f" Details: {self.log_file}" if self.log_file else ""
                    print(f"Unexpected error ({kind.__name__}).{where}", file=sys.stderr)
            else:
                try:
                    on_unexpected(exc)
                except Exception:  # noqa: BLE001 - the report must not raise from the hook
                    log.exception("the unexpected error could not be shown")

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is None or issubclass(args.exc_type, SystemExit):
                return
            hook(args.exc_type, args.exc_value, args.exc_traceback)

        sys.excepthook = hook
        threading.excepthook = thread_hook

    def close(self) -> None:
        if self in _active:
            _active.remove(self)
        if self._hooks is not None:
            sys.excepthook, threading.excepthook = self._hooks
            self._hooks = None
        if self.handler is not None:
            logging.getLogger().removeHandler(self.handler)
            self.handler.close()
            self.handler = None
            logging.getLogger("desktop_app").setLevel(self._app_level)
        if self.crash_file is not None:
            faulthandler.disable()
            if self._fault_was_enabled and sys.__stderr__ is not None:
                faulthandler.enable(sys.__stderr__)
            self.crash_file.close()
            self.crash_file = None
        _context.clear()


def start_logging(folder_candidates: Iterable[Path] = (), command: str = "",
                  data_folder: Path | None = None) -> LogSession:
    """The rotating log and the crash file in the first usable folder: `$PARTDESK_LOG_DIR`
    or the user log folder, then `folder_candidates` (the data folder's `logs/`). Without a
    usable folder nothing is written and everything else works."""
    _context.clear()
    set_context(command=command, folder=data_folder)
    session = LogSession()
    _active.append(session)
    for folder in (default_log_dir(), *folder_candidates):
        if _usable(folder):
            try:
                handler = SharedRotatingFileHandler(folder / LOG_FILE_NAME, maxBytes=MAX_BYTES,
                                                    backupCount=BACKUP_COUNT, encoding="utf-8")
            except OSError:
                continue
            session.folder = folder
            break
    else:
        return session
    handler.setLevel(logging.INFO)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter(_FORMAT))
    logging.getLogger().addHandler(handler)
    app_logger = logging.getLogger("desktop_app")
    session._app_level = app_logger.level
    app_logger.setLevel(logging.INFO)  # PartDesk's own start lines; other libraries: warnings
    session.handler = handler
    try:
        session.crash_file = open(folder / CRASH_FILE_NAME, "a", encoding="utf-8")  # noqa: SIM115
        session._fault_was_enabled = faulthandler.is_enabled()
        faulthandler.enable(session.crash_file)
    except (OSError, RuntimeError):
        session.crash_file = None
    log.info("PartDesk %s started (Python %s, %s)", __version__, sys.version.split()[0],
             command or "window")
    return session


def tail(paths: Iterable[Path], lines: int) -> list[str]:
    """The last `lines` lines of the files taken in order (oldest first), redacted."""
    kept: list[str] = []
    for path in paths:
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:
                kept.extend(fh.read().splitlines())
        except OSError:
            continue
        kept = kept[-lines:]
    return redact("\n".join(kept)).splitlines()  # whole, so a PEM block is seen as one


def log_files(folder: Path) -> list[Path]:
    """The log file and its rotated copies, oldest first."""
    rotated = [folder / f"{LOG_FILE_NAME}.{n}" for n in range(BACKUP_COUNT, 0, -1)]
    return [p for p in (*rotated, folder / LOG_FILE_NAME) if p.exists()]
