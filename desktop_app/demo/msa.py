"""Demo step: measurement system analysis studies of the body-shop gauges (PPAP element 8).

The traverse's fixing hole on the CMM is a capable measurement (gauge R&R under 10 %); the sheet
thickness on the micrometer sits in the customer-agreement band (10 to 30 %); the flange height on
the caliper is unacceptable (too few distinct categories); a go/no-go plug gauge for the fixing
hole passes its attribute agreement study. Submissions in the
demo mark element 8 not applicable (Jetour's CSR), so these studies change no decision.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from desktop_app.domain.msa import Reading
from desktop_app.services.evidence_dto import GaugeDraft
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.gauges import GaugeService
from desktop_app.services.msa import MsaService, MsaStudyDraft

if TYPE_CHECKING:
    from desktop_app.demo import Demo

TRAVERSE = "JCM-5301010"
OPERATORS = ("Yacine B.", "Samira K.", "Karim O.")
PLUG = GaugeDraft("TAM-10.5", "Calibre tampon lisse Ø 10,5 H9 (entre / n'entre pas)",
                  "Ø 10,5 mm", "", "2026-05-04", "2027-05-04")


def _measured(rng: random.Random, nominal: float, spread: float, noise: float,
              bias: float = 0.0) -> list[Reading]:
    sizes = [nominal + spread * (j - 4.5) / 3 for j in range(10)]
    return [Reading(op, str(j + 1), t, f"{sizes[j] + i * bias + rng.gauss(0, noise):.4f}")
            for i, op in enumerate(OPERATORS) for t in (1, 2, 3) for j in range(10)]


def _judged(rng: random.Random) -> tuple[list[Reading], dict[str, str]]:
    """20 holes, 6 of them out of tolerance; one appraiser rejects one good hole once."""
    truth = {str(j + 1): "NG" if j in (2, 5, 9, 13, 16, 18) else "OK" for j in range(20)}
    readings = []
    slip = (OPERATORS[1], str(rng.choice([j + 1 for j in range(20) if truth[str(j + 1)] == "OK"])),
            2)
    for op in OPERATORS:
        for part, ref in truth.items():
            for trial in (1, 2, 3):
                said = ("NG" if (op, part, trial) == slip else ref)
                readings.append(Reading(op, part, trial, said))
    return readings, truth


def build(demo: Demo) -> None:
    ctx = demo.ctx
    recorded = demo.refs.get("evidence", {})
    gauges: dict[str, str] = dict(recorded.get("gauges", {}))
    part_id = recorded.get("parts", {}).get(TRAVERSE)
    if not part_id or not {"CMM-01", "MIC-014", "CAL-031"} <= set(gauges):
        return
    inspector = demo.actor("n.mansouri")
    chars = {c.number: c.characteristic_id for c in EvidenceQueries(ctx).characteristics(part_id)}
    gauges[PLUG.code] = GaugeService(ctx).add_gauge(inspector, PLUG).gauge_id
    msa = MsaService(ctx)
    rng = random.Random(2026)
    day = date.today()
    studies = (
        MsaStudyDraft(gauges["CMM-01"], _measured(rng, 10.5, 0.03, 0.0008),
                      characteristic_id=chars.get("1", ""),
                      studied_on=(day - timedelta(days=75)).isoformat(),
                      note="Étude R&R sur 10 traverses de présérie, MMT en salle de métrologie."),
        MsaStudyDraft(gauges["MIC-014"], _measured(rng, 1.5, 0.03, 0.0035, 0.001),
                      characteristic_id=chars.get("4", ""),
                      studied_on=(day - timedelta(days=60)).isoformat(),
                      note="Micromètre au poste d'emboutissage."),
        MsaStudyDraft(gauges["CAL-031"], _measured(rng, 32.0, 0.12, 0.05, 0.02),
                      characteristic_id=chars.get("3", ""),
                      studied_on=(day - timedelta(days=45)).isoformat(),
                      note="Pied à coulisse au poste : trop peu de catégories distinctes ; "
                           "remplacement par un comparateur sur montage prévu."),
    )
    verdicts = [msa.record_study(inspector, draft).verdict for draft in studies]
    readings, truth = _judged(rng)
    verdicts.append(msa.record_study(inspector, MsaStudyDraft(
        gauges[PLUG.code], readings, reference=truth,
        studied_on=(day - timedelta(days=30)).isoformat(),
        note="Contrôle entre / n'entre pas du trou de fixation, pièces étalons du labo.")).verdict)
    demo.summary["msa"] = f"{len(verdicts)} MSA studies ({', '.join(verdicts)})"
