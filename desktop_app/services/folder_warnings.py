"""What a person must know about where and when they work, said at every start (window and
command line), each with its reason: a data folder on a removable drive, a network share or a
cloud-synced folder, and a clock set earlier than the last change recorded here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from desktop_app.domain.errors import CONTEXT
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.services.context import ServiceContext
from desktop_app.storage.location import Location, Risk, risky_location

_LOCATION = {
    Risk.REMOVABLE: QT_TRANSLATE_NOOP(
        "Errors",
        "The data folder {folder} is on a removable drive ({detail}): if the drive is pulled out "
        "while PartDesk writes, the last work can be lost or the database damaged. Keep the data "
        "folder on this computer's own disk and carry sync packages on the drive instead.",
    ),
    Risk.NETWORK: QT_TRANSLATE_NOOP(
        "Errors",
        "The data folder {folder} is on a network drive ({detail}): the database cannot be "
        "locked safely over the network and a dropped connection can damage it. Keep the data "
        "folder on this computer's own disk; PCs share a plant's data through PostgreSQL.",
    ),
    Risk.CLOUD: QT_TRANSLATE_NOOP(
        "Errors",
        "The data folder {folder} is inside a cloud-synced folder ({detail}): the sync program "
        "copies the database while it is written and can bring back an old or half-written "
        "copy. Move the data folder out of the synced folder.",
    ),
}
_CLOCK_BEHIND = QT_TRANSLATE_NOOP(
    "Errors",
    "This computer's clock says {now}, earlier than the last change recorded here ({last}): "
    "check the date and time settings. Until then, validity and due dates are judged from "
    "{last_day}.",
)
CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class FolderWarning:
    kind: str  # "removable", "network", "cloud" or "clock"
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def sentence(self, translate: Translate = untranslated) -> str:
        return translate(CONTEXT, self.template).format(**self.params)


def location_warning(ctx: ServiceContext, location: Location | None = None
                     ) -> FolderWarning | None:
    if not ctx.db.is_sqlite:
        return None  # the database is on a server; the folder holds a cache
    found = location if location is not None else risky_location(ctx.folder.root)
    if found is None:
        return None
    return FolderWarning(found.risk.value, _LOCATION[found.risk],
                         {"folder": str(ctx.folder.root), "detail": found.detail})


def clock_warning(ctx: ServiceContext) -> FolderWarning | None:
    latest = ctx.last_recorded_at()
    if not latest:
        return None
    try:
        last = datetime.fromisoformat(latest)
        now = datetime.fromisoformat(ctx.clock())
    except ValueError:
        return None
    if now >= last - CLOCK_TOLERANCE:
        return None
    local_last = last.astimezone()
    return FolderWarning("clock", _CLOCK_BEHIND, {
        "now": now.astimezone().strftime("%Y-%m-%d %H:%M"),
        "last": local_last.strftime("%Y-%m-%d %H:%M"),
        "last_day": local_last.date().isoformat()})


def folder_warnings(ctx: ServiceContext) -> list[FolderWarning]:
    """Every warning that holds now, the place first."""
    return [w for w in (location_warning(ctx), clock_warning(ctx)) if w is not None]
