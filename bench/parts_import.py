"""The parts import measured beside its floors, subject and floor alternating (A B A B).

Used by `bench.parts` (its `import` rows); each measure runs in a fresh child process, whose CPU
time (user + system, from wait4) and peak memory (max RSS) are its own:

- xlsx: the real command, `partdesk parts import FILE.xlsx` into a fresh copy of a data folder,
  beside a bare read of the same file with calamine and with openpyxl read-only (every cell
  touched); target: the whole command at most 1.5x the bare calamine read, CPU;
- csv: `PartsImportService.apply` of a CSV file beside raw sqlite3 executemany of the same rows
  with the same indexes and FTS (`bench.parts.floor_import`); target: at least 25 % of the floor's
  rows per second, CPU;
- memory: the peak RSS of the .xlsx command at 100,000 rows and, with --million, 1,000,000 rows,
  from the moment the file is opened (`import_peak_memory_mb`) and for the whole command with its
  sign-in (`peak_memory_mb`); target: at most 250 MB.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PASSWORD_ENV = "PARTDESK_PASSWORD"
TARGETS = {"xlsx_command_vs_calamine_read_cpu": 1.5, "csv_import_share_of_floor_cpu": 0.25,
           "peak_memory_mb": 250}

BARE_CALAMINE = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = sum(1 for row in book.get_sheet_by_index(0).iter_rows() for _ in row[:1])
print(rows)
"""
BARE_OPENPYXL = """
import sys
from openpyxl import load_workbook
with open(sys.argv[1], "rb") as fh:
    book = load_workbook(fh, read_only=True, data_only=True)
    rows = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) for _ in row[:1])
print(rows)
"""
CSV_IMPORT = """
import json, sys, time
from pathlib import Path
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.people import PeopleService
ctx = open_context(DataFolder(Path(sys.argv[1])))
eng = PeopleService(ctx).sign_in("eng", sys.argv[3])
start, cpu = time.perf_counter(), time.process_time()
result = PartsImportService(ctx).apply(eng, Path(sys.argv[2]))
print(json.dumps({"created": result.created, "seconds": time.perf_counter() - start,
                  "work_cpu_s": time.process_time() - cpu}))
"""
# The import's floor has the parts table's indexes as they are now (migration 0009: the two
# covering indexes of the search plan in place of part_number and search_key); the floor's table
# has no updated_at column, so that one index of the app's is left out.
FLOOR_INDEXES = """
DROP INDEX ix_pn; DROP INDEX ix_skey;
CREATE INDEX ix_walk ON parts(part_number, revision, id, search_key);
CREATE INDEX ix_sort ON parts(search_key, part_number, revision, id);
"""
CSV_FLOOR = """
import json, sys, time
from pathlib import Path
from bench.parts import floor_import
cpu = time.process_time()
result = floor_import(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
print(json.dumps({**result, "work_cpu_s": time.process_time() - cpu}))
"""


# Appended to every child: its own peak RSS (VmHWM: kept since its exec; getrusage's max RSS of a
# child would include the parent's memory copied by fork).
PEAK = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    sys.stderr.write("\\nPEAK_KB=" + line.split()[1] + "\\n")
atexit.register(_peak)
"""
# The real command. The peak is also taken from the moment the file is opened (VmHWM reset
# through /proc/self/clear_refs): signing in hashes the password with Argon2id, whose ~128 MB
# is given back before the import starts but stays in the whole command's peak.
COMMAND = """
import sys
from desktop_app.cli import main
from desktop_app.services import parts_import
opened = parts_import.open_table
def open_table(*args, **kwargs):
    with open("/proc/self/status") as fh:  # the peak so far (signing in), then reset
        line = next(x for x in fh if x.startswith("VmHWM:"))
    sys.stderr.write("\\nBEFORE_IMPORT_PEAK_KB=" + line.split()[1] + "\\n")
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return opened(*args, **kwargs)
parts_import.open_table = open_table
code = main(sys.argv[1:])
with open("/proc/self/status") as fh:
    line = next(x for x in fh if x.startswith("VmHWM:"))
