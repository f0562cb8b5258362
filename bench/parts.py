"""Benchmark of the parts registry at N parts (default 100,000), each beside a raw-sqlite3 floor.

    .venv/bin/python -m bench.parts [--parts 100000] [--searches 60] [--profile]
    .venv/bin/python -m bench.parts --import-only [--million] [--rounds 2]

Measures, in one run on the same generated rows:
- search setup (`search_setup_import`, `floor`): the search's database made by
  PartsImportService.apply of a CSV file and its floor by csv + sqlite3 executemany, each timed
  once in its own process;
- search: PartService.page(search=prefix) over typed prefixes (first page of 100 and the count),
  p50 / p95; floor: the same FTS5 MATCH + COUNT through sqlite3;
- first page (unfiltered, sorted by part number) and sorting (by designation, by mass
  descending); floor: the same SELECT ... ORDER BY ... LIMIT 100 and COUNT;
- peak memory (resource.getrusage, max RSS): the floor and the import each run in a fresh process,
  so each peak is that phase's own;
- `import` (bench.parts_import): subject and floor alternating (A B A B) in child processes, CPU
  beside wall: the real `partdesk parts import FILE.xlsx` vs bare calamine and openpyxl reads of
  the same file, the CSV import vs raw sqlite3 executemany (same indexes + FTS), and the .xlsx
  command's peak memory at N rows (and 1,000,000 with --million). `--import-only` runs these
  alone and merges them into the results file, keeping the search's keys.

Numbers go to bench/results/parts.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop_app.domain.people import Role, SiteKind
from desktop_app.files.tables import write_table
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.parts import DENSE_MATCHES, PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.storage.search import compact, normalise_text, query_tokens

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "parts.json"
HEADERS = ["Référence", "Indice", "Désignation", "Désignation ZH", "Famille", "Fournisseur",
           "Matière", "Masse (kg)", "Volume annuel"]
WORDS = ["Traverse", "Support", "Renfort", "Panneau", "Écrou", "Vis", "Bride", "Carter",
         "Longeron", "Pavillon", "Plancher", "Garniture", "Faisceau", "Charnière", "Gâche",
         "Déflecteur", "Goujon", "Entretoise", "Platine", "Console"]
PLACES = ["avant", "arrière", "gauche", "droite", "supérieur", "inférieur", "central",
          "moteur", "porte", "hayon", "toit", "caisse"]
ZH = ["横梁", "支架", "加强板", "面板", "螺母", "螺栓", "卡箍", "壳体", "纵梁", "顶盖"]
MATERIALS = ["DC04", "DC05", "HC340LA", "22MnB5", "EN-GJL-250", "42CrMo4", "PP-EPDM", "PA66",
             "Cuivre / PVC", "Verre trempé"]
FAMILIES = ["body_stamping", "welded_assembly", "casting", "forging", "fastener", "glass",
            "plastic_trim", "harness", "other"]
SUPPLIERS = ["MER", "SFH", "BVE", "SPC"]


def _rows(n: int, seed: int = 7) -> list[list[str]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        word, place = rnd.choice(WORDS), rnd.choice(PLACES)
        rows.append([
            f"J{rnd.choice('XDC')}{rnd.randint(1, 9)}-{i:07d}", rnd.choice("ABC"),
            f"{word} {place} {rnd.randint(1, 99)}", rnd.choice(ZH) + str(rnd.randint(1, 9)),
            rnd.choice(FAMILIES), rnd.choice(SUPPLIERS), rnd.choice(MATERIALS),
            f"{rnd.randint(1, 50000) / 1000:.3f}", str(rnd.randint(1, 200) * 100),
        ])
    return rows


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95),
            "max_ms": _ms(ordered[-1]), "samples": len(ordered)}


# -- the floor: raw sqlite3 ------------------------------------------------------------------

FLOOR_SCHEMA = """
CREATE TABLE parts (id TEXT PRIMARY KEY, part_number TEXT, revision TEXT, part_key TEXT,
    designation TEXT, family TEXT, supplier_id TEXT, material TEXT, grade TEXT, mass_kg TEXT,
    mass_mg INTEGER, unit TEXT, drawing_ref TEXT, special_characteristics INTEGER,
    annual_volume INTEGER, status TEXT, replaces TEXT, search_text TEXT, search_key INTEGER,
    conflict INTEGER);
