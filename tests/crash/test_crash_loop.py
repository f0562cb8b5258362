"""The crash loop: kill -9 at random moments during parts imports, sync imports, attachments,
backups and restores; after every kill, every acknowledged write is there, no import is half
applied, and the folder verifies.

A driver process (tests/crash/driver.py) runs one kind of operation in a loop and prints an
acknowledgement after each one that committed; the parent kills it with SIGKILL at a random
moment (the seed is printed), then opens the folder afresh and checks it. `PARTDESK_KILLS` sets
how many kills in all (default 25), shared round robin by the five kinds; `PARTDESK_CRASH_SEED`
replays a run's kill moments (the processes' timing still varies).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.paths import DataFolder
from desktop_app.services.backup import KEEP, check_backup_file, head_file
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.parts_import import PartsImportService
from desktop_app.storage.models.core import RecordRow, RevisionRow
from desktop_app.storage.models.evidence import Attachment
from desktop_app.storage.models.parts import Part, Supplier
from desktop_app.storage.models.sync import PackageLog
from desktop_app.sync.package import read_package
from tests.conftest import PASSWORD
from tests.crash.driver import PARTS_PER_FILE, STATE_X, STATE_Y
from tests.sync.sites import make_sites

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MODES = ("parts", "sync", "attach", "backup", "restore")
USERS = {"parts": "eng", "sync": "eng", "attach": "eng", "backup": "admin", "restore": "admin"}
# How long after READY a kill may come: a few operations of each kind.
SPAN = {"parts": 0.5, "sync": 0.6, "attach": 0.25, "backup": 0.3, "restore": 0.4}
PACKAGES = 30


def kills_wanted() -> int:
    return int(os.environ.get("PARTDESK_KILLS", "25"))


def _driver() -> subprocess.Popen:
    env = {**os.environ, "PARTDESK_PASSWORD": PASSWORD}
    return subprocess.Popen([sys.executable, "-m", "tests.crash.driver"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def _record_ids(database: Path) -> frozenset[str]:
    import sqlite3

    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return frozenset(r for (r,) in conn.execute("SELECT record_id FROM records"))
    finally:
        conn.close()


@dataclass
class Lane:
    """One kind of operation on its own data folder, with what was acknowledged there."""

    mode: str
    template: Path
    folder: Path
    work: Path
    extra: dict = field(default_factory=dict)
    acked: list[str] = field(default_factory=list)
    state: str = "Y"  # restore: which backup the folder holds now
    kills: int = 0
    mid_operation: int = 0  # kills with an operation begun and not acknowledged
    acknowledged: int = 0
    lost: set[str] = field(default_factory=set)
    partial: set[str] = field(default_factory=set)

    def reset(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.copytree(self.template, self.folder)
        self.acked.clear()
        self.state = "Y"

    def job(self, cycle: int) -> dict:
        job = {"mode": self.mode, "folder": str(self.folder), "work": str(self.work),
               "user": USERS[self.mode], "tag": f"{cycle:04d}"}
        if self.mode == "sync":
            job["packages"] = self.extra["names"]
            job["start"] = self.extra["next"]
        if self.mode == "restore":
            job["backups"] = self.extra["backups"]
        return job

    def check(self, ctx: ServiceContext, in_flight: str | None) -> tuple[list[str], list[str]]:
        """After a kill: the acknowledged writes that are missing, and what is half applied."""
        return getattr(self, f"_check_{self.mode}")(ctx, in_flight)

    def _check_parts(self, ctx, in_flight):
        with ctx.unit_of_work() as uow:
            numbers = uow.session.execute(select(Part.part_number).where(
                Part.part_number.like("K%"))).scalars()
            batches = Counter(n.rsplit("-", 1)[0] for n in numbers)
        lost = [f"parts import {b} is missing" for b in self.acked if b not in batches]
        partial = [f"parts import {b} half applied: {n} of {PARTS_PER_FILE} rows"
                   for b, n in batches.items() if n != PARTS_PER_FILE]
        return lost, partial

    def _check_sync(self, ctx, in_flight):
        lost, partial = [], []
        with ctx.unit_of_work() as uow:
            logged = set(uow.session.execute(select(PackageLog.package_id).where(
                PackageLog.direction == "received")).scalars())
            for index, (package_id, new) in enumerate(self.extra["packages"]):
                present = len(uow.session.execute(select(RevisionRow.rev_id).where(
                    RevisionRow.rev_id.in_(new))).scalars().all())
                applied = package_id in logged
                if present not in (0, len(new)) or (present == len(new)) != applied:
                    partial.append(f"package {index} half applied: {present} of {len(new)} "
                                   f"revisions, logged as imported: {applied}")
                if str(index) in self.acked and not (applied and present == len(new)):
                    lost.append(f"package {index} is missing ({present} of {len(new)} "
                                f"revisions, logged as imported: {applied})")
        self.extra["next"] = sum(1 for p, _ in self.extra["packages"] if p in logged)
        return lost, partial

    def _check_attach(self, ctx, in_flight):
        with ctx.unit_of_work() as uow:
            rows = set(uow.session.execute(select(Attachment.blob_sha256)).scalars())
        lost = [f"attachment {sha[:12]} is missing" for sha in self.acked if sha not in rows]
        partial = [f"attachment {sha[:12]} without its file" for sha in rows
                   if not ctx.blobs.path(sha).is_file() or ctx.blobs.hash_of(sha) != sha]
        return lost, partial

    def _check_backup(self, ctx, in_flight):
        with ctx.unit_of_work() as uow:
            names = set(uow.session.execute(select(Supplier.name)).scalars())
        lost = [f"{n} is missing" for n in self.acked if n.startswith("supplier ")
                and n not in names]
        copies = sorted(p.name for p in ctx.folder.backups.glob("manual-*.sqlite3"))
        for name in (n for n in self.acked if n.startswith("manual-")):
            path = ctx.folder.backups / name
            if not path.exists():
                if sum(1 for c in copies if c > name) < KEEP:  # not rotated away: lost
                    lost.append(f"backup {name} is missing")
                continue
            try:
                check_backup_file(path)
            except Exception as exc:  # noqa: BLE001 - a backup that does not check is lost
                lost.append(f"backup {name} does not check: {exc}")
            if not head_file(path).is_file():
                lost.append(f"backup {name} is without its audit head")
        return lost, []

    def _check_restore(self, ctx, in_flight):
        with ctx.unit_of_work() as uow:
            names = set(uow.session.execute(select(Supplier.name)).scalars())
            records = frozenset(uow.session.execute(select(RecordRow.record_id)).scalars())
        state = "Y" if STATE_Y in names else "X"
        # The last acknowledged restore's state; or, killed during the next, that one's too.
        expected = {self.acked[-1] if self.acked else self.state}
        if in_flight:
            expected.add(in_flight)
        lost = [] if state in expected else [
            f"restore: the folder holds {state}, expected {' or '.join(sorted(expected))}"]
        partial = [] if records == self.extra["records"][state] else [
            f"restore: the database is neither backup ({len(records)} records)"]
        self.state = state
        self.acked.clear()
        return lost, partial


def _build_lanes(tmp: Path) -> list[Lane]:
    a, b = make_sites(tmp / "sites", "AAA", "BBB")
    packages = tmp / "packages"
    packages.mkdir()
    names, contents, seen = [], [], set()
    for k in range(PACKAGES):
        for i in range(3):
            a.create({"title": f"supplier {k}-{i}", "round": k})
        a.create({"title": f"drawing-{k}.pdf",
                  "blob_sha256": a.ctx.blobs.put_bytes(os.urandom(20_000)).sha256})
        path = a.export(packages, to="BBB")
        package = read_package(path, b.keys.lookup)
        new = {r.rev_id for r in package.revisions} - seen
        seen |= new
        names.append(path.name)
        contents.append((package.manifest["package_id"], new))

    parts = tmp / "att.csv"
    parts.write_text("Référence;Indice;Désignation\nATT-1;A;Support\n", encoding="utf-8")
    PartsImportService(b.ctx).apply(b.engineer, parts)
    from desktop_app.services.backup import BackupService

    backups = {}
    for state, supplier in (("X", STATE_X), ("Y", STATE_Y)):
        b.create({"title": supplier})
        backups[state] = BackupService(b.ctx).backup(b.admin).path.name
        time.sleep(0.01)  # distinct names
    template = b.ctx.folder.root
    b.ctx.close()
    a.ctx.close()
    records = {s: _record_ids(template / "backups" / n) for s, n in backups.items()}
    lanes = []
    for mode in MODES:
        work = packages if mode == "sync" else tmp / f"work-{mode}"
        work.mkdir(exist_ok=True)
        extra = {"sync": {"names": names, "packages": contents, "next": 0},
                 "restore": {"backups": backups, "records": records}}.get(mode, {})
        lane = Lane(mode, template, tmp / f"lane-{mode}", work, extra)
        lane.reset()
        lanes.append(lane)
    return lanes


def _cli_verify(folder: Path) -> tuple[int, str]:
    run = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(folder),
                          "verify"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return run.returncode, run.stderr


def test_crash_loop(tmp_path, capsys):
    kills = kills_wanted()
    seed = int(os.environ.get("PARTDESK_CRASH_SEED") or random.SystemRandom().randrange(10**6))
    rng = random.Random(seed)
    lanes = _build_lanes(tmp_path)
    only = os.environ.get("PARTDESK_CRASH_ONLY", "").split(",")  # e.g. "restore,backup"
    active = [lane for lane in lanes if lane.mode in only] or lanes
    verified = 0
    problems: list[str] = []
    spare = _driver()
    started = time.monotonic()
    elapsed = 0.0
    try:
        for cycle in range(kills):
            lane = active[cycle % len(active)]
            if lane.mode == "sync" and lane.extra["next"] >= PACKAGES:
                lane.reset()  # every package is in: start again from the template
                lane.extra["next"] = 0
            process, spare = spare, _driver()
            assert process.stdout is not None and process.stdin is not None
            assert process.stdout.readline().strip() == "LOADED"
            process.stdin.write(json.dumps(lane.job(cycle)) + "\n")
            process.stdin.flush()
            ready = process.stdout.readline().strip()
            delay = rng.uniform(0, SPAN[lane.mode])
            where = f"kill {cycle + 1} ({lane.mode}, seed {seed}, {delay * 1000:.0f} ms)"
            assert ready == "READY", f"{where}: the driver did not start: {ready!r}"
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            in_flight = None
            for line in process.stdout.read().splitlines():
                word, _, rest = line.partition(" ")
                op, _, key = rest.partition(" ")
                if word == "BEGIN":
                    in_flight = key
                elif word == "ACK":
                    in_flight = None
                    lane.acked.append(key)
                    lane.acknowledged += 1
            lane.kills += 1
            lane.mid_operation += in_flight is not None
            ctx = open_context(DataFolder(lane.folder))
            try:
                lost_now, partial_now = lane.check(ctx, in_flight)
                findings = IntegrityService(ctx).verify()
            finally:
                ctx.close()
            lost_now = [n for n in lost_now if n not in lane.lost]
            partial_now = [n for n in partial_now if n not in lane.partial]
            lane.lost.update(lost_now)
            lane.partial.update(partial_now)
            if not findings:
                verified += 1
            problems += [f"{where}: {n}" for n in
                         [*lost_now, *partial_now, *(f"verify: {f}" for f in findings)]]
        elapsed = time.monotonic() - started
        for lane in lanes:  # and the command itself, in a fresh process, on every folder
            code, err = _cli_verify(lane.folder)
            if code != 0:
                problems.append(f"partdesk verify on the {lane.mode} folder: {code} {err}")
    finally:
        spare.kill()
        spare.wait()
    lost = sum(len(lane.lost) for lane in lanes)
    partial = sum(len(lane.partial) for lane in lanes)
    line = f"{kills} kills, {lost} lost acknowledged writes, {partial} partial imports, " \
           f"verify passed {verified}/{kills}"
    with capsys.disabled():
        print(f"\ncrash loop, seed {seed}, {elapsed:.0f} s: " + "; ".join(
            f"{lane.mode} {lane.kills} kills ({lane.mid_operation} mid-operation), "
            f"{lane.acknowledged} acknowledged" for lane in lanes))
        print(line)
    assert not problems, "\n".join(problems[:30])
    assert (lost, partial, verified) == (0, 0, kills)
