"""Benchmark of test evidence: record 100,000 readings across 1,000 characteristics (10 parts,
one report each), compute every index (Cp, Cpk, Pp, Ppk and verdicts), read the certification
queries, attach 1,000 files and verify every blob.

    .venv/bin/python -m bench.evidence [--parts 10] [--characteristics 1000]
                                       [--readings 100] [--files 1000] [--file-kb 64]

Numbers go to bench/results/evidence.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain.capability import capability
from desktop_app.domain.evidence import Limits, parse_readings
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.context import open_context
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft, ReportDraft, ResultDraft
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "evidence.json"


def _timed(results: dict[str, Any], name: str, fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    results[name] = round(time.perf_counter() - start, 3)
    return value


def run(parts: int, characteristics: int, readings: int, files: int, file_kb: int,
        root: Path) -> dict[str, Any]:
    rng = random.Random(7)
    folder = DataFolder(root / "data")
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    SiteService(ctx).initialise("BEN", "Bench plant", SiteKind.PLANT, "admin", "Admin",
                                PASSWORD)
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    people.add_person(admin, "eng", "Engineer", Role.ENGINEER, PASSWORD)
    people.add_person(admin, "insp", "Inspector", Role.INSPECTOR, PASSWORD)
    eng, insp = people.sign_in("eng", PASSWORD), people.sign_in("insp", PASSWORD)
    evidence = EvidenceService(ctx)
    part_ids = [PartService(ctx).register_part(eng, PartDraft(
        part_number=f"BEN-{i:04d}", revision="A", designation=f"Bench part {i}")).part_id
        for i in range(parts)]
    per_part = characteristics // parts
    timings: dict[str, Any] = {}
    start = time.perf_counter()
    chars: dict[str, list] = {}
    for index, part_id in enumerate(part_ids):
        drafts = [CharacteristicDraft(str(n + 1), f"Feature {n + 1}", "10", "-0.1", "0.1",
                                      char_class="CC" if n % 10 == 0 else
                                      ("SC" if n % 10 == 1 else "standard"))
                  for n in range(per_part)]
        chars[part_id] = evidence.add_characteristics(eng, part_id, drafts)
        if index == 0:
            timings["first_part_characteristics_s"] = round(time.perf_counter() - start, 3)
    timings["add_characteristics_s"] = round(time.perf_counter() - start, 3)

    start = time.perf_counter()
    report_ids = []
    for part_id in part_ids:
        results = []
        for c in chars[part_id]:
            sigma = rng.uniform(0.01, 0.04)
            results.append(ResultDraft(c.characteristic_id, tuple(
                f"{rng.gauss(10, sigma):.4f}" for _ in range(readings))))
        detail = evidence.record_report(insp, ReportDraft(part_id, "capability",
                                                          tested_on="2026-11-20"), results)
        report_ids.append(detail.summary.report_id)
    timings["record_readings_s"] = round(time.perf_counter() - start, 3)
    total_readings = characteristics * readings
    timings["readings_per_s"] = round(total_readings / timings["record_readings_s"])

    details = _timed(timings, "load_reports_s",
                     lambda: [evidence.queries.report(r) for r in report_ids])
    sets = [s for d in details for s in d.sets]

    def compute_all() -> int:
        count = 0
        for s in sets:
            values = parse_readings(list(s.readings))
            capability(values, Limits(Decimal(s.lower_limit), Decimal(s.upper_limit)))
            count += len(values)
        return count

    _timed(timings, "compute_all_indices_s", compute_all)
    _timed(timings, "special_capability_all_parts_s",
           lambda: [evidence.queries.special_capability(p) for p in part_ids])
    _timed(timings, "dimensional_coverage_all_parts_s",
           lambda: [evidence.queries.dimensional_coverage(p) for p in part_ids])
    _timed(timings, "evidence_of_part_all_parts_s",
           lambda: [evidence.queries.evidence_of_part(p) for p in part_ids])

    source = root / "files"
    source.mkdir()
    paths = []
    for i in range(files):
        path = source / f"report-{i:04d}.pdf"
        path.write_bytes(b"%PDF-1.7\n" + os.urandom(file_kb * 1024) + b"\n%%EOF\n")
        paths.append(path)
    attachments = AttachmentService(ctx)
    start = time.perf_counter()
    for i, path in enumerate(paths):
        attachments.attach_file(insp, part_ids[i % parts], path, "test_report")
    timings["attach_files_s"] = round(time.perf_counter() - start, 3)
    timings["files_per_s"] = round(files / timings["attach_files_s"], 1)
    start = time.perf_counter()
    for i in range(min(100, files)):  # the same bytes again, on another part: stored once
        attachments.attach_file(insp, part_ids[(i + 1) % parts], paths[i], "test_report")
    timings["attach_100_duplicates_s"] = round(time.perf_counter() - start, 3)
    stored = sum(1 for p in folder.blobs.glob("??/*") if p.is_file())
    problems = _timed(timings, "verify_s", IntegrityService(ctx).verify)
    size = folder.database.stat().st_size
    ctx.close()
    return {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "parameters": {"parts": parts, "characteristics": characteristics,
                       "readings_per_characteristic": readings, "readings": total_readings,
                       "files": files, "file_kb": file_kb},
        "timings_s": timings,
        "blobs_stored": stored,
        "verify_problems": len(problems),
        "database_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--characteristics", type=int, default=1000)
    parser.add_argument("--readings", type=int, default=100)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--file-kb", type=int, default=64)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="partdesk-bench-evidence-"))
    try:
        result = run(args.parts, args.characteristics, args.readings, args.files, args.file_kb,
                     root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
