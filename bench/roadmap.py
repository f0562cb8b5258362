"""Benchmark of the integration rate: a reference list of many sets with links to local parts and
approval periods, the rate on a day, the actual and forecast histories (pure domain), then the
service path (`IntegrationService.status`) and the dashboard read on a real SQLite file.

    .venv/bin/python -m bench.roadmap [--sets 200] [--links 1000] [--models 5]

Numbers go to bench/results/roadmap.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain.approvals import ApprovalKind, ApprovalPeriod
from desktop_app.domain.integration import (
    ReferenceEntry,
    SetKind,
    SetLink,
    evaluate,
    forecast_history,
    rate_history,
)
from desktop_app.domain.people import Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services import roadmap_sources
from desktop_app.services.context import open_context
from desktop_app.services.dashboard import DashboardService
from desktop_app.services.integration import IntegrationService
from desktop_app.services.people import PeopleService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.site import SiteService

PASSWORD = "bench-password-2026"
RESULTS = Path(__file__).resolve().parent / "results" / "roadmap.json"
TODAY = date(2026, 11, 26)


def timed(fn) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - start, 4)


def programme(rng: random.Random, sets: int, links: int):
    rate = Decimal(100) / sets
    entries = [ReferenceEntry(f"S{i}", f"Set {i}", SetKind.SET, rate.quantize(Decimal("0.01")))
               for i in range(sets)]
    chosen, periods = [], {}
    for i in range(links):
        part = f"P{i}"
        start = TODAY - timedelta(days=rng.randint(-400, 900))
        supply = start + timedelta(rng.randint(0, 60))
        chosen.append(SetLink(f"S{rng.randrange(sets)}", part, supply,
                              Decimal(rng.choice([100, 50, 30])),
                              TODAY + timedelta(rng.randint(0, 700)),
                              TODAY + timedelta(rng.randint(30, 760))))
        if rng.random() < 0.6:
            end = None if rng.random() < 0.7 else start + timedelta(rng.randint(30, 365))
            periods[part] = [ApprovalPeriod(part, ApprovalKind.APPROVED, start, end)]
    return entries, chosen, periods


def domain_numbers(sets: int, links: int) -> dict[str, Any]:
    entries, chosen, periods = programme(random.Random(7), sets, links)
    result, t_rate = timed(lambda: evaluate(entries, chosen, periods, TODAY))
    history, t_hist = timed(lambda: rate_history(entries, chosen, periods))
    forecast, t_fore = timed(lambda: forecast_history(entries, chosen, periods, TODAY))
    return {"sets": sets, "links": links, "rate_today_s": t_rate, "rate": str(result.rate),
            "history_points": len(history.points), "history_s": t_hist,
            "forecast_points": len(forecast.points), "forecast_s": t_fore}


def service_numbers(models: int, sets: int, links_per_model: int) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="partdesk-bench-roadmap-"))
    try:
        folder = DataFolder(root / "data")
        folder.root.mkdir(parents=True)
        ctx = open_context(folder)
        SiteService(ctx).initialise("BCH", "Bench", SiteKind.SUPPLIER, "admin", "Admin",
                                    PASSWORD)
        people = PeopleService(ctx)
        admin = people.sign_in("admin", PASSWORD)
        people.add_person(admin, "eng", "Engineer", Role.ENGINEER, PASSWORD)
        eng = people.sign_in("eng", PASSWORD)
        rng = random.Random(11)
        fake: dict[str, list[ApprovalPeriod]] = {}
        roadmap_sources.approval_periods = (  # type: ignore[assignment]
            lambda _ctx, ids: {p: fake.get(p, []) for p in ids})
        started = time.perf_counter()
        for m in range(models):
            with ctx.unit_of_work() as uow:
                model_id = uow.records.create("vehicle_model", {
                    "code": f"M{m}", "name": f"Model {m}",
                    "approval_date": "2024-01-15"}, admin, "bench").record_id
                part_ids = [uow.records.create("part", {
                    "part_number": f"M{m}-P{i}", "revision": "A", "designation": "Part",
                    "vehicle_model_ids": [model_id]}, admin, "bench").record_id
                    for i in range(links_per_model)]
            csv = root / f"list{m}.csv"
            csv.write_text("code,name,rate\n" + "".join(
                f"S{i},Set {i},{Decimal(100) / sets:.2f}\n" for i in range(sets)),
                encoding="utf-8")
            ReferenceListService(ctx).apply_import(eng, model_id, csv)
            set_ids = [s.set_id for s in ReferenceListService(ctx).reference_list(eng, model_id)]
            service = IntegrationService(ctx)
            for part_id in part_ids:
                service.link_part(eng, rng.choice(set_ids), part_id,
                                  supply_start=(TODAY - timedelta(rng.randint(0, 500))))
                if rng.random() < 0.6:
                    fake[part_id] = [ApprovalPeriod(part_id, ApprovalKind.APPROVED,
                                                    TODAY - timedelta(rng.randint(0, 700)))]
        setup_s = round(time.perf_counter() - started, 2)
        statuses, t_status = timed(lambda: IntegrationService(ctx).status(eng))
        _, t_dash = timed(lambda: DashboardService(ctx).overview(eng))
        ctx.close()
        return {"models": models, "sets_per_model": sets, "links_per_model": links_per_model,
                "setup_s": setup_s, "status_all_models_s": t_status,
                "dashboard_overview_s": t_dash,
                "rates": [str(s.rate) for s in statuses]}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=200)
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--models", type=int, default=5)
    args = parser.parse_args()
    numbers = {
        "machine": platform.platform(), "python": platform.python_version(),
        "domain": domain_numbers(args.sets, args.links),
        "service": service_numbers(args.models, args.sets // 2, args.links // 10),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(numbers, indent=2), encoding="utf-8")
    print(json.dumps(numbers, indent=2))


if __name__ == "__main__":
    main()
