"""Search at N parts (default 100,000): the service beside the raw database, and keystroke to
rows in the real parts page.

    .venv/bin/python -m bench.search [--parts 100000] [--data DIR] [--searches 80]

- service: `PartService.page(search=…)` (count and first page of 100), for prefixes a person
  types keystroke by keystroke (two to nine characters of designations, part numbers,
  materials, Chinese names) and for adversarial ones: part-number prefixes whose matches are
  dense and late in the part-number order ("JX3", "JX9-00"), two letters matching a third of
  the table late ("jx"), digits matching everywhere;
- floor: the same count and page through plain sqlite3 on the same file, with the better of the
  two raw plans (match-first and index walk, both over the covering indexes) for each prefix;
- subject and floor alternate prefix by prefix (A B A B), each timed in wall and CPU time
  (time.process_time), so both see the same machine load;
- keystroke to rows: the real `PartsPage` (offscreen Qt, its debounce and worker thread) with
  words typed one key every 180 ms; time from each key to its rows shown.

`--data DIR` reuses a data folder made by an earlier run (its registry must hold the bench's
generated parts). Results go to bench/results/search.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.parts import HEADERS, PASSWORD, _rows, setup, typed_prefixes
from desktop_app.files.tables import write_table
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.people import PeopleService
from desktop_app.storage.search import query_tokens

RESULTS = Path(__file__).resolve().parent / "results" / "search.json"
ADVERSARIAL = ["JX3", "JX9", "JX3-00", "JX9-009", "jx", "jd", "dc0", "1", "0000", "supp",
               "trav av", "22mn"]
WORDS = ["JX3-000", "traverse av", "support", "JX9-00951", "HC340"]
TARGETS = {"search_p95_ms": 20, "adversarial_p95_ms": 20, "keystroke_p95_ms": 150}

COLUMNS = ("p.id, p.part_number, p.revision, p.designation, p.family, p.supplier_id, s.name, "
           "p.material, p.mass_kg, p.unit, p.status, p.annual_volume, "
           "p.special_characteristics, p.conflict, p.rev_id, p.updated_at")


class Floor:
    """The count and the first page through plain sqlite3, the better raw plan of two."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def _page(self, expression: str, walk: bool) -> None:
        key = "search_key + 0" if walk else "search_key"
        self.conn.execute(
            f"SELECT {COLUMNS} FROM (SELECT id, part_number, revision FROM parts "  # noqa: S608
            f"WHERE {key} IN (SELECT rowid FROM fts_parts WHERE fts_parts MATCH ?) "
            "ORDER BY part_number, revision, id LIMIT 100) k JOIN parts p ON p.id = k.id "
            "LEFT JOIN suppliers s ON s.id = p.supplier_id "
            "ORDER BY k.part_number, k.revision, k.id", (expression,)).fetchall()

    def search(self, prefix: str) -> tuple[float, float]:
        """Wall and CPU seconds of the count plus the faster of the two page plans."""
        expression = " AND ".join(f'"{t}"*' for t in query_tokens(prefix))
        best = (float("inf"), float("inf"))
        for walk in (False, True):
            wall, cpu = time.perf_counter(), time.process_time()
            self.conn.execute("SELECT count(*) FROM fts_parts WHERE fts_parts MATCH ?",
                              (expression,)).fetchone()
            self._page(expression, walk)
            took = (time.perf_counter() - wall, time.process_time() - cpu)
            best = min(best, took)
        return best


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95),
            "max_ms": _ms(ordered[-1]), "samples": len(ordered)}


def side_by_side(ctx: ServiceContext, database: Path | None, prefixes: list[str]
                 ) -> dict[str, Any]:
    """Subject and floor alternating; on a server database (`database` None) the service
    alone."""
    floor, parts = (Floor(database) if database else None), PartService(ctx)
    subject_wall, subject_cpu, floor_wall, floor_cpu = [], [], [], []
    slowest: list[tuple[float, str, int]] = []
    by_prefix: dict[str, list[float]] = {}
    for prefix in prefixes:
        if floor is not None:
            wall, cpu = floor.search(prefix)
            floor_wall.append(wall)
            floor_cpu.append(cpu)
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        page = parts.page(PartQuery(search=prefix), 0, 100)
        subject_wall.append(time.perf_counter() - start_wall)
        subject_cpu.append(time.process_time() - start_cpu)
        slowest.append((subject_wall[-1], prefix, page.total))
        by_prefix.setdefault(prefix, []).append(subject_cpu[-1])
    slowest.sort(reverse=True)
    result: dict[str, Any] = {}
    if floor is not None:
        floor.conn.close()
        result = {"floor_wall": _summary(floor_wall), "floor_cpu": _summary(floor_cpu),
                  "p95_ratio_cpu": round(_summary(subject_cpu)["p95_ms"]
                                         / max(0.01, _summary(floor_cpu)["p95_ms"]), 2)}
    return {
        **result,
        "service_wall": _summary(subject_wall), "service_cpu": _summary(subject_cpu),
        "slowest": [{"prefix": p, "matches": n, "ms": _ms(s)} for s, p, n in slowest[:5]],
        "median_cpu_ms_by_prefix": {p: _ms(statistics.median(v)) for p, v in by_prefix.items()
                                    if len(v) > 1},
    }


