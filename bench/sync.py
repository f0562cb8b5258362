"""Benchmark of sync: a package with 10,000 parts, 100,000 readings (in 10,000 measurement sets)
and 500 attachments (about 100 MB of incompressible files). Export and import times, and the
import's throughput beside raw sqlite3 inserts of the same rows in the same run.

    .venv/bin/python -m bench.sync [--parts 10000] [--sets 10000] [--readings-per-set 10]
                                   [--attachments 500] [--attachment-kb 200]

Numbers go to bench/results/sync.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop_app.domain.people import SiteKind
from desktop_app.domain.revisions import Revision, canonical_json, uuid7
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.sync.package import read_package

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"


def _site(root: Path, code: str) -> tuple[ServiceContext, Any]:
    folder = DataFolder(root / code)
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    SiteService(ctx).initialise(code, f"Bench {code}", SiteKind.PLANT, "admin", "Admin", PASSWORD)
    return ctx, PeopleService(ctx).sign_in("admin", PASSWORD)


def _revisions(site_id: str, author: str, args: argparse.Namespace,
               blobs: list[str]) -> list[Revision]:
    revs: list[Revision] = []
    lamport = 1000
    now = "2026-11-26T08:00:00.000000Z"
    part_ids = []
    for i in range(args.parts):
        lamport += 1
        rid = uuid7()
        part_ids.append(rid)
        revs.append(Revision.create(
            record_type="part", record_id=rid, parents=(), site_id=site_id, lamport=lamport,
            author=author, created_at=now, reason="bench", fields={
                "part_number": f"JT-{i:06d}", "revision": "A",
                "designation": f"Bracket, front suspension, variant {i}",
                "family": "stamping", "supplier_id": "", "vehicle_model_ids": [],
                "material": "S355MC", "mass_kg": "1.250", "annual_volume": 12000,
                "drawing_number": f"DRW-{i:06d}", "status": "in_development"}))
    for i in range(args.sets):
        lamport += 1
        readings = [f"{10 + (i * 7 + j) % 13 / 100:.3f}" for j in range(args.readings_per_set)]
        revs.append(Revision.create(
            record_type="measurement_set", record_id=uuid7(), parents=(), site_id=site_id,
            lamport=lamport, author=author, created_at=now, reason="bench", fields={
                "report_id": uuid7(), "part_id": part_ids[i % len(part_ids)],
                "characteristic_id": uuid7(), "char_number": str(i % 40 + 1),
                "description": "Hole position X", "char_class": "SC", "nominal": "10.000",
                "lower_limit": "9.950", "upper_limit": "10.150", "unit": "mm",
                "gauge_code": "CMM-01", "measured_on": "2026-11-20", "subgroup_size": 1,
                "readings": readings}))
    for i, sha in enumerate(blobs):
        lamport += 1
        revs.append(Revision.create(
            record_type="attachment", record_id=uuid7(), parents=(), site_id=site_id,
            lamport=lamport, author=author, created_at=now, reason="bench", fields={
                "part_id": part_ids[i % len(part_ids)], "report_id": "", "kind": "report",
                "original_name": f"lab-report-{i}.pdf", "content_type": "application/pdf",
                "size": args.attachment_kb * 1024, "blob_sha256": sha, "note": ""}))
    return revs


def _raw_floor(root: Path, revisions: list[Revision]) -> float:
    """The same revision, record and head rows, inserted with plain sqlite3 executemany in one
    transaction (same pragmas): the floor any import has to stand on."""
    path = root / "raw.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript("""
        CREATE TABLE revisions (rev_id TEXT PRIMARY KEY, seq INTEGER UNIQUE, record_type TEXT,
            record_id TEXT, site_id TEXT, lamport INTEGER, created_at TEXT, author TEXT, op TEXT,
            reason TEXT, parents TEXT, fields TEXT);
        CREATE INDEX ix_rev_record ON revisions(record_id);
        CREATE INDEX ix_rev_lamport ON revisions(lamport);
        CREATE INDEX ix_rev_type_seq ON revisions(record_type, seq);
        CREATE TABLE record_heads (record_id TEXT, rev_id TEXT, PRIMARY KEY (record_id, rev_id));
        CREATE TABLE records (record_id TEXT PRIMARY KEY, record_type TEXT, current_rev_id TEXT,
            head_count INTEGER, deleted INTEGER, updated_at TEXT, updated_by TEXT);
    """)
    started = time.perf_counter()
    rows = [(r.rev_id, i + 1, r.record_type, r.record_id, r.site_id, r.lamport, r.created_at,
             r.author, str(r.op), r.reason, canonical_json(list(r.parents)),
             canonical_json(r.fields)) for i, r in enumerate(revisions)]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO revisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO record_heads VALUES (?,?)",
                     [(r.record_id, r.rev_id) for r in revisions])
    conn.executemany("INSERT INTO records VALUES (?,?,?,?,?,?,?)",
                     [(r.record_id, r.record_type, r.rev_id, 1, 0, r.created_at, r.author)
                      for r in revisions])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _raw_files(root: Path, source: ServiceContext, blobs: list[str]) -> float:
    """The same file bytes written with plain open/write/fsync: the floor for the attachments."""
    target = root / "raw-files"
    target.mkdir()
    data = [source.blobs.open(sha).read() for sha in blobs]
    started = time.perf_counter()
    for sha, content in zip(blobs, data, strict=True):
        with open(target / sha, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--sets", type=int, default=10_000)
    parser.add_argument("--readings-per-set", type=int, default=10)
    parser.add_argument("--attachments", type=int, default=500)
    parser.add_argument("--attachment-kb", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="partdesk-bench-sync-"))
    result: dict[str, Any] = {"machine": {"python": platform.python_version(),
                                          "platform": platform.platform(),
                                          "cpus": os.cpu_count()},
                              "parameters": {k: v for k, v in vars(args).items() if k != "out"}}
    try:
        a, a_admin = _site(root, "AAA")
        b, b_admin = _site(root, "BBB")
        key = root / "a.key"
        SiteKeyService(b).enrol(b_admin, key, SiteKeyService(a).write_key_file(key).fingerprint)

        t = time.perf_counter()
        blobs = [a.blobs.put_bytes(os.urandom(args.attachment_kb * 1024)).sha256
                 for _ in range(args.attachments)]
        result["attachments_stored_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        revisions = _revisions(a.site_id, a_admin.user_id, args, blobs)
        result["revisions_generated_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        with a.unit_of_work() as uow:
            uow.records.apply_many(revisions, "bench", origin="local")
        result["sender_local_write_s"] = round(time.perf_counter() - t, 2)

        package = root / "bench.partdesk"
        t = time.perf_counter()
        summary = SyncService(a).export_package(a_admin, package, full=True)
        result["export_s"] = round(time.perf_counter() - t, 2)
        result["package_mb"] = round(summary.size / 1e6, 1)
        result["package_revisions"] = summary.revisions
        result["package_blobs"] = summary.blobs

        t = time.perf_counter()
        verified = read_package(package, SiteKeyService(b).lookup)
        result["verify_only_s"] = round(time.perf_counter() - t, 2)
        del verified

        marks: dict[str, float] = {}

        def progress(done: int, total: int, message: str) -> None:
            phase = message if message in ("files", "revisions") else "verify"
            marks.setdefault(phase, time.perf_counter())
            marks[phase + "_end"] = time.perf_counter()

        t = time.perf_counter()
        imported = SyncService(b).import_package(b_admin, package, progress=progress)
        import_s = time.perf_counter() - t
        result["import_s"] = round(import_s, 2)
        result["import_phases_s"] = {
            "staging_copy_and_verify": round(marks["verify_end"] - t, 2),
            "backup_before_import": round(marks["files"] - marks["verify_end"], 2),
            "store_files": round(marks["files_end"] - marks["files"], 2),
            "one_transaction_apply": round(marks["revisions_end"] - marks["revisions"], 2),
        }
        result["import_new_revisions"] = imported.preview.new
        result["import_revisions_per_s"] = round(summary.revisions / import_s)

        raw = _raw_floor(root, revisions)
        result["raw_sqlite_insert_s"] = round(raw, 2)
        result["raw_sqlite_rows_per_s"] = round(len(revisions) / raw)
        result["import_over_raw"] = round(import_s / raw, 1)
        files = _raw_files(root, a, blobs)
        result["raw_file_writes_s"] = round(files, 2)
        result["import_over_raw_rows_and_files"] = round(import_s / (raw + files), 1)
        result["transaction_over_raw"] = round(
            result["import_phases_s"]["one_transaction_apply"] / raw, 1)
        a.close()
        b.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