CREATE INDEX ix_skey ON parts(search_key);
CREATE INDEX ix_pn ON parts(part_number); CREATE INDEX ix_key ON parts(part_key);
CREATE INDEX ix_des ON parts(designation); CREATE INDEX ix_fam ON parts(family);
CREATE INDEX ix_sup ON parts(supplier_id); CREATE INDEX ix_mat ON parts(material);
CREATE INDEX ix_mass ON parts(mass_mg); CREATE INDEX ix_vol ON parts(annual_volume);
CREATE INDEX ix_status ON parts(status); CREATE INDEX ix_rep ON parts(replaces);
CREATE INDEX ix_status_pn ON parts(status, part_number);
CREATE TABLE suppliers (id TEXT PRIMARY KEY, name TEXT, code TEXT, search_text TEXT);
CREATE VIRTUAL TABLE fts_parts USING fts5(record_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
"""


def floor_import(path: Path, csv_path: Path, schema_change: str = "") -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(FLOOR_SCHEMA + schema_change)
    conn.executemany("INSERT INTO suppliers VALUES (?, ?, ?, ?)",
                     [(f"s-{c}", f"Supplier {c}", c, c.lower()) for c in SUPPLIERS])
    start = time.perf_counter()
    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows, docs = [], []
        for i, r in enumerate(reader):
            number, rev, des, zh, fam, sup, mat, mass, vol = r
            text = normalise_text(number, compact(number), des, zh, mat)
            rows.append((f"p-{i}", number, rev, f"{number}#{rev}", des, fam, f"s-{sup}", mat, "",
                         mass, int(float(mass) * 1_000_000), "pc", "", 0, int(vol),
                         "in_development", "", text, i + 1, 0))
            docs.append((i + 1, f"p-{i}", text))  # FTS rowid = parts.search_key
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO parts VALUES ({','.join('?' * 20)})", rows)  # noqa: S608
    conn.executemany("INSERT INTO fts_parts(rowid, record_id, body) VALUES (?, ?, ?)", docs)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return {"seconds": round(seconds, 3), "rows_per_s": round(len(rows) / seconds)}


class FloorQueries:
    """The queries PartService makes, through plain sqlite3 on the floor database."""

    SELECT = "SELECT p.*, s.name FROM parts p LEFT JOIN suppliers s ON s.id = p.supplier_id "

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def search(self, prefix: str) -> None:
        # One MATCH for all words, the count from the index, and, when most rows match, the
        # sort index drives the page (search_key + 0).
        expression = " AND ".join(f'"{t}"*' for t in query_tokens(prefix))
        (total,) = self.conn.execute("SELECT count(*) FROM fts_parts WHERE fts_parts MATCH ?",
                                     (expression,)).fetchone()
        key = "p.search_key + 0" if total > DENSE_MATCHES else "p.search_key"
        sql = (self.SELECT + f"WHERE {key} IN (SELECT rowid FROM fts_parts WHERE "  # noqa: S608
               "fts_parts MATCH ?) ORDER BY p.part_number, p.revision, p.id LIMIT 100")
        self.conn.execute(sql, (expression,)).fetchall()

    def page(self, order: str) -> None:
        self.conn.execute("SELECT count(*) FROM parts").fetchone()
        self.conn.execute(self.SELECT + f"ORDER BY {order} LIMIT 100").fetchall()  # noqa: S608


SORTS = (("first_page", PartQuery(), "p.part_number, p.revision, p.id"),
         ("sort_designation", PartQuery(sort_key="designation"),
          "p.designation, p.part_number, p.revision, p.id"),
         ("sort_mass_desc", PartQuery(sort_key="mass", descending=True),
          "p.mass_mg DESC, p.part_number, p.revision, p.id"))


def measure_queries(floor_path: Path, ctx: ServiceContext, prefixes: list[str]
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    """App and floor timed alternately, query by query, so both see the same machine load."""
    floor, parts = FloorQueries(floor_path), PartService(ctx)
    app_times: list[float] = []
    floor_times: list[float] = []
    for prefix in prefixes:
        start = time.perf_counter()
        floor.search(prefix)
        floor_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        parts.page(PartQuery(search=prefix), 0, 100)
        app_times.append(time.perf_counter() - start)
    app: dict[str, Any] = {"search": _percentiles(app_times)}
    raw: dict[str, Any] = {"search": _percentiles(floor_times)}
    for name, query, order in SORTS:
        app_runs, floor_runs = [], []
        for _ in range(5):
            start = time.perf_counter()
            floor.page(order)
            floor_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            app[f"{name}_total"] = parts.page(query, 0, 100).total
            app_runs.append(time.perf_counter() - start)
        app[f"{name}_ms"] = _ms(app_runs[0])  # the first call: nothing cached in Python
        app[f"{name}_median_ms"] = _ms(statistics.median(app_runs))
        raw[f"{name}_ms"] = _ms(floor_runs[0])
        raw[f"{name}_median_ms"] = _ms(statistics.median(floor_runs))
    floor.conn.close()
    return app, raw


# -- PartDesk --------------------------------------------------------------------------------


def setup(folder: DataFolder, database_url: str | None = None) -> tuple[ServiceContext, Any]:
    ctx = open_context(folder, database_url)
    SiteService(ctx).initialise("BEN", "Bench plant", SiteKind.PLANT, "admin", "Admin",
                                PASSWORD)
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    people.add_person(admin, "eng", "Bench Engineer", Role.ENGINEER, PASSWORD)
    eng = people.sign_in("eng", PASSWORD)
    from desktop_app.domain.parts import SupplierDraft
    from desktop_app.services.suppliers import SupplierService

    for code in SUPPLIERS:
        SupplierService(ctx).add_supplier(eng, SupplierDraft(name=f"Supplier {code}", code=code))
    return ctx, eng


def typed_prefixes(rows: list[list[str]], count: int, seed: int = 11) -> list[str]:
    """What a person types, keystroke by keystroke: "tr", "tra", "trav", "trav a", ..."""
    rnd = random.Random(seed)
    prefixes: list[str] = []
    while len(prefixes) < count:
        row = rnd.choice(rows)
        target = rnd.choice([row[2], row[0], f"{row[2].split()[0]} {row[2].split()[1]}",
                             row[6], row[3]])
        for end in range(2, min(len(target), 9) + 1):
            prefixes.append(target[:end])
    return prefixes[:count]


def _in_child(fn, *args):
    """Run a phase in a fresh process, so that its peak memory is its own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def floor_phase(work: Path, csv_path: Path) -> dict[str, Any]:
    results = floor_import(work / "floor.sqlite3", csv_path)
    results["peak_memory_mb"] = _peak_mb()
    return results


def import_phase(work: Path, csv_path: Path, n: int, profile: bool) -> dict[str, Any]:
    folder = DataFolder(work / "data")
    folder.root.mkdir()
    ctx, eng = setup(folder)
    service = PartsImportService(ctx)
    baseline = _peak_mb()
    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    outcome = service.apply(eng, csv_path)
    seconds = time.perf_counter() - start
    if profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("desktop_app", 40)
    results: dict[str, Any] = {"seconds": round(seconds, 3), "rows_per_s": round(n / seconds),
                               "created": outcome.created,
                               "peak_memory_before_mb": baseline, "peak_memory_mb": _peak_mb()}
    start = time.perf_counter()
    again = service.preview(eng, csv_path)
    results["reimport_preview_seconds"] = round(time.perf_counter() - start, 3)
    results["reimport_unchanged"] = sum(1 for r in again.rows if r.status == "unchanged")
    results["peak_memory_after_reimport_preview_mb"] = _peak_mb()
    ctx.close()
    return results


def import_measures(n: int, million: bool, rounds: int) -> dict[str, Any]:
    """The import beside its floors, A B A B (bench.parts_import): the .xlsx command vs bare
    reads, the CSV import vs raw sqlite3, and the .xlsx command's peak memory."""
    from bench.parts_import import TARGETS, measure_csv, measure_xlsx

    work = Path(tempfile.mkdtemp(prefix="partdesk-bench-import-"))
    results: dict[str, Any] = {"rows": n, "rounds": rounds, "targets": TARGETS}
    try:
        template = DataFolder(work / "template")
        template.root.mkdir()
        ctx, _eng = setup(template)
        ctx.close()
        rows = _rows(n)
        csv_path, xlsx_path = work / "parts.csv", work / "parts.xlsx"
        write_table(csv_path, HEADERS, rows, "csv")
        write_table(xlsx_path, HEADERS, rows, "xlsx")
        del rows
        results["xlsx"] = measure_xlsx(template.root, work, xlsx_path, PASSWORD, rounds)
        results["csv"] = measure_csv(template.root, work, csv_path, n, PASSWORD, rounds)
        memory = {str(n): {k: results["xlsx"]["command"][k]
                           for k in ("import_peak_memory_mb", "peak_memory_mb")}}
        if million:
            big = work / "parts-1000000.xlsx"
            write_table(big, HEADERS, _rows(1_000_000), "xlsx")
            results["xlsx_1000000"] = measure_xlsx(template.root, work, big, PASSWORD, 1,
                                                   with_openpyxl=False)
            memory["1000000"] = {k: results["xlsx_1000000"]["command"][k]
                                 for k in ("import_peak_memory_mb", "peak_memory_mb")}
        results["peak_memory_mb"] = memory
        results["load_average"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def run(n: int, searches: int, profile: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="partdesk-bench-parts-"))
    results: dict[str, Any] = {
        "parts": n, "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(), "cpus": os.cpu_count(),
        "targets": {"search_p95_ms": 20, "first_page_ms": 50, "import_share_of_floor": 0.25,
                    "peak_memory_mb": 250},
    }
    try:
        rows = _rows(n)
        csv_path = work / "parts.csv"
        write_table(csv_path, HEADERS, rows, "csv")
        prefixes = typed_prefixes(rows, searches)
        del rows
        # The search's database and its floor (timed once; the import's own measures, subject
        # and floor alternating, are `import` below).
        results["floor"] = _in_child(floor_phase, work, csv_path)
        results["search_setup_import"] = _in_child(import_phase, work, csv_path, n, profile)
        ctx = open_context(DataFolder(work / "data"))  # a fresh engine, as after starting
        app, raw = measure_queries(work / "floor.sqlite3", ctx, prefixes)
        ctx.close()
        results.update(app)
        results["floor"].update(raw)
        results["load_average"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--import-only", action="store_true",
                        help="only the import measures, merged into the results file")
    parser.add_argument("--million", action="store_true",
                        help="also the peak memory of the .xlsx import of 1,000,000 rows")
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds of the import")
    args = parser.parse_args()
    if args.import_only:
        measured = import_measures(args.parts, args.million, args.rounds)
        # Read only now: the search's keys written meanwhile are kept.
        results = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        for stale in ("xlsx_read_seconds", "xlsx_rows", "xlsx_read_peak_memory_mb"):
            results.pop(stale, None)  # the former openpyxl reading, now inside `import`
        results["import"] = measured
    else:
        results = run(args.parts, args.searches, args.profile)
        results["import"] = import_measures(args.parts, args.million, args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
