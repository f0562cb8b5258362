"""Benchmark of sync: a package of about 100,000 revisions (10,000 parts, 90,000 measurement sets
of 10 readings) and 500 attachments (about 100 MB of incompressible files). Export and import
times, the import's throughput beside raw sqlite3 inserts of the same rows in the same run, and
what the origin signatures and the trust gate add to the import.

    .venv/bin/python -m bench.sync [--parts 10000] [--sets 90000] [--readings-per-set 10]
                                   [--sets-per-batch 10] [--attachments 500]
                                   [--attachment-kb 200] [--pairs 4]

The sender writes as the application does, one signed batch per write: the parts in one batch
(a CSV import), the measurement sets `--sets-per-batch` at a time (one report's results), each
attachment alone. The package therefore carries thousands of origin batches.

Signature checks: the same package is imported into fresh copies of one receiving site,
alternating in one loop (the order swapped every pair) between the real import and a floor, the
same import with `_check_origins` (package.py) and `TrustGate.check` replaced by no-ops in this
process. Wall (perf_counter) and CPU (process_time) time of every run, medians, the overhead
(median real / median floor - 1), and the time of `_check_origins` and `TrustGate.check`
measured inside the real runs.

Numbers go to bench/results/sync.json; nothing is asserted.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from desktop_app.domain.people import Actor, SiteKind
from desktop_app.domain.revisions import Revision, canonical_json, uuid7
from desktop_app.domain.trust import Batch
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.services.sync_trust import TrustGate
from desktop_app.sync import package as package_module
from desktop_app.sync.package import read_package

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"
TARGET_OVERHEAD = 0.10  # the issue: signature checks add at most 10 % to the import


def _site(root: Path, code: str) -> tuple[ServiceContext, Any]:
    folder = DataFolder(root / code)
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    SiteService(ctx).initialise(code, f"Bench {code}", SiteKind.PLANT, "admin", "Admin", PASSWORD)
    return ctx, PeopleService(ctx).sign_in("admin", PASSWORD)


def _writes(site_id: str, author: str, args: argparse.Namespace,
            blobs: list[str]) -> list[list[Revision]]:
    """The revisions, grouped as the application writes them (one signed batch per group)."""
    lamport = 1000
    now = "2026-11-26T08:00:00.000000Z"
    part_ids = []
    parts: list[Revision] = []
    for i in range(args.parts):
        lamport += 1
        rid = uuid7()
        part_ids.append(rid)
        parts.append(Revision.create(
            record_type="part", record_id=rid, parents=(), site_id=site_id, lamport=lamport,
            author=author, created_at=now, reason="bench", fields={
                "part_number": f"JT-{i:06d}", "revision": "A",
                "designation": f"Bracket, front suspension, variant {i}",
                "family": "stamping", "supplier_id": "", "vehicle_model_ids": [],
                "material": "S355MC", "mass_kg": "1.250", "annual_volume": 12000,
                "drawing_ref": f"DRW-{i:06d}", "status": "in_development"}))
    writes = [parts]
    sets: list[Revision] = []
    for i in range(args.sets):
        lamport += 1
        readings = [f"{10 + (i * 7 + j) % 13 / 100:.3f}" for j in range(args.readings_per_set)]
        sets.append(Revision.create(
            record_type="measurement_set", record_id=uuid7(), parents=(), site_id=site_id,
            lamport=lamport, author=author, created_at=now, reason="bench", fields={
                "report_id": uuid7(), "part_id": part_ids[i % len(part_ids)],
                "characteristic_id": uuid7(), "char_number": str(i % 40 + 1),
                "description": "Hole position X", "char_class": "SC", "nominal": "10.000",
                "lower_limit": "9.950", "upper_limit": "10.150", "unit": "mm",
                "gauge_code": "CMM-01", "measured_on": "2026-11-20", "subgroup_size": 1,
                "readings": readings}))
        if len(sets) == args.sets_per_batch:
            writes.append(sets)
            sets = []
    if sets:
        writes.append(sets)
    for i, sha in enumerate(blobs):
        lamport += 1
        writes.append([Revision.create(
            record_type="attachment", record_id=uuid7(), parents=(), site_id=site_id,
            lamport=lamport, author=author, created_at=now, reason="bench", fields={
                "part_id": part_ids[i % len(part_ids)], "report_id": "", "kind": "test_report",
                "original_name": f"lab-report-{i}.pdf", "content_type": "application/pdf",
                "size": args.attachment_kb * 1024, "blob_sha256": sha, "note": ""})])
    return writes


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


# -- signature checks: the real import beside a floor without them ---------------------------


class _Stopwatch:
    """Wall and CPU time spent inside the functions it wraps, summed since the last reset."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.calls = 0

    def reset(self) -> None:
        self.wall = self.cpu = 0.0
        self.calls = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.wall += time.perf_counter() - wall
                self.cpu += time.process_time() - cpu
                self.calls += 1
        return timed


