"""Diagnostics for plant IT: one zip that says what runs where and what state the folder is in.

What goes in: versions (PartDesk, Python, Qt, the libraries, the SQLite library), the platform,
the settings file with anything secret removed, the output of `verify`, the schema version, the
number of records of each type, and the last lines of the log. What never goes in: the site's
private key, the database or any file of the folder, passwords, password hashes. Every member is
written through `logs.redact()`, and the text of the private key is taken out once more by
value, so even a log line written before redaction existed cannot carry it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import locale
import os
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy import func, select

from desktop_app import __version__, logs
from desktop_app.domain.errors import Cancelled, PartDeskError, StorageError
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import utc_now
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import migrations_dir
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.services.integrity import IntegrityService
from desktop_app.storage import migrations
from desktop_app.storage.models.core import AuditEntry, Person, RecordRow, RevisionRow

LOG_LINES = 500
CRASH_LINES = 200
# label: (distribution names, module whose __version__ answers in a build without metadata).
# Qt and PySide6 come from the caller (`extra_versions`): this layer does not import Qt.
LIBRARIES = {
    "PySide6": (("PySide6-Essentials", "PySide6"), ""),
    "SQLAlchemy": (("SQLAlchemy",), "sqlalchemy"),
    "Alembic": (("alembic",), "alembic"),
    "reportlab": (("reportlab",), "reportlab"),
    "cryptography": (("cryptography",), "cryptography"),
    "argon2-cffi": (("argon2-cffi",), ""),
    "openpyxl": (("openpyxl",), "openpyxl"),
    "python-calamine": (("python-calamine",), ""),
    "pypdf": (("pypdf",), "pypdf"),
    "platformdirs": (("platformdirs",), "platformdirs"),
}
# Settings whose name says secret are left out whole, not only redacted.
_SECRET_KEY = re.compile(r"password|passwd|passphrase|secret|token|private|credential|hash", re.I)
_README = """PartDesk diagnostics, for plant IT.

Made {when} by {user} with PartDesk {version}, for the data folder
{folder}

versions.json   PartDesk, Python, Qt and library versions, the SQLite library
platform.json   operating system, machine, encoding, how PartDesk was started
settings.ini    the settings file, secrets and window geometry left out
verify.txt      the output of 'partdesk verify'
database.json   schema version, number of records of each type, sizes
log.txt         the last {lines} lines of the log ({log})
crash.txt       the last lines of crash.log (stacks of a hard crash), when there is one

