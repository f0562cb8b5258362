"""Benchmark of the sync import: a full package of the demo site plus 100,000 parts, imported by
an enrolled site, beside its floor: the same rows inserted with plain sqlite3.

    .venv/bin/python -m bench.sync [--parts 100000] [--rounds 2] [--block 2000]

The sender is the demo data folder (`partdesk demo`: every record type, files, Jetour's relayed
decision and certificate) with `--parts` generated parts written as a parts import writes them
(blocks of 5,000, one signed batch each). The receiver is a fresh carmaker site that enrolled the
demo site (with the scope Jetour gives it) and the keys the demo site holds (Jetour's).

Subject: `SyncService.import_package` into a fresh copy of the receiver: staging copy, every check
(envelope, each revision, origins, trust gate) block by block, backup, files, and the one
transaction applying the blocks. Floor: the rows that import wrote (every table but the audit
log and the sync bookkeeping: revisions, parents, heads, records, the parts projection with its
indexes, the FTS index of parts, every other projection), found by comparing the imported
database with the receiver's, inserted into a fresh copy of the receiver's database with
sqlite3 executemany in one transaction (same schema, indexes and pragmas). Subject and floor
alternate in one loop (A B A B); CPU (process_time) and wall time of each run; the ratio of the
medians, CPU, is the measure (`import_over_raw`), wall beside it.

Peak memory: the import run again in a fresh process, its own peak resident memory (VmHWM)
before and after. Numbers go to bench/results/sync.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.demo import build_demo
from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.demo.sync import MSR_SCOPE_AT_JTR
from desktop_app.domain.people import Actor, SiteKind
from desktop_app.domain.revisions import Revision, uuid7
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import KEY_FORMAT, SiteKeyService
from desktop_app.storage.models.parts import PART_SEARCH
from desktop_app.storage.models.sync import PeerKey
from desktop_app.sync.limits import Limits

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"
TARGET_RATIO = 5.0  # issue 16: the import at most 5x its floor (CPU)
TARGET_PEAK_MB = 250
DATABASE = "partdesk.sqlite3"
# What the import writes that is bookkeeping, not data: not part of the floor.
NOT_FLOOR = {"audit_log", "audit_seals", "audit_anchors", "sync_packages", "sync_peer_state",
             "alembic_version", "sqlite_sequence", "sqlite_stat1"}


# -- the two sites ----------------------------------------------------------------------------


def _sender(root: Path, parts: int) -> tuple[ServiceContext, Actor, dict[str, float]]:
    """The demo data folder with `parts` generated parts, written 5,000 at a time."""
    timings: dict[str, float] = {}
    folder = DataFolder(root / "MSR")
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    started = time.perf_counter()
    build_demo(ctx)
    timings["demo_built_s"] = round(time.perf_counter() - started, 1)
    admin = PeopleService(ctx).sign_in("admin", DEMO_PASSWORDS["admin"])
    started = time.perf_counter()
    with ctx.unit_of_work() as uow:
        lamport = uow.records.next_lamport()
    block: list[Revision] = []
    for i in range(parts):
        lamport += 1
        block.append(Revision.create(
            record_type="part", record_id=uuid7(), parents=(), site_id=ctx.site_id,
            lamport=lamport, author=admin.user_id, created_at="2026-11-26T08:00:00.000000Z",
            reason="bench", fields={
                "part_number": f"JT-{i:06d}", "revision": "A",
                "designation": f"Bracket, front suspension, variant {i}",
                "family": "body_stamping", "supplier_id": "", "vehicle_model_ids": [],
                "material": "S355MC", "mass_kg": "1.250", "annual_volume": 12000,
                "drawing_ref": f"DRW-{i:06d}", "status": "in_development"}))
        if len(block) == 5000 or i == parts - 1:
            with ctx.unit_of_work() as uow:
                uow.records.apply_many(block, "bench", origin="local")
            block = []
    timings["parts_written_s"] = round(time.perf_counter() - started, 1)
    return ctx, admin, timings


def _receiver(root: Path, sender: ServiceContext) -> Path:
    """A fresh carmaker site that enrolled the demo site and the keys it holds (Jetour's: the
    demo package relays Jetour's own work, signed by Jetour). Closed: each run copies it."""
    folder = DataFolder(root / "RCV")
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    try:
        SiteService(ctx).initialise("RCV", "Bench receiver", SiteKind.CARMAKER, "admin", "Admin",
                                    PASSWORD)
        admin = PeopleService(ctx).sign_in("admin", PASSWORD)
        keys = SiteKeyService(ctx)
        key_file = root / "msr.partdesk-key"
        written = SiteKeyService(sender).write_key_file(key_file)
        keys.enrol(admin, key_file, written.fingerprint, scope_types=MSR_SCOPE_AT_JTR)
        with sender.unit_of_work() as uow:
            peers = list(uow.session.execute(select(PeerKey)).scalars())
        for row in peers:
            relayed = root / f"{row.code}.partdesk-key"
            relayed.write_text(json.dumps({
                "format": KEY_FORMAT, "version": 1, "site_id": row.site_id, "code": row.code,
                "name": row.name, "kind": row.kind, "public_key": row.public_key,
                "fingerprint": row.fingerprint}), encoding="utf-8")
            keys.enrol(admin, relayed, row.fingerprint)
    finally:
        ctx.close()
    return folder.root


# -- subject ----------------------------------------------------------------------------------


def _import(template: Path, run_dir: Path, package: Path, block: int,
            keep: bool = False) -> dict[str, Any]:
    """Import `package` into a fresh copy of the receiver: CPU and wall seconds of
    `import_package` alone, and when each pass ended (from its progress)."""
    shutil.copytree(template, run_dir)
    ctx = open_context(DataFolder(run_dir))
    marks: dict[str, float] = {}

    def progress(done: int, total: int, message: str) -> None:
        phase = {"revisions.ndjson": "check", "files": "files", "revisions": "apply"}.get(
            message, "envelope")
        now = time.perf_counter()
        marks.setdefault(phase, now)
        marks[phase + "_end"] = now

    try:
        actor = PeopleService(ctx).sign_in("admin", PASSWORD)
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        summary = SyncService(ctx, Limits(block_revisions=block)).import_package(
            actor, package, progress=progress)
        cpu = time.process_time() - cpu
        end = time.perf_counter()
        phases = {
            "envelope": marks.get("envelope_end", wall) - wall,
            "check_blocks": marks.get("check_end", wall) - marks.get("envelope_end", wall),
            "backup_and_files": marks.get("apply", end) - marks.get("check_end", wall),
            "apply_blocks_and_commit": end - marks.get("apply", end),
        }
        return {"wall_s": round(end - wall, 3), "cpu_s": round(cpu, 3),
                "new_revisions": summary.preview.new,
                "phases_wall_s": {k: round(v, 2) for k, v in phases.items()}}
    finally:
        ctx.close()
        if not keep:
            shutil.rmtree(run_dir, ignore_errors=True)


# -- floor ------------------------------------------------------------------------------------


Rows = list[tuple[str, list[str], list[tuple[Any, ...]]]]


def _floor_rows(template_db: Path, imported_db: Path) -> Rows:
    """Per table, the rows the import added (in the order they were written)."""
    conn = sqlite3.connect(imported_db)
    try:
        conn.execute("ATTACH DATABASE ? AS before", (str(template_db),))
        names = [n for (n,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")]
        fts = {n for n in names if n.startswith(PART_SEARCH.table)}
        before = {n for (n,) in conn.execute(
            "SELECT name FROM before.sqlite_master WHERE type = 'table'")}
        tables: Rows = []
        for name in names:
            if name in NOT_FLOOR or name in fts:
                continue
            columns = [c[1] for c in conn.execute(f'PRAGMA main.table_info("{name}")')]
            cols = ", ".join(f'"{c}"' for c in columns)
            order = " ORDER BY seq" if name == "revisions" else ""
            query = f'SELECT {cols} FROM main."{name}"'  # noqa: S608 - names from the schema
            if name in before:
                query = (f"SELECT * FROM ({query} EXCEPT SELECT {cols} "  # noqa: S608
                         f'FROM before."{name}"){order}')
            rows = conn.execute(query).fetchall()
            if rows:
                tables.append((name, columns, rows))
        if PART_SEARCH.table in names:  # the documents, in rowid order as the import writes
            rows = conn.execute(f"SELECT rowid, record_id, body FROM {PART_SEARCH.table} "  # noqa: S608
                                "ORDER BY rowid").fetchall()
            tables.append((PART_SEARCH.table, ["rowid", "record_id", "body"], rows))
        return tables
    finally:
        conn.close()


def _floor(template: Path, run_dir: Path, tables: Rows) -> dict[str, Any]:
    """The same rows inserted with sqlite3 executemany into a fresh copy of the receiver's
    database, in one transaction, with the application's pragmas."""
    run_dir.mkdir()
    path = run_dir / DATABASE
    shutil.copyfile(template / DATABASE, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(PART_SEARCH.create_sql())
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN IMMEDIATE")
        for name, columns, rows in tables:
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            sql = f'INSERT OR REPLACE INTO "{name}" ({cols}) VALUES ({marks})'  # noqa: S608
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
    finally:
        conn.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "rows": sum(len(rows) for _, _, rows in tables)}


# -- peak memory ------------------------------------------------------------------------------


def _import_peak(template: str, run_dir: str, package: str, block: int) -> dict[str, float]:
    """In a fresh process: import `package` into a copy of the receiver; the process's own peak
    resident memory (VmHWM, kept since its exec: getrusage's maximum would include the
    parent's memory, copied at fork before the exec) before and after, in MB."""
    def peak() -> float:
        with open("/proc/self/status", encoding="ascii") as fh:
            line = next(x for x in fh if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    shutil.copytree(template, run_dir)
    ctx = open_context(DataFolder(Path(run_dir)))
    try:
        actor = PeopleService(ctx).sign_in("admin", PASSWORD)
        before = peak()
        SyncService(ctx, Limits(block_revisions=block)).import_package(actor, Path(package))
        after = peak()
    finally:
        ctx.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return {"before_import_mb": round(before, 1), "peak_mb": round(after, 1)}


def _in_child(fn: Callable[..., Any], *args: Any) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="import / floor pairs (A B A B)")
    parser.add_argument("--block", type=int, default=Limits().block_revisions,
                        help="revisions per block")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="partdesk-bench-sync-"))
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "parameters": {k: v for k, v in vars(args).items() if k != "out"},
        "clock": "import_s, raw_sqlite_insert_s and import_over_raw are CPU (process_time); "
                 "the *_wall_* keys are wall time",
        "target_ratio": TARGET_RATIO, "target_peak_mb": TARGET_PEAK_MB,
    }
    try:
        sender, admin, timings = _sender(root, args.parts)
        result.update(timings)
        template = _receiver(root, sender)
        package = root / "demo-and-parts.partdesk"
        started = time.perf_counter()
        summary = SyncService(sender).export_package(admin, package, full=True)
        result["export_s"] = round(time.perf_counter() - started, 1)
        result["package_mb"] = round(summary.size / 1e6, 1)
        result["package_revisions"] = summary.revisions
        result["package_blobs"] = summary.blobs
        sender.close()

        # The rows of the floor: what a first import wrote.
        first = _import(template, root / "first", package, args.block, keep=True)
        result["first_import"] = first
        tables = _floor_rows(template / DATABASE, root / "first" / DATABASE)
        shutil.rmtree(root / "first", ignore_errors=True)
        result["floor_rows_by_table"] = {name: len(rows) for name, _, rows in tables}

        runs: list[dict[str, Any]] = []
        for i in range(args.rounds):
            for kind in ("import", "floor") if i % 2 == 0 else ("floor", "import"):
                run_dir = root / f"run-{len(runs)}"
                run = (_import(template, run_dir, package, args.block) if kind == "import"
                       else _floor(template, run_dir, tables))
                run = {"round": i, "kind": kind, **run}
                runs.append(run)
                print(json.dumps(run), flush=True)
        del tables
        subject = [r for r in runs if r["kind"] == "import"]
        floor = [r for r in runs if r["kind"] == "floor"]
        result["runs"] = runs
        result["import_s"] = _median(subject, "cpu_s")
        result["raw_sqlite_insert_s"] = _median(floor, "cpu_s")
        result["import_over_raw"] = round(result["import_s"] / result["raw_sqlite_insert_s"], 2)
        result["import_wall_s"] = _median(subject, "wall_s")
        result["raw_sqlite_insert_wall_s"] = _median(floor, "wall_s")
        result["import_over_raw_wall"] = round(
            result["import_wall_s"] / result["raw_sqlite_insert_wall_s"], 2)
        result["import_revisions_per_s_cpu"] = round(summary.revisions / result["import_s"])

        peak = _in_child(_import_peak, str(template), str(root / "peak"), str(package),
                         args.block)
        result["import_peak_memory_mb"] = peak["peak_mb"]
        result["import_memory_before_mb"] = peak["before_import_mb"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