def _unchecked_origins(revisions: list[Revision], batches: list[Batch], lookup_key: Any,
                       allow_retired: bool) -> list[Batch]:
    """The floor's `_check_origins`: the batches that cover the revisions, nothing verified."""
    wanted = {r.rev_id for r in revisions}
    return [b for b in batches if any(rev_id in wanted for rev_id in b.rev_ids)]


def _no_gate(self: TrustGate, revisions: Any) -> None:
    """The floor's `TrustGate.check`."""


@contextmanager
def _checks(real: bool, origins: _Stopwatch, gate: _Stopwatch) -> Iterator[None]:
    """In this process only: the checks timed (real) or replaced by no-ops (floor)."""
    if real:
        check_origins = origins.wrap(package_module._check_origins)
        check_gate = gate.wrap(TrustGate.check)
    else:
        check_origins, check_gate = _unchecked_origins, _no_gate
    with mock.patch.object(package_module, "_check_origins", check_origins), \
            mock.patch.object(TrustGate, "check", check_gate):
        yield


def _phases(marks: dict[str, float], started: float) -> dict[str, float]:
    return {
        # Origin checks (after the last member is read), the trust gate and the backup:
        "staging_copy_and_package_read": round(marks["verify_end"] - started, 2),
        "checks_and_backup": round(marks["files"] - marks["verify_end"], 2),
        "store_files": round(marks["files_end"] - marks["files"], 2),
        "one_transaction_apply": round(marks["revisions_end"] - marks["revisions"], 2),
    }


def _import_copy(template: Path, run_dir: Path, actor: Actor, package: Path,
                 ) -> tuple[float, float, dict[str, float], int]:
    """Import `package` into a fresh copy of the receiving site at `template`: wall and CPU
    seconds of `import_package` alone, its phases, and how many revisions were new."""
    shutil.copytree(template, run_dir)
    ctx = open_context(DataFolder(run_dir))
    marks: dict[str, float] = {}

    def progress(done: int, total: int, message: str) -> None:
        phase = message if message in ("files", "revisions") else "verify"
        marks.setdefault(phase, time.perf_counter())
        marks[phase + "_end"] = time.perf_counter()

    try:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        imported = SyncService(ctx).import_package(actor, package, progress=progress)
        cpu = time.process_time() - cpu
        phases = _phases(marks, wall)
        wall = time.perf_counter() - wall
    finally:
        ctx.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return wall, cpu, phases, imported.preview.new


