"""The child process of the crash loop (tests/crash/test_crash_loop.py).

Started early, it imports PartDesk and prints LOADED; then it reads one JSON line of work from
stdin, opens the data folder like the command line does (the folder's lock, migrations, sign-in)
and prints READY. It then runs one kind of operation in a loop until it is killed, printing
"BEGIN <op> <key>" before each operation and "ACK <op> <key>" once it has returned, that is once
its transaction has committed. Every line is flushed: an ACK the parent reads was acknowledged.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import struct
import sys
import zlib
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from desktop_app.paths import DataFolder
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.backup import BackupService
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.parts import PartService
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.people import PeopleService
from desktop_app.services.sync import SyncService
from desktop_app.storage.lock import DataFolderLock
from desktop_app.storage.models.parts import Supplier

PARTS_PER_FILE = 40
HEADER = ["Référence", "Indice", "Désignation", "Masse (kg)"]
STATE_X = "restore state X"
STATE_Y = "restore state Y"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def parts_file(path: Path, batch: str) -> None:
    rows = [[f"{batch}-{r:02d}", "A", f"Pièce {r} du lot {batch}", "0,25"]
            for r in range(PARTS_PER_FILE)]
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        for row in [HEADER, *rows]:
            sheet.append(row)
        book.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows([HEADER, *rows])


def png_file(path: Path, seed: bytes) -> None:
    """A small real PNG whose pixels come from `seed` (so each file is different)."""
    width, height = 16, 16
    pixels = (hashlib.sha256(seed).digest() * 64)[: height * width * 3]
    raw = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def run_parts(ctx: ServiceContext, actor, work: Path, tag: str) -> None:
    service = PartsImportService(ctx)
    for n in range(1, 10_000):
        batch = f"K{tag}-{n:03d}"
        path = work / f"{batch}.{'xlsx' if n % 2 else 'csv'}"
        parts_file(path, batch)
        say(f"BEGIN parts {batch}")
        service.apply(actor, path)
        say(f"ACK parts {batch}")


def run_sync(ctx: ServiceContext, actor, work: Path, start: int, packages: list[str]) -> None:
    service = SyncService(ctx)
    for index in range(start, len(packages)):
        say(f"BEGIN sync {index}")
        summary = service.import_package(actor, work / packages[index])
        assert summary.applied, packages[index]
        say(f"ACK sync {index}")
    say("DONE")


def run_attach(ctx: ServiceContext, actor, work: Path, tag: str) -> None:
    service = AttachmentService(ctx)
    part_id = PartService(ctx).find("ATT-1").part_id
    for n in range(1, 10_000):
        name = f"reading-{tag}-{n:03d}"
        if n % 2:
            path = work / f"{name}.png"
            png_file(path, name.encode())
        else:
            path = work / f"{name}.csv"
            path.write_text("".join(f"{name};{i};{os.urandom(8).hex()}\n" for i in range(300)),
                            encoding="utf-8")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        say(f"BEGIN attach {sha}")
        service.attach_file(actor, part_id, path, "test_report")
        say(f"ACK attach {sha}")


def run_backup(ctx: ServiceContext, actor, work: Path, tag: str) -> None:
    service = BackupService(ctx)
    for n in range(1, 10_000):
        name = f"supplier {tag}-{n:03d}"
        say(f"BEGIN supplier {name}")
        with ctx.unit_of_work() as uow:
            uow.records.create("supplier", {"name": name}, actor, "crash loop")
        say(f"ACK supplier {name}")
        say("BEGIN backup -")
        info = service.backup(actor)
        say(f"ACK backup {info.path.name}")


def restored_state(ctx: ServiceContext) -> str:
    """Which of the two backups the database holds: Y has both suppliers, X only the first."""
    with ctx.unit_of_work() as uow:
        names = set(uow.session.execute(select(Supplier.name)).scalars())
    return "Y" if STATE_Y in names else "X"


def run_restore(ctx: ServiceContext, actor, work: Path, backups: dict[str, str]) -> None:
    service = BackupService(ctx)
    while True:
        target = "X" if restored_state(ctx) == "Y" else "Y"
        say(f"BEGIN restore {target}")
        service.restore(actor, ctx.folder.backups / backups[target])
        say(f"ACK restore {target}")


def main() -> None:
    say("LOADED")
    job = json.loads(sys.stdin.readline())
    folder = DataFolder(Path(job["folder"]))
    lock = DataFolderLock(folder.root)
    lock.acquire()
    ctx = open_context(folder)
    actor = PeopleService(ctx).sign_in(job["user"], os.environ["PARTDESK_PASSWORD"])
    work = Path(job["work"])
    say("READY")
    mode = job["mode"]
    if mode == "parts":
        run_parts(ctx, actor, work, job["tag"])
    elif mode == "sync":
        run_sync(ctx, actor, work, job["start"], job["packages"])
    elif mode == "attach":
        run_attach(ctx, actor, work, job["tag"])
    elif mode == "backup":
        run_backup(ctx, actor, work, job["tag"])
    elif mode == "restore":
        run_restore(ctx, actor, work, job["backups"])
    sys.stdin.readline()  # wait to be killed


if __name__ == "__main__":
    main()