def keystrokes(ctx: ServiceContext, words: list[str], gap_ms: int = 180) -> dict[str, Any]:
    """Type each word into the real parts page; time from each key to its rows shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.app_events import AppEvents
    from desktop_app.ui.pages.base import UiSession
    from desktop_app.ui.pages.parts_page import PartsPage
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    actor = PeopleService(ctx).sign_in("eng", PASSWORD)
    events = AppEvents()
    tasks = TaskRunner(events)
    settings_dir = Path(tempfile.mkdtemp(prefix="partdesk-bench-ui-"))
    session = UiSession(ctx=ctx, actor=actor, tasks=tasks, events=events,
                        settings=Settings(settings_dir / "bench.ini"))
    page = PartsPage(session)
    page.resize(1280, 760)
    page.show()

    def settle(deadline: float) -> bool:
        while time.perf_counter() < deadline:
            app.processEvents()
            if not page.search_timer.isActive() and not page.model.loading:
                return True
            time.sleep(0.001)
        return False

    settle(time.perf_counter() + 30)
    delays: list[float] = []
    for word in words:
        page.search_edit.clear()
        settle(time.perf_counter() + 30)
        for char in word:
            start = time.perf_counter()
            QTest.keyClicks(page.search_edit, char)
            app.processEvents()
            if settle(start + 10):
                delays.append(time.perf_counter() - start)
            rest = start + gap_ms / 1000 - time.perf_counter()
            if rest > 0:
                time.sleep(rest)
    from desktop_app.ui.pages import parts_page

    result = {"keystroke_to_rows": _summary(delays), "debounce_ms": parts_page.SEARCH_DELAY_MS,
              "gap_between_keys_ms": gap_ms, "words": words}
    page.close()
    page.deleteLater()
    app.processEvents()
    tasks.shutdown()
    shutil.rmtree(settings_dir, ignore_errors=True)
    del Qt
    return result


def build(folder: DataFolder, n: int, database_url: str | None = None) -> None:
    work = folder.root.parent
    csv_path = work / "parts.csv"
    write_table(csv_path, HEADERS, _rows(n), "csv")
    folder.root.mkdir(parents=True)
    ctx, eng = setup(folder, database_url)
    try:
        PartsImportService(ctx).apply(eng, csv_path)
    finally:
        ctx.close()


def run(n: int, data: Path | None, searches: int, database_url: str | None = None
        ) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="partdesk-bench-search-"))
    try:
        folder = DataFolder(data) if data else DataFolder(work / "data")
        if data is None:
            build(folder, n, database_url)
        ctx = open_context(folder, database_url)
        try:
            rows = _rows(n)
            typed = typed_prefixes(rows, searches)
            del rows
            results: dict[str, Any] = {
                "parts": n, "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(), "targets": TARGETS,
                "load_average_before": os.getloadavg(),
                "database": "postgresql" if database_url else "sqlite",
                "typed": side_by_side(ctx, None if database_url else folder.database, typed),
                "adversarial": side_by_side(ctx, None if database_url else folder.database,
                                            ADVERSARIAL * 3),
            }
            results.update(keystrokes(ctx, WORDS))
            results["load_average_after"] = os.getloadavg()
        finally:
            ctx.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="a data folder made by an earlier run")
    parser.add_argument("--searches", type=int, default=80)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--postgres", action="store_true",
                        help="on a throwaway PostgreSQL server (service only, no raw floor)")
    args = parser.parse_args()
    if args.postgres:
        from tests.postgres.server import new_database, throwaway_server

        with throwaway_server() as socket_dir:
            results = run(args.parts, None, args.searches,
                          new_database(socket_dir, "partdesk_bench"))
        if args.out == RESULTS:
            args.out = RESULTS.with_name("search_postgresql.json")
    else:
        results = run(args.parts, args.data, args.searches)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