def _import_peak(template: str, run_dir: str, package: str) -> dict[str, float]:
    """In a fresh process: import `package` into a copy of the receiving site; the process's
    own peak resident memory (VmHWM, kept since its exec: getrusage's maximum would include
    the parent's memory, copied at fork before the exec) before and after, in MB."""
    def peak() -> float:
        with open("/proc/self/status", encoding="ascii") as fh:
            line = next(x for x in fh if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    shutil.copytree(template, run_dir)
    ctx = open_context(DataFolder(Path(run_dir)))
    try:
        actor = PeopleService(ctx).sign_in("admin", PASSWORD)
        before = peak()
        SyncService(ctx).import_package(actor, Path(package))
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


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def signature_overhead(template: Path, actor: Actor, package: Path, pairs: int,
                       work: Path) -> dict[str, Any]:
    origins, gate = _Stopwatch(), _Stopwatch()
    runs: list[dict[str, Any]] = []
    for pair in range(pairs):
        for kind in (("real", "floor") if pair % 2 == 0 else ("floor", "real")):
            origins.reset()
            gate.reset()
            with _checks(kind == "real", origins, gate):
                wall, cpu, phases, new = _import_copy(template, work / f"run-{len(runs)}",
                                                      actor, package)
            run: dict[str, Any] = {"pair": pair, "kind": kind, "wall_s": round(wall, 3),
                                   "cpu_s": round(cpu, 3), "new_revisions": new,
                                   "phases_s": phases}
            if kind == "real":
                run["check_origins_wall_s"] = round(origins.wall, 3)
                run["check_origins_cpu_s"] = round(origins.cpu, 3)
                run["trust_gate_wall_s"] = round(gate.wall, 3)
                run["trust_gate_cpu_s"] = round(gate.cpu, 3)
            runs.append(run)
            print(json.dumps(run), flush=True)
    real = [r for r in runs if r["kind"] == "real"]
    floor = [r for r in runs if r["kind"] == "floor"]
    medians = {f"{kind}_{clock}": _median([r[f"{clock}_s"] for r in group])
               for kind, group in (("real", real), ("floor", floor)) for clock in ("wall", "cpu")}
    for name in ("check_origins_wall", "check_origins_cpu", "trust_gate_wall",
                 "trust_gate_cpu"):
        medians[name] = _median([r[f"{name}_s"] for r in real])
    overhead = {clock: round(medians[f"real_{clock}"] / medians[f"floor_{clock}"] - 1, 3)
                for clock in ("wall", "cpu")}
    # Per pair (real and floor run next to each other): less exposed to drift of the machine.
    paired = {clock: _median([r[f"{clock}_s"] / f[f"{clock}_s"] - 1
                              for r in real for f in floor if f["pair"] == r["pair"]])
              for clock in ("wall", "cpu")}
    # The checks' own time inside the real runs, as a share of the floor import.
    share = {clock: _median([
        (r[f"check_origins_{clock}_s"] + r[f"trust_gate_{clock}_s"])
        / (r[f"{clock}_s"] - r[f"check_origins_{clock}_s"] - r[f"trust_gate_{clock}_s"])
        for r in real]) for clock in ("wall", "cpu")}
    return {"pairs": pairs, "target_overhead": TARGET_OVERHEAD, "runs": runs,
            "medians_s": medians, "overhead": overhead, "overhead_paired_median": paired,
            "checks_over_rest_of_import": share}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--sets", type=int, default=90_000)
    parser.add_argument("--readings-per-set", type=int, default=10)
    parser.add_argument("--sets-per-batch", type=int, default=10)
    parser.add_argument("--attachments", type=int, default=500)
    parser.add_argument("--attachment-kb", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=4,
                        help="real / floor import pairs for the signature checks (0: none)")
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
        b.close()  # the receiving site as enrolled: every import goes into a fresh copy
        template = root / "BBB"

        t = time.perf_counter()
        blobs = [a.blobs.put_bytes(os.urandom(args.attachment_kb * 1024)).sha256
                 for _ in range(args.attachments)]
        result["attachments_stored_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        writes = _writes(a.site_id, a_admin.user_id, args, blobs)
        revisions = [r for write in writes for r in write]
        result["revisions_generated_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        with a.unit_of_work() as uow:
            for write in writes:
                uow.records.apply_many(write, "bench", origin="local")
        result["sender_local_write_s"] = round(time.perf_counter() - t, 2)
        result["sender_batches"] = len(writes)

        package = root / "bench.partdesk"
        t = time.perf_counter()
        summary = SyncService(a).export_package(a_admin, package, full=True)
        result["export_s"] = round(time.perf_counter() - t, 2)
        result["package_mb"] = round(summary.size / 1e6, 1)
        result["package_revisions"] = summary.revisions
        result["package_blobs"] = summary.blobs

        t = time.perf_counter()
        verified = read_package(package, SiteKeyService(a).lookup)
        result["verify_only_s"] = round(time.perf_counter() - t, 2)
        result["package_batches"] = len(verified.batches)
        del verified

        import_s, _, phases, new = _import_copy(template, root / "first-import", b_admin,
                                                package)
        result["import_s"] = round(import_s, 2)
        result["import_phases_s"] = phases
        result["import_new_revisions"] = new
        result["import_revisions_per_s"] = round(summary.revisions / import_s)
        peak = _in_child(_import_peak, str(template), str(root / "peak-import"), str(package))
        result["import_peak_memory_mb"] = peak["peak_mb"]
        result["import_memory_before_mb"] = peak["before_import_mb"]

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
        del writes, revisions
        if args.pairs > 0:
            result["signature_checks"] = signature_overhead(template, b_admin, package,
                                                            args.pairs, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
