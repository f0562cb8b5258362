"""Where PartDesk's files live: the data folder of a site and the read-only resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

APP_NAME = "PartDesk"
DATA_DIR_ENV = "PARTDESK_DATA_DIR"


def app_root() -> Path:
    """The folder that holds `resources/` and `db/`: the checkout, or PyInstaller's bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return app_root() / "resources"


def migrations_dir() -> Path:
    return app_root() / "db" / "migrations"


def default_data_dir() -> Path:
    import platformdirs  # imported when needed: it is on the path to the first window

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def ensure_writable(folder: Path) -> Path:
    """Create the folder if needed and prove it can be written; one clear sentence if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # os.open rather than tempfile, whose import weighs on the start of the window
        probe = folder / f".write-test-{os.getpid()}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        probe.unlink()
    except OSError as exc:
        raise StorageError(
            QT_TRANSLATE_NOOP(
                "Errors", "The data folder {folder} cannot be written ({detail}); choose another."
            ),
            folder=str(folder),
            detail=exc.strerror or type(exc).__name__,
        ) from exc
    return folder


class DataFolder:
    """The layout of one site's data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def database(self) -> Path:
        return self.root / "partdesk.sqlite3"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def signing_key(self) -> Path:
        return self.keys / "site-ed25519.pem"

    @property
    def plant_pc_key(self) -> Path:
        """This PC's key-encryption key for the plant's site key (a PC of a plant only)."""
        return self.keys / "plant-pc.json"

    @property
    def plant_config(self) -> Path:
        """Where this PC's plant database is (`partdesk plant init` / `plant join` write it)."""
        return self.root / "plant.json"

    @property
    def audit_anchor(self) -> Path:
        """The latest sealed head of the audit log, kept outside the database (beside the key)."""
        return self.keys / "audit-head.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def damaged(self) -> Path:
        """Where a damaged database is kept when a backup is restored over it."""
        return self.root / "damaged"

    @property
    def settings(self) -> Path:
        return self.root / "settings.ini"

    @property
    def exports(self) -> Path:
        return self.root / "exports"


PLANT_CONFIG_FORMAT = "partdesk-plant/1"


def configured_database_url(folder: DataFolder) -> str | None:
    """The database URL a PC of a plant was set up with, None for a folder of its own.

    Read before anything is opened, so a plant PC's folder (a cache: no SQLite database beside
    its keys) is never taken for a damaged one. A file that cannot be read is one sentence."""
    import json

    try:
        raw = folder.plant_config.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(_PLANT_CONFIG_UNREADABLE, path=str(folder.plant_config),
                           detail=exc.strerror or type(exc).__name__) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        url = data["database_url"] if data.get("format") == PLANT_CONFIG_FORMAT else None
    except (UnicodeDecodeError, ValueError, AttributeError, KeyError, TypeError) as exc:
        raise StorageError(_PLANT_CONFIG_UNREADABLE, path=str(folder.plant_config),
                           detail=type(exc).__name__) from exc
    if not isinstance(url, str) or not url.strip():
        raise StorageError(_PLANT_CONFIG_UNREADABLE, path=str(folder.plant_config),
                           detail="no database_url")
    return url.strip()


_PLANT_CONFIG_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors", "This PC's plant settings {path} cannot be read ({detail}); run 'partdesk plant "
    "join --database-url URL --code CODE' again with a join code from an administrator.")
