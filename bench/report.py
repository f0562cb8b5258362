"""The benchmark table: every measure with its floor, ratio and target, read from bench/results.

    .venv/bin/python -m bench.report            # print the table
    .venv/bin/python -m bench.report --readme   # and rewrite the README's table with it

`make bench` prints it after the benchmarks have run. A measure whose results file is missing
says "not measured"; nothing is asserted. The README's table lies between the lines
`<!-- bench:begin -->` and `<!-- bench:end -->`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE.parent / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

Results = dict[str, dict[str, Any]]


def get(results: Results, path: str) -> Any:
    """`file:key.key…` from the results, or None."""
    name, _, keys = path.partition(":")
    value: Any = results.get(name)
    for key in keys.split(".") if keys else ():
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


@dataclass(frozen=True)
class Row:
    measure: str
    measured: Callable[[Results], str | None]
    ratio: Callable[[Results], float | None]
    target: str
    met: Callable[[float], bool]


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        value = round(value, digits if abs(value) >= 10 else 3)
    return f"{value:,}{unit}".replace(",", " ") if isinstance(value, int) else f"{value}{unit}"


def _pair(a: Any, b: Any, unit: str) -> str | None:
    if a is None or b is None:
        return None
    return f"{_fmt(a, unit)} vs {_fmt(b, unit)}"


def _value(path: str, unit: str = "") -> Callable[[Results], str | None]:
    return lambda r: _fmt(get(r, path), unit)


def _number(path: str) -> Callable[[Results], float | None]:
    def read(results: Results) -> float | None:
        value = get(results, path)
        return float(value) if isinstance(value, int | float) else None
    return read


ROWS = (
    Row(".xlsx parts import, whole command vs a bare openpyxl read-only read (CPU)",
        lambda r: _pair(get(r, "parts:import.xlsx.command.cpu_s"),
                        get(r, "parts:import.xlsx.bare_openpyxl_read.cpu_s"), " s"),
        _number("parts:import.xlsx.command_vs_openpyxl_read_cpu"), "≤ 1.5×",
        lambda x: x <= 1.5),
    Row("CSV parts import vs raw sqlite3 executemany, same indexes + FTS (CPU share)",
        lambda r: _pair(get(r, "parts:import.csv.import.work_cpu_s"),
                        get(r, "parts:import.csv.floor.work_cpu_s"), " s"),
        _number("parts:import.csv.share_of_floor_cpu"), "≥ 25 %", lambda x: x >= 0.25),
    Row("peak memory, .xlsx import of 100,000 rows",
        _value("parts:import.xlsx.command.peak_memory_mb", " MB"),
        _number("parts:import.xlsx.command.peak_memory_mb"), "≤ 250 MB", lambda x: x <= 250),
    Row("peak memory, .xlsx import of 1,000,000 rows",
        _value("parts:import.xlsx_1000000.command.peak_memory_mb", " MB"),
        _number("parts:import.xlsx_1000000.command.peak_memory_mb"), "≤ 250 MB",
        lambda x: x <= 250),
    Row("search p95 at 100,000 parts, typed prefixes, through the service (CPU)",
        lambda r: _pair(get(r, "search:typed.service_cpu.p95_ms"),
                        get(r, "search:typed.floor_cpu.p95_ms"), " ms"),
        _number("search:typed.service_cpu.p95_ms"), "≤ 20 ms", lambda x: x <= 20),
    Row("search p95 at 100,000 parts, adversarial prefixes (CPU)",
        lambda r: _pair(get(r, "search:adversarial.service_cpu.p95_ms"),
                        get(r, "search:adversarial.floor_cpu.p95_ms"), " ms"),
        _number("search:adversarial.service_cpu.p95_ms"), "≤ 20 ms", lambda x: x <= 20),
    Row("part-number prefix with dense late matches (JX3), 100,000 parts (CPU median)",
        _value("search:adversarial.median_cpu_ms_by_prefix.JX3", " ms"),
        _number("search:adversarial.median_cpu_ms_by_prefix.JX3"), "≤ 20 ms",
        lambda x: x <= 20),
    Row("part-number prefix with dense late matches (JX3), 1,000,000 parts (CPU median)",
        _value("search_1m:adversarial.median_cpu_ms_by_prefix.JX3", " ms"),
        _number("search_1m:adversarial.median_cpu_ms_by_prefix.JX3"), "≤ 50 ms",
        lambda x: x <= 50),
    Row("search p95 at 100,000 parts on PostgreSQL, typed prefixes (wall: the server works)",
        _value("search_postgresql:typed.service_wall.p95_ms", " ms"),
        _number("search_postgresql:typed.service_wall.p95_ms"), "≤ 20 ms", lambda x: x <= 20),
    Row("keystroke to rows in the real parts page, 100,000 parts (p95, debounce included)",
        _value("search:keystroke_to_rows.p95_ms", " ms"),
        _number("search:keystroke_to_rows.p95_ms"), "≤ 150 ms", lambda x: x <= 150),
    Row("sync import vs raw inserts of the same rows",
        lambda r: _pair(get(r, "sync:import_s"), get(r, "sync:raw_sqlite_insert_s"), " s"),
        _number("sync:import_over_raw"), "≤ 5×", lambda x: x <= 5),
    Row("sync import peak memory",
        _value("sync:import_peak_memory_mb", " MB"), _number("sync:import_peak_memory_mb"),
        "≤ 250 MB", lambda x: x <= 250),
    Row("certificate PDF (fr + en), median CPU",
        _value("certificates:render_fr_en_cpu.median_ms", " ms"),
        _number("certificates:render_fr_en_cpu.median_ms"), "≤ 30 ms", lambda x: x <= 30),
    Row("cold start to the sign-in window vs a bare PySide6 window",
        lambda r: _pair(get(r, "startup:sign_in_window_s"),
                        get(r, "startup:bare_pyside6_window_s"), " s"),
        _number("startup:ratio"), "≤ 1.5×", lambda x: x <= 1.5),
)


def load(folder: Path = RESULTS) -> Results:
    results: Results = {}
    for path in sorted(folder.glob("*.json")):
        try:
            results[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return results


def table(results: Results) -> str:
    lines = ["| measure | measured (subject vs floor) | ratio / value | target | met |",
             "| --- | --- | --- | --- | --- |"]
    for row in ROWS:
        measured, ratio = row.measured(results), row.ratio(results)
        if measured is None or ratio is None:
            lines.append(f"| {row.measure} | not measured | — | {row.target} | — |")
            continue
        shown = f"{ratio:.0%}" if row.target.endswith("%") else f"{ratio:g}"
        lines.append(f"| {row.measure} | {measured} | {shown} | {row.target} | "
                     f"{'yes' if row.met(ratio) else 'no'} |")
    return "\n".join(lines)


def rewrite_readme(text: str, readme: Path = README) -> bool:
    content = readme.read_text(encoding="utf-8")
    if BEGIN not in content or END not in content:
        return False
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="rewrite the README's table")
    args = parser.parse_args(argv)
    text = table(load())
    print(text)
    if args.readme and not rewrite_readme(text):
        print(f"The README has no {BEGIN} … {END} lines; nothing rewritten.")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
