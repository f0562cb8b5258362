"""Cold start to the sign-in window, beside a bare PySide6 window, in fresh processes.

    .venv/bin/python -m bench.startup [--runs 5]

Each sample is a new Python process, offscreen, timed from spawning it to the line it prints
once its window is shown (the first paint is queued): a bare `QWidget`, and
`python -m desktop_app` with `PARTDESK_SMOKE_TEST=1` on a set-up data folder, so the window is
the sign-in window (data folder, lock and a read-only look at the database included; the
engine, schema check and services open on the worker thread after the window is shown:
`services_ready_s` is when that is done, also from spawn). The two kinds
alternate so that both see the same machine load. Medians go to bench/results/startup.json with
their ratio (target: at most 1.5). Nothing is asserted; `--profile` adds `-X importtime` totals
of the app's slowest imports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "startup.json"
TARGET_RATIO = 1.5

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
window = QWidget()
window.resize(420, 300)
window.show()
def done():
    print("shown", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def environment() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARTDESK_SMOKE_TEST": "1",
           "PARTDESK_NO_DIALOGS": "1", "PARTDESK_LANG": "en"}
    env.pop("PARTDESK_DATA_DIR", None)
    return env


def time_to_window(command: list[str]) -> tuple[float, str, float | None]:
    """Seconds from spawn to the first line on stdout, that line, and seconds to a second
    line ("ready": the app's services are open) if the process prints one."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    elapsed = time.perf_counter() - start
    ready = None
    if process.stdout.readline().strip() == "ready":
        ready = time.perf_counter() - start
    _, err = process.communicate(timeout=60)
    if process.returncode != 0 or not line:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.strip()}")
    return elapsed, line, ready


def set_up_folder(folder: Path) -> None:
    env = {**environment(), "PARTDESK_PASSWORD": "bench-password-1"}
    env.pop("PARTDESK_SMOKE_TEST")
    subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(folder), "init",
                    "--site-code", "BEN", "--site-name", "Bench plant", "--admin", "admin"],
                   cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def import_profile(folder: Path, top: int = 12) -> list[dict[str, object]]:
    """The slowest cumulative imports of one app start (`python -X importtime`)."""
    command = [sys.executable, "-X", "importtime", "-m", "desktop_app", "--data-dir", str(folder)]
    result = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True,
                            timeout=60)
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(3)) <= 3:  # top-level and direct imports only
            rows.append({"module": match.group(4), "cumulative_ms": int(match.group(2)) / 1000})
    return sorted(rows, key=lambda r: -float(r["cumulative_ms"]))[:top]  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="partdesk-startup-") as tmp:
        folder = Path(tmp) / "data"
        set_up_folder(folder)
        app_command = [sys.executable, "-m", "desktop_app", "--data-dir", str(folder)]
        bare_command = [sys.executable, "-c", BARE_WINDOW]
        time_to_window(bare_command)  # warm the OS file cache for both: "cold" = new process
        time_to_window(app_command)
        bare, app, ready = [], [], []
        for _ in range(args.runs):
            bare.append(time_to_window(bare_command)[0])
            seconds, window, ready_s = time_to_window(app_command)
            if window != "sign_in_dialog" or ready_s is None:
                raise SystemExit(f"the app showed {window}, not the sign-in window")
            app.append(seconds)
            ready.append(ready_s)
        profile = import_profile(folder) if args.profile else []
    result = {
        "what": "spawn to window shown, fresh process each, offscreen, median of runs",
        "runs": args.runs,
        "bare_pyside6_window_s": round(statistics.median(bare), 4),
        "sign_in_window_s": round(statistics.median(app), 4),
        "ratio": round(statistics.median(app) / statistics.median(bare), 3),
        "target_ratio": TARGET_RATIO,
        "services_ready_s": round(statistics.median(ready), 4),
        "samples_bare_s": [round(s, 4) for s in bare],
        "samples_sign_in_s": [round(s, 4) for s in app],
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpu",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if profile:
        result["slowest_imports"] = profile
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("bare_pyside6_window_s", "sign_in_window_s",
                                              "ratio")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
