"""Typed settings over an INI file in the data folder.

`prefs/...` are choices a person makes; `state/...` is window geometry and last folders. Each key
has a type and a default; `VERSION` and `_upgrade()` move old files forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

VERSION = 1


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    default: T


LANGUAGE = Key[str]("prefs/language", "")  # empty: the system's language
IDLE_LOCK_MINUTES = Key[int]("prefs/idle_lock_minutes", 15)
ATTACHMENT_LIMIT_MB = Key[int]("prefs/attachment_limit_mb", 200)
CERTIFICATE_LANGUAGES = Key[str]("prefs/certificate_languages", "fr,en")
LAST_USER = Key[str]("state/last_user", "")
LAST_FOLDER = Key[str]("state/last_folder", "")
MAIN_GEOMETRY = Key[bytes]("state/main_window_geometry", b"")
MAIN_STATE = Key[bytes]("state/main_window_state", b"")
LAST_PAGE = Key[str]("state/last_page", "")


class Settings:
    def __init__(self, path: Path) -> None:
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def get(self, key: Key[T]) -> T:
        raw = self._qs.value(key.name, None)
        if raw is None:
            return key.default
        default = key.default
        try:
            if isinstance(default, bool):
                return (raw in (True, "true", "1", 1)) if not isinstance(raw, bool) else raw  # type: ignore[return-value]
            if isinstance(default, int):
                return int(raw)  # type: ignore[return-value]
            if isinstance(default, bytes):
                return bytes(raw.data() if isinstance(raw, QByteArray) else raw)  # type: ignore[return-value]
            return str(raw)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return key.default

    def set(self, key: Key[T], value: T) -> None:
        stored: Any = QByteArray(value) if isinstance(value, bytes) else value
        self._qs.setValue(key.name, stored)

    def sync(self) -> None:
        self._qs.sync()

    @property
    def path(self) -> Path:
        """The settings file (written on `sync`)."""
        return Path(self._qs.fileName())

    def _upgrade(self) -> None:
        version = int(self._qs.value("meta/version", 0) or 0)
        if version < VERSION:
            # Version 1 is the first layout; later versions rename or convert keys here.
            self._qs.setValue("meta/version", VERSION)