Nothing secret is in this file: no private key, no database, no passwords, no password hashes;
long hex strings (keys, hashes) in the log are shown as [redacted hex].
"""


@dataclass(frozen=True)
class DiagnosticsSummary:
    path: Path
    members: list[str]
    problems: int  # lines of verify output; 0 when every check passed


def sanitized_settings(text: str) -> str:
    """An INI text without the values of secret-looking keys, without binary blobs (window
    geometry), and redacted."""
    lines = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if not sep or line.lstrip().startswith(("[", ";", "#")):
            lines.append(line)
        elif _SECRET_KEY.search(key):
            lines.append(f"{key}{sep}{logs.REDACTED}")
        elif value.strip().startswith("@ByteArray("):
            lines.append(f"{key}{sep}<binary, {len(value)} characters>")
        else:
            lines.append(f"{key}{sep}{value}")
    return logs.redact("\n".join(lines) + "\n")


def library_versions(extra: Mapping[str, str] = {}) -> dict[str, str]:  # noqa: B006 - read only
    versions = {
        "PartDesk": __version__,
        "Python": sys.version.replace("\n", " "),
        "SQLite library": sqlite3.sqlite_version,
    }
    for label, (distributions, module) in LIBRARIES.items():
        versions[label] = _version(distributions, module)
    versions.update(extra)
    return versions


def _version(distributions: tuple[str, ...], module: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if module:
        try:
            return str(getattr(importlib.import_module(module), "__version__", "unknown"))
        except ImportError:
            pass
    return "not installed"


def platform_facts() -> dict[str, str]:
    return {
        "platform": platform.platform(),
        "system": platform.system(),
        "release": platform.release(),
        "version": platform.version(),
        "machine": platform.machine(),
        "python implementation": platform.python_implementation(),
        "executable": sys.executable,
        "frozen (installed build)": str(bool(getattr(sys, "frozen", False))),
        "file system encoding": sys.getfilesystemencoding(),
        "preferred encoding": locale.getpreferredencoding(False),
        "processors": str(os.cpu_count() or 0),
    }


class DiagnosticsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def collect(
        self,
        actor: Actor,
        out: Path,
        settings_file: Path | None = None,
        log_folder: Path | None = None,
        extra_versions: Mapping[str, str] = {},  # noqa: B006 - read only
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> DiagnosticsSummary:
        """Write the zip to `out` (replaced whole, or left as it was on failure)."""
        actor.require(Permission.VIEW)
        if log_folder is None:
            current = logs.current_log_file()
            log_folder = current.parent if current is not None else None
        members: dict[str, str] = {}
        steps = 5

        def step(done: int, message: str) -> None:
            if cancelled():
                raise Cancelled()
            progress(done, steps, message)

        step(0, "versions")
        members["versions.json"] = _json(library_versions(extra_versions))
        members["platform.json"] = _json(platform_facts())
        if settings_file is not None and settings_file.exists():
            members["settings.ini"] = sanitized_settings(
                settings_file.read_text(encoding="utf-8", errors="replace"))
        step(1, "verify")
        members["verify.txt"] = self._verify(cancelled)
        step(2, "database")
        members["database.json"] = _json(self._database_facts())
        step(3, "log")
        if log_folder is not None:
            members["log.txt"] = "\n".join(logs.tail(logs.log_files(log_folder), LOG_LINES)) + "\n"
            crash = logs.tail([log_folder / logs.CRASH_FILE_NAME], CRASH_LINES)
            if crash:
                members["crash.txt"] = "\n".join(crash) + "\n"
        members["README.txt"] = _README.format(
            when=utc_now(), user=actor.username, version=__version__,
            folder=self._ctx.folder.root, lines=LOG_LINES,
            log=log_folder if log_folder is not None else "no log file")
        step(4, "writing")
        self._write(out, members)
        progress(steps, steps, "done")
        problems = members["verify.txt"]
        return DiagnosticsSummary(
            out, sorted(members),
            0 if problems.startswith("All checks passed") else len(problems.splitlines()))

    # -- members -----------------------------------------------------------------------------

    def _verify(self, cancelled: IsCancelled) -> str:
        try:
            problems = IntegrityService(self._ctx).verify(cancelled=cancelled)
        except PartDeskError as exc:
            return f"verify could not run: {exc.message()}\n"
        if not problems:
            return "All checks passed: database, audit log, revisions and files.\n"
        return "\n".join(str(line) for line in problems) + "\n"

    def _database_facts(self) -> dict[str, object]:
        ctx = self._ctx
        db = ctx.db
        facts: dict[str, object] = {
            "dialect": db.engine.dialect.name,
            "server version": ".".join(map(str, db.engine.dialect.server_version_info or ())),
            "data folder": str(ctx.folder.root),
            "schema version": sorted(migrations.current_heads(db)),
            "schema version of this release": sorted(migrations.script_heads(migrations_dir())),
        }
        if db.path is not None:
            facts["database file size"] = _size(db.path)
        with db.session() as session:
            rows = session.execute(
                select(RecordRow.record_type, RecordRow.deleted, func.count())
                .group_by(RecordRow.record_type, RecordRow.deleted)
            ).all()
            records: dict[str, dict[str, int]] = {}
            for record_type, deleted, count in rows:
                kind = records.setdefault(record_type, {"current": 0, "deleted": 0})
                kind["deleted" if deleted else "current"] += count
            facts["records by type"] = dict(sorted(records.items()))
            facts["revisions"] = session.scalar(select(func.count()).select_from(RevisionRow))
            facts["audit entries"] = session.scalar(select(func.count()).select_from(AuditEntry))
            facts["people"] = session.scalar(select(func.count()).select_from(Person))
        blobs = [p for p in ctx.folder.blobs.rglob("*") if p.is_file()] \
            if ctx.folder.blobs.exists() else []
        facts["stored files"] = {"count": len(blobs), "bytes": sum(_size(p) for p in blobs)}
        backups = sorted(p.name for p in ctx.folder.backups.glob("*")) \
            if ctx.folder.backups.exists() else []
        facts["backups"] = {"count": len(backups), "names": backups[-10:]}
        facts["site key present"] = ctx.folder.signing_key.exists()
        return facts

    # -- writing -----------------------------------------------------------------------------

    def _private_key_lines(self) -> list[str]:
        try:
            text = self._ctx.folder.signing_key.read_text(encoding="ascii", errors="replace")
        except OSError:
            return []
        return [line.strip() for line in text.splitlines()
                if len(line.strip()) >= 16 and not line.startswith("-----")]

    def _write(self, out: Path, members: dict[str, str]) -> None:
        key_lines = self._private_key_lines()
        partial = out.with_name(out.name + ".part")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(members):
                    text = logs.redact(members[name])
                    for line in key_lines:
                        text = text.replace(line, logs.REDACTED)
                    archive.writestr(f"partdesk-diagnostics/{name}", text)
            os.replace(partial, out)
        except OSError as exc:
            _discard(partial)
            raise StorageError(
                QT_TRANSLATE_NOOP("Errors", "The diagnostics file {path} cannot be written "
                                            "({detail})."),
                path=str(out), detail=exc.strerror or type(exc).__name__,
            ) from exc
        except BaseException:
            _discard(partial)
            raise


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