sys.stderr.write("\\nIMPORT_PEAK_KB=" + line.split()[1] + "\\n")
sys.stdout.flush()
sys.exit(code)
"""


def child(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run Python `code` in a child process: its wall time, CPU time (user + system of the
    children reaped meanwhile: this one alone) and peak RSS (VmHWM)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PEAK + code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = err.decode(errors="replace")
    if proc.returncode != 0 or "PEAK_KB=" not in text:
        raise RuntimeError(f"exit {proc.returncode}: {text[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = int(text.rsplit("\nPEAK_KB=", 1)[1].split()[0])
    found = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
             "peak_memory_mb": round(peak_kb / 1024, 1),
             "output": out.decode(errors="replace").strip()}
    if "BEFORE_IMPORT_PEAK_KB=" in text:
        import_kb = int(text.rsplit("\nIMPORT_PEAK_KB=", 1)[1].split()[0])
        before_kb = int(text.rsplit("BEFORE_IMPORT_PEAK_KB=", 1)[1].split()[0])
        found["import_peak_memory_mb"] = round(import_kb / 1024, 1)
        found["peak_memory_mb"] = round(max(peak_kb, import_kb, before_kb) / 1024, 1)
    return found


def _median(runs: list[dict[str, Any]], key: str) -> float:
    ordered = sorted(r[key] for r in runs)
    return ordered[len(ordered) // 2] if len(ordered) % 2 else round(
        (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2, 3)


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    summary = {"cpu_s": _median(runs, "cpu_s"), "wall_s": _median(runs, "wall_s"),
               "peak_memory_mb": max(r["peak_memory_mb"] for r in runs)}
    if all("import_peak_memory_mb" in r for r in runs):
        summary["import_peak_memory_mb"] = max(r["import_peak_memory_mb"] for r in runs)
    return {**summary,
            "runs": [{k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()
                      if k != "output"} for r in runs]}


def measure_xlsx(template: Path, work: Path, xlsx: Path, password: str, rounds: int,
                 with_openpyxl: bool = True) -> dict[str, Any]:
    """calamine read, openpyxl read, the command; again: A B C A B C."""
    calamine, openpyxl, command = [], [], []
    for index in range(rounds):
        calamine.append(child(BARE_CALAMINE, str(xlsx)))
        if with_openpyxl:
            openpyxl.append(child(BARE_OPENPYXL, str(xlsx)))
        folder = work / f"xlsx-data-{index}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)
        run = child(COMMAND, "--data-dir", str(folder), "--user", "eng", "parts", "import",
                    str(xlsx), env={PASSWORD_ENV: password})
        if "Imported:" not in run["output"]:
            raise RuntimeError(run["output"][-2000:])
        command.append(run)
        shutil.rmtree(folder, ignore_errors=True)
    results: dict[str, Any] = {"bare_calamine_read": _summary(calamine),
                               "command": _summary(command)}
    read = results["bare_calamine_read"]
    results["command_vs_calamine_read_cpu"] = round(results["command"]["cpu_s"] /
                                                    read["cpu_s"], 2)
    results["command_vs_calamine_read_wall"] = round(results["command"]["wall_s"] /
                                                     read["wall_s"], 2)
    if openpyxl:
        results["bare_openpyxl_read"] = _summary(openpyxl)
        results["command_vs_openpyxl_read_cpu"] = round(
            results["command"]["cpu_s"] / results["bare_openpyxl_read"]["cpu_s"], 2)
    return results


def measure_csv(template: Path, work: Path, csv_path: Path, rows: int, password: str,
                rounds: int) -> dict[str, Any]:
    """raw sqlite3 floor, the service's import; again: A B A B."""
    floor, subject = [], []
    for index in range(rounds):
        target = work / f"floor-{index}.sqlite3"
        target.unlink(missing_ok=True)
        run = child(CSV_FLOOR, str(target), str(csv_path), FLOOR_INDEXES)
        run.update(json.loads(run.pop("output")))
        floor.append(run)
        target.unlink(missing_ok=True)
        folder = work / f"csv-data-{index}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)
        run = child(CSV_IMPORT, str(folder), str(csv_path), password)
        run.update(json.loads(run.pop("output")))
        subject.append(run)
        shutil.rmtree(folder, ignore_errors=True)
    results = {"floor": _summary(floor), "import": _summary(subject)}
    # CPU of the work itself (process_time around it in the child), so that neither side is
    # charged for starting Python and importing its modules.
    for name, runs in (("floor", floor), ("import", subject)):
        results[name]["work_cpu_s"] = round(_median(runs, "work_cpu_s"), 3)
    results["floor"]["rows_per_s_wall"] = round(rows / _median(floor, "seconds"))
    results["import"]["rows_per_s_wall"] = round(rows / _median(subject, "seconds"))
    results["share_of_floor_wall"] = round(_median(floor, "seconds") /
                                           _median(subject, "seconds"), 3)
    results["share_of_floor_cpu"] = round(results["floor"]["work_cpu_s"] /
                                          results["import"]["work_cpu_s"], 3)
    return results
