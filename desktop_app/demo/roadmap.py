"""Demo step 5: reference lists of the two Jetour models, links to local parts, the regulatory
milestones and a joint roadmap of eleven steps, signed off by both parties.

No step status is typed: each follows from the integration rate the demo's approvals give on its
target date (achieved, late, on track, at risk); every step component names the part that realises
it, its component family and the set of the reference list it belongs to.

The links follow what certification approved in the earlier step: a part that holds a valid
approval today is in series supply since its approval; the others carry an expected approval and
a planned supply start. With the demo's approvals the X70 Plus reached its year-3 rate after the
milestone's date, so it stays in its grace period (supply cut by 25 %) until the 12 months end; the
Dashing is forecast below 10 % on its year-2 milestone (at risk).

Leaves in demo.refs: "reference_sets" ((model code, set code) -> id), "roadmap_steps" (step code
-> id).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from desktop_app.demo.parts import PARTS
from desktop_app.domain.approvals import valid_on
from desktop_app.domain.roadmap import Party, StepStatus
from desktop_app.services.approvals import ApprovalService
from desktop_app.services.deliveries import DeliveryService
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.roadmap import RoadmapService

if TYPE_CHECKING:
    from desktop_app.demo import Demo

# code, name, kind, contributory rate %, linked part numbers (with a share % when not 100)
X70P_LIST: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("BIW-EMB", "Emboutissage caisse en blanc (capot, pavillon, ailes, portes)", "set", "12",
     (("JX7-8402010", "40"), ("JX7-5701010", "30"), ("JX7-8403011", "15"),
      ("JX7-6101110", "15"))),
    ("BIW-STR", "Pièces de structure embouties (traverses, renforts, plancher)", "subset", "6",
     (("JCM-5301010", "40"), ("JCM-5401220", "40"), ("JX7-5101011", "20"))),
    ("SOUD", "Sous-ensembles soudés (berceau, traverse d'essieu)", "subset", "7",
     (("JX7-2810010", "55"), ("JCM-2910010", "45"))),
    ("PEINT", "Peinture et protection anticorrosion", "set", "6", ()),
    ("SIEGES", "Sièges", "set", "8", (("JX7-6800010", "60"), ("JX7-7000010", "40"))),
    ("VITR", "Vitrage", "set", "4", (("JX7-5206010", "70"), ("JX7-5606010", "30"))),
    ("FAISC", "Faisceaux électriques", "set", "6", (("JX7-3724010", "50"),
                                                    ("JX7-3724020", "50"))),
    ("PNEU", "Pneumatiques et roues", "set", "5", (("JCM-3100011", "100"),
                                                   ("JCM-3100030", "20"))),
    ("BATT", "Batterie", "accessory", "2", (("JCM-3703010", "100"),)),
    ("ECHAP", "Ligne d'échappement", "subset", "3", (("JX7-1201410", "30"),)),
    ("PLAST", "Garnitures plastiques intérieures et extérieures", "set", "7",
     (("JX7-2803011", "25"), ("JX7-2804011", "25"), ("JX7-6102010", "20"),
      ("JCM-8403310", "10"), ("JX7-5305010", "20"))),
    ("FREIN", "Freinage (disques, étriers)", "set", "5", (("JCM-3501075", "60"),
                                                          ("JCM-3501211", "40"))),
    ("LIAIS", "Liaison au sol (moyeux, bras, fusées)", "set", "6",
     (("JCM-3103015", "40"), ("JX7-3401021", "30"), ("JX7-3001011", "30"))),
    ("TRANS", "Arbres de transmission", "subset", "3", (("JCM-2203010", "100"),)),
    ("GMP", "Groupe motopropulseur (importé)", "set", "14", ()),
    ("CLIM", "Climatisation et chauffage", "subset", "3", ()),
    ("ECLAIR", "Éclairage et signalisation", "accessory", "2", ()),
    ("OUTIL", "Outillage de bord (cric, trousse)", "accessory", "1",
     (("JCM-3901010", "50"), ("JCM-3900020", "50"))),
)

DASH_LIST: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("BIW-EMB", "Emboutissage caisse en blanc (hayon, ailes)", "set", "13",
     (("JDS-6301120", "50"), ("JDS-8403012", "50"))),
    ("BIW-STR", "Pièces de structure embouties (traverses, renforts)", "subset", "5",
     (("JCM-5301010", "50"), ("JCM-5401220", "50"))),
    ("SOUD", "Sous-ensembles soudés (traverse d'essieu, supports)", "subset", "6",
     (("JCM-2910010", "70"), ("JDS-1201310", "30"))),
    ("PEINT", "Peinture et protection anticorrosion", "set", "6", ()),
    ("SIEGES", "Sièges", "set", "8", (("JCM-6800110", "50"), ("JDS-6800020", "50"))),
    ("VITR", "Vitrage", "set", "4", (("JDS-6103110", "100"),)),
    ("FAISC", "Faisceaux électriques", "set", "6", (("JDS-3724030", "100"),)),
    ("PNEU", "Pneumatiques et roues", "set", "5", (("JCM-3100011", "100"),)),
    ("BATT", "Batterie", "accessory", "2", (("JCM-3703010", "100"),)),
    ("PLAST", "Garnitures plastiques", "set", "7", (("JDS-8401010", "50"),
                                                    ("JCM-8403310", "20"))),
    ("FREIN", "Freinage (disques, étriers)", "set", "5", (("JCM-3501075", "60"),
                                                          ("JCM-3501211", "40"))),
    ("LIAIS", "Liaison au sol et supports moteur", "set", "6", (("JCM-3103015", "60"),
                                                                ("JDS-1001110", "40"))),
    ("GMP", "Groupe motopropulseur (importé)", "set", "18", ()),
    ("CLIM", "Climatisation et chauffage", "subset", "4", ()),
    ("ECLAIR", "Éclairage et signalisation", "accessory", "3", ()),
    ("ELEC", "Électronique embarquée (importée)", "set", "2", ()),
)

# When not approved yet: expected approval (days from today, plus a month per set further down the
# list) and planned series supply a month after it.
FORECAST = {"X70P": 45, "DASH": 240}
STAGGER_DAYS, SUPPLY_AFTER_DAYS = 25, 30


def _step(code: str, title: str, target: str, rate: str, *, years: int | None = None,
          baseline: str = "", forecast: str = "", owner: str = "Karim Benali",
          evidence: tuple[str, ...] = (), components: tuple[tuple, ...] = ()) -> dict:
    """A step; each component is (part number, APQP phase, volumes). The vehicles planned per
    period are those the components are planned for (one piece of each per vehicle)."""
    vehicles: dict[str, int] = {}
    for _, _, volumes in components:
        for period, qty in volumes:
            vehicles[period] = max(vehicles.get(period, 0), qty)
    return {"code": code, "title": title, "target_date": target, "target_rate": rate,
            "vehicle_volumes": vehicles,
            "milestone_years": years, "baseline_date": baseline,
            "forecast_date": forecast, "owner": owner, "required_evidence": list(evidence),
            "components": [{"part_number": n, "apqp_phase": p, "volumes": dict(v)}
                           for n, p, v in components]}


PPAP = ("PSW", "Rapport dimensionnel", "Essais matière (EN 10204 3.1)", "Plan de surveillance")

STEPS = {
    "X70P": (
        _step("X70-01", "Emboutissage caisse : capot, pavillon, ailes", "2025-03-31", "8",
              years=2, baseline="2024-06-01", evidence=PPAP, components=(
                  ("JX7-8402010", 5, (("2025-Q2", 3000), ("2025-Q3", 3000))),
                  ("JX7-5701010", 5, (("2025-Q2", 3000), ("2025-Q3", 3000))))),
        _step("X70-02", "Sous-ensembles soudés : berceau et traverse d'essieu", "2025-05-15",
              "10", years=2, baseline="2024-09-01", evidence=PPAP, components=(
                  ("JX7-2810010", 5, (("2025-Q3", 3000),)),
                  ("JCM-2910010", 5, (("2025-Q3", 3000),)))),
        _step("X70-03", "Freinage et liaison au sol", "2026-03-31", "20", years=3,
              baseline="2025-06-01", owner="Samira Haddad", evidence=PPAP, components=(
                  ("JCM-3501075", 5, (("2026-Q2", 6000), ("2026-Q3", 6000))),
                  ("JCM-3103015", 4, (("2026-Q2", 12000),)))),
        _step("X70-04", "Faisceaux moteur et habitacle", "2026-09-30", "22",
              years=3, baseline="2026-01-15",
              evidence=PPAP + ("Essais de continuité électrique",), components=(
                  ("JX7-3724010", 4, (("2026-Q4", 3000), ("2027-Q1", 3000))),
                  ("JX7-3724020", 4, (("2026-Q4", 3000),)))),
        _step("X70-05", "Sièges avant et arrière", "2027-06-30", "26",
              baseline="2026-06-01", owner="Samira Haddad",
              evidence=PPAP + ("Essai de résistance ECE R17",), components=(
                  ("JX7-6800010", 3, (("2027-Q2", 1500), ("2027-Q3", 3000))),
                  ("JX7-7000010", 2, (("2027-Q3", 3000),)))),
        _step("X70-06", "Vitrage : pare-brise et lunette chauffante", "2027-12-31", "30",
              years=5, baseline="2027-01-01", evidence=PPAP + ("Homologation ECE R43",),
              components=(("JX7-5206010", 2, (("2028-Q1", 3000),)),
                          ("JX7-5606010", 1, (("2028-Q1", 3000),)))),
    ),
    "DASH": (
        _step("DSH-01", "Plan de localisation et choix des fournisseurs", "2025-09-30", "0",
              baseline="2025-06-01", owner="Samira Haddad",
              evidence=("Plan de localisation signé",)),
        _step("DSH-02", "Emboutissage : panneau de hayon et ailes", "2026-06-30", "6",
              years=2, baseline="2025-10-01", evidence=PPAP, components=(
                  ("JDS-6301120", 3, (("2027-Q1", 2000), ("2027-Q2", 2000))),
                  ("JDS-8403012", 3, (("2027-Q1", 2000),)))),
        _step("DSH-03", "Sous-ensembles soudés : supports d'échappement", "2026-10-31", "8",
              years=2, baseline="2026-01-15", evidence=PPAP, components=(
                  ("JDS-1201310", 3, (("2027-Q1", 2000),)),)),
        _step("DSH-04", "Sièges et faisceaux de portes", "2027-04-30", "10", years=2,
              baseline="2026-09-01", owner="Samira Haddad",
              evidence=PPAP, components=(
                  ("JDS-6800020", 2, (("2027-Q2", 2000), ("2027-Q3", 2000))),
                  ("JDS-3724030", 2, (("2027-Q2", 4000),)))),
        _step("DSH-05", "Vitrage de portes", "2027-12-31", "20", years=3,
              baseline="2027-03-01", evidence=PPAP + ("Homologation ECE R43",), components=(
                  ("JDS-6103110", 1, (("2028-Q1", 4000),)),)),
    ),
}


def build(demo: Demo) -> None:
    ctx = demo.ctx
    eng = demo.actor("k.benali")
    models: dict[str, str] = demo.refs["models"]
    parts: dict[str, str] = demo.refs["parts"]
    today = date.today()
    lists = ReferenceListService(ctx)
    integration = IntegrationService(ctx)
    periods = ApprovalService(ctx).approval_periods()
    set_ids: dict[tuple[str, str], str] = {}
    for model_code, entries in (("X70P", X70P_LIST), ("DASH", DASH_LIST)):
        model_id = models[model_code]
        for index, (code, name, kind, rate, links) in enumerate(entries):
            expect = today + timedelta(days=FORECAST[model_code] + STAGGER_DAYS * index)
            supply = expect + timedelta(days=SUPPLY_AFTER_DAYS)
            info = lists.save_set(eng, model_id, code, name, kind, rate)
            set_ids[(model_code, code)] = info.set_id
            for number, share in links:
                part_id = parts[number]
                spans = periods.get(part_id, [])
                if valid_on(spans, today):
                    start = max(p.start for p in spans if p.valid_on(today))
                    integration.link_part(eng, info.set_id, part_id, share, supply_start=start)
                else:
                    integration.link_part(eng, info.set_id, part_id, share,
                                          expected_approval=expect, planned_supply_start=supply)
    demo.refs["reference_sets"] = set_ids
    _deliveries(demo, periods, today)

    roadmap = RoadmapService(ctx)
    supplier, carmaker = demo.actor("a.cherif"), demo.actor("li.wei")
    step_ids: dict[str, str] = {}
    for model_code, steps in STEPS.items():
        for data in steps:
            components = [_component(c, parts, model_code) for c in data["components"]]
            step = roadmap.save_step(eng, {**data, "components": components,
                                           "model_id": models[model_code]})
            step_ids[step.code] = step.step_id
            if step.status is StepStatus.ACHIEVED:
                roadmap.sign_off(supplier, step.step_id, Party.SUPPLIER, "Objectif atteint.")
                roadmap.sign_off(carmaker, step.step_id, Party.CARMAKER,
                                 "Volumes and PPAP confirmed by Jetour SQE.")
            elif step.status is StepStatus.ON_TRACK:
                roadmap.sign_off(supplier, step.step_id, Party.SUPPLIER,
                                 "Plan et volumes validés côté Massar.")
    demo.refs["roadmap_steps"] = step_ids
    states = {m.code: f"{m.rate} % ({m.state})" for m in integration.status(eng)}
    demo.summary["integration"] = ", ".join(f"{k} {v}" for k, v in sorted(states.items()))


def _component(data: dict, parts: dict[str, str], model_code: str) -> dict:
    """A step component from its part number: the part, its name and family, and the set of the
    model's reference list that the part realises."""
    number = data["part_number"]
    row = next(r for r in PARTS if r[0] == number)
    listed = X70P_LIST if model_code == "X70P" else DASH_LIST
    set_code = next(code for code, _, _, _, links in listed if number in dict(links))
    return {"name": row[4][0], "part_id": parts[number], "family": row[1], "set_code": set_code,
            "local": True, "apqp_phase": data["apqp_phase"], "volumes": data["volumes"]}


def _deliveries(demo: Demo, periods: dict, today: date) -> None:
    """Pieces shipped under the interim approvals limited by quantity: 60 % of the quantity in
    two deliveries, so their remaining quantity shows and they still count."""
    deliveries = DeliveryService(demo.ctx)
    eng = demo.actor("k.benali")
    for part_id, spans in sorted(periods.items()):
        for p in spans:
            if p.quantity_limit and p.valid_on(today):
                first = min(p.start + timedelta(days=7), today)
                second = min(p.start + timedelta(days=21), today)
                deliveries.record_delivery(eng, part_id, p.quantity_limit * 2 // 5, first,
                                           "BL-MSR-0001")
                deliveries.record_delivery(eng, part_id, p.quantity_limit // 5, second,
                                           "BL-MSR-0002")
