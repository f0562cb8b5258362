"""Demo step 3: test evidence for three local parts.

Gauges (one past its calibration due date), the ballooned characteristics of a stamped cross
member, a cast brake disc and a wheel bolt, and reports that pass, fail and sit in the
"customer agreement" band (Ppk between 1.33 and 1.67), with real attached files: laboratory
reports and a material certificate as PDF, a photo as PNG, the readings as CSV. One report is
corrected by a later one (insert-only evidence).

Uses demo.refs["parts"] (part number -> id) from the parts step. Leaves demo.refs["evidence"]:
{"parts": {number: id}, "reports": {key: report number}, "report_ids": {key: id},
 "attachments": {key: attachment id}, "gauges": {code: id}} for the certification step, with the
report keys "traverse_dim", "traverse_cap", "disc_dim_first", "disc_dim", "bolt_tensile",
"bolt_salt_spray".
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.demo.evidence_files import part_photo_png, readings_csv, report_pdf
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    GaugeDraft,
    ReportDraft,
    ResultDraft,
)

if TYPE_CHECKING:
    from desktop_app.demo import Demo

TRAVERSE, DISC, BOLT = "JCM-5301010", "JCM-3501075", "JCM-3101017"
PARTS_IN_DEMO = (TRAVERSE, DISC, BOLT)

GAUGES = (
    GaugeDraft("CMM-01", "Machine à mesurer tridimensionnelle Zeiss Contura",
               "1000 x 1200 x 600 mm", "0.001", "2026-09-01", "2027-09-01"),
    GaugeDraft("MIC-014", "Micromètre extérieur 0-25 mm", "0-25 mm", "0.001", "2026-06-02",
               "2027-06-02"),
    GaugeDraft("CAL-031", "Pied à coulisse numérique 0-150 mm", "0-150 mm", "0.01",
               "2026-03-15", "2027-03-15"),
    GaugeDraft("DUR-02", "Duromètre Brinell / Rockwell", "HB 95-650, HRC 20-70", "1",
               "2025-10-01", "2026-10-01"),  # past its due date
    GaugeDraft("TRAC-01", "Machine de traction 100 kN", "0-100 kN", "0.01", "2026-01-20",
               "2027-01-20"),
)

CHARACTERISTICS = {
    TRAVERSE: (
        CharacteristicDraft("1", "Diamètre trou de fixation", "10.5", "-0.1", "0.1", unit="mm",
                            char_class="CC", method="MMT, palpage 8 points",
                            gauge_code="CMM-01"),
        CharacteristicDraft("2", "Entraxe trous de fixation", "245", "-0.3", "0.3", unit="mm",
                            char_class="SC", method="MMT", gauge_code="CMM-01"),
        CharacteristicDraft("3", "Hauteur de bord tombé", "32", "-0.5", "0.5", unit="mm",
                            gauge_code="CAL-031"),
        CharacteristicDraft("4", "Épaisseur tôle après emboutissage", "1.5", "-0.08", "0.08",
                            unit="mm", char_class="SC", gauge_code="MIC-014"),
        CharacteristicDraft("5", "Planéité zone d'appui", upper_limit="0.5", unit="mm",
                            method="MMT", gauge_code="CMM-01"),
    ),
    DISC: (
        CharacteristicDraft("1", "Épaisseur du disque", "28", "-0.1", "0.1", unit="mm",
                            char_class="CC", gauge_code="MIC-014"),
        CharacteristicDraft("2", "Voile latéral", upper_limit="0.05", unit="mm",
                            char_class="CC", gauge_code="CMM-01"),
        CharacteristicDraft("3", "Dureté", lower_limit="180", upper_limit="230", unit="HB",
                            char_class="SC", method="ISO 6506-1", gauge_code="DUR-02"),
        CharacteristicDraft("4", "Diamètre extérieur", "300", "-0.2", "0.2", unit="mm",
                            gauge_code="CMM-01"),
    ),
    BOLT: (
        CharacteristicDraft("1", "Longueur sous tête", "45", "-0.3", "0.3", unit="mm",
                            gauge_code="CAL-031"),
        CharacteristicDraft("2", "Résistance à la traction Rm", lower_limit="1040", unit="MPa",
                            char_class="CC", method="ISO 6892-1 / ISO 898-1 classe 10.9",
                            gauge_code="TRAC-01"),
        CharacteristicDraft("3", "Dureté à cœur", lower_limit="32", upper_limit="39",
                            unit="HRC", char_class="SC", method="ISO 6508-1",
                            gauge_code="DUR-02"),
    ),
}


def series(rng: random.Random, nominal: float, lower: float, upper: float, ppk: float,
           n: int, places: int = 3) -> tuple[str, ...]:
    """n readings centred on the nominal whose overall Ppk is (about) `ppk`."""
    raw = [rng.gauss(0, 1) for _ in range(n)]
    mean, sd = statistics.mean(raw), statistics.stdev(raw)
    sigma = min(upper - nominal, nominal - lower) / (3 * ppk)
    quantum = Decimal(1).scaleb(-places)
    return tuple(str(Decimal(repr(nominal + sigma * (z - mean) / sd)).quantize(quantum))
                 for z in raw)


def _tolerance(d: CharacteristicDraft) -> str:
    if d.lower_tol or d.upper_tol:
        return f"{d.lower_tol} / +{d.upper_tol}"
    if d.lower_limit and d.upper_limit:
        return f"{d.lower_limit} … {d.upper_limit}"
    return f"≤ {d.upper_limit}" if d.upper_limit else f"≥ {d.lower_limit}"


def build(demo: Demo) -> None:
    ctx = demo.ctx
    parts = {n: demo.refs.get("parts", {}).get(n) for n in PARTS_IN_DEMO}
    parts = {n: pid for n, pid in parts.items() if pid}
    if not parts:
        return
    evidence = EvidenceService(ctx)
    files = AttachmentService(ctx)
    inspector, engineer = demo.actor("n.mansouri"), demo.actor("k.benali")
    gauges = {g.code: evidence.add_gauge(inspector, g).gauge_id for g in GAUGES}
    chars: dict[str, dict[str, str]] = {}
    for number, part_id in parts.items():
        added = evidence.add_characteristics(engineer, part_id, CHARACTERISTICS[number])
        chars[number] = {c.number: c.characteristic_id for c in added}
    rng = random.Random(2026)
    reports: dict[str, str] = {}
    report_ids: dict[str, str] = {}
    attachments: dict[str, str] = {}
    folder = Path(tempfile.mkdtemp(prefix="partdesk-demo-"))

    def keep(key: str, detail) -> str:
        reports[key] = detail.summary.number
        report_ids[key] = detail.summary.report_id
        return detail.summary.report_id

    if TRAVERSE in parts:
        pid, c = parts[TRAVERSE], chars[TRAVERSE]
        five = {"1": ("10.52", "10.48", "10.51", "10.50", "10.47"),
                "2": ("245.08", "244.95", "245.12", "245.02", "244.90"),
                "3": ("32.2", "31.9", "32.1", "32.3", "31.8"),
                "4": ("1.51", "1.49", "1.52", "1.50", "1.48"),
                "5": ("0.21", "0.18", "0.26", "0.15", "0.22")}
        dim = evidence.record_report(inspector, ReportDraft(
            pid, "dimensional", "Rapport dimensionnel PPAP — 5 pièces du lot de démarrage",
            "Plan JCM-5301010 indice A", "Laboratoire métrologie Massar Rouiba", "internal",
            "", 5, "2026-10-06", "2026-10-07", "Nadir Mansouri",
            "Toutes les cotes conformes au plan."), [
            ResultDraft(c[k], v) for k, v in five.items()])
        keep("traverse_dim", dim)
        hole = series(rng, 10.5, 10.4, 10.6, 1.50, 100)  # marginal: customer agreement
        thickness = series(rng, 1.5, 1.42, 1.58, 2.05, 100, 4)  # acceptable
        cap = evidence.record_report(inspector, ReportDraft(
            pid, "capability", "Étude de capabilité préliminaire — 100 pièces consécutives",
            "AIAG SPC / PPAP 4e éd.", "Laboratoire métrologie Massar Rouiba", "internal", "",
            100, "2026-10-20", "2026-10-22", "Nadir Mansouri",
            "Ppk trou de fixation entre 1,33 et 1,67 : accord client nécessaire."), [
            ResultDraft(c["1"], hole), ResultDraft(c["4"], thickness)])
        keep("traverse_cap", cap)
        pdf = report_pdf(folder / "Rapport dimensionnel JCM-5301010.pdf",
                         "Rapport dimensionnel — Traverse avant JCM-5301010 A", [
                             ("Rapport", dim.summary.number), ("Date d'essai", "2026-10-06"),
                             ("Opérateur", "Nadir Mansouri"), ("Moyen", "MMT Zeiss Contura")],
                         [["N°", "Caractéristique", "Nominal", "Tolérance", "Mesures", "Résultat"],
                          *[[k, d.description, d.nominal, _tolerance(d), " / ".join(v),
                             "Conforme"] for k, v in five.items()
                            for d in CHARACTERISTICS[TRAVERSE] if d.number == k]],
                         "Conclusion : toutes les cotes sont conformes au plan indice A.")
        attachments["traverse_report_pdf"] = files.attach_file(
            inspector, pid, pdf, "test_report", report_id=dim.summary.report_id).attachment_id
        photo = part_photo_png(folder / "traverse-avant-echantillon-1.png")
        attachments["traverse_photo"] = files.attach_file(
            inspector, pid, photo, "photo", note="Échantillon n° 1 du lot de démarrage"
        ).attachment_id
        csv_path = readings_csv(folder / "capabilite-JCM-5301010.csv",
                                {"1": hole, "4": thickness})
        attachments["traverse_readings_csv"] = files.attach_file(
            inspector, pid, csv_path, "test_report", report_id=cap.summary.report_id
        ).attachment_id

    if DISC in parts:
        pid, c = parts[DISC], chars[DISC]
        thickness = series(rng, 28.0, 27.9, 28.1, 1.10, 60)  # capability not acceptable
        hardness = ("198", "205", "201", "210", "196")
        outer = ("300.05", "299.92", "300.25", "300.10", "299.98")  # one out: fails
        runout = ("0.021", "0.034", "0.018", "0.029", "0.025")
        header = ReportDraft(pid, "dimensional", "Contrôle dimensionnel et dureté — OTS",
                             "Plan JCM-3501075 indice A", "Laboratoire Massar", "internal", "",
                             5, "2026-11-03", "2026-11-04", "Nadir Mansouri",
                             "Diamètre extérieur hors tolérance sur la pièce 3.")
        first = evidence.record_report(inspector, header, [
            ResultDraft(c["1"], thickness), ResultDraft(c["2"], runout),
            ResultDraft(c["3"], ("1980", "205", "201", "210", "196")),
            ResultDraft(c["4"], outer)])
        keep("disc_dim_first", first)
        corrected = evidence.supersede_report(inspector, first.summary.report_id, header, [
            ResultDraft(c["1"], thickness), ResultDraft(c["2"], runout),
            ResultDraft(c["3"], hardness), ResultDraft(c["4"], outer)],
            "Dureté pièce 1 saisie 1980 au lieu de 198 (faute de frappe)")
        keep("disc_dim", corrected)
        cert = report_pdf(folder / "Certificat 3.1 coulee 24-1187.pdf",
                          "Certificat de réception EN 10204 3.1 — Fonte EN-GJL-250", [
                              ("Coulée", "24-1187"), ("Fournisseur", "SNS Fonderie El Hadjar"),
                              ("Inspecteur", "Service contrôle indépendant de la production")],
                          [["Élément", "C", "Si", "Mn", "P", "S"],
                           ["Spécifié", "3.1-3.5", "1.7-2.3", "0.5-0.9", "≤0.15", "≤0.12"],
                           ["Mesuré", "3.28", "2.02", "0.71", "0.05", "0.07"]],
                          "Résistance à la traction Rm = 262 MPa (spécifié ≥ 250 MPa).")
        attachments["disc_certificate"] = files.attach_file(
            inspector, pid, cert, "material_cert_3.1").attachment_id

    if BOLT in parts:
        pid, c = parts[BOLT], chars[BOLT]
        tensile = evidence.record_report(inspector, ReportDraft(
            pid, "material", "Essai de traction et dureté — boulons classe 10.9", "ISO 6892-1",
            "Laboratoire national des matériaux (LNMC), Alger", "external",
            "ALGERAC 17025 — certificat n° L-0142", 5, "2026-09-15", "2026-09-18",
            "LNMC — A. Rahmani", "Propriétés mécaniques conformes à ISO 898-1 classe 10.9."), [
            ResultDraft(c["2"], ("1086", "1102", "1094", "1078", "1110")),
            ResultDraft(c["3"], ("34", "35", "33", "36", "35"), gauge_code="DUR-02")])
        keep("bolt_tensile", tensile)
        salt = evidence.record_report(inspector, ReportDraft(
            pid, "salt_spray", "Brouillard salin neutre 720 h — revêtement zinc-lamelles",
            "ISO 9227 (NSS)", "Laboratoire national des matériaux (LNMC), Alger", "external",
            "ALGERAC 17025 — certificat n° L-0142", 10, "2026-08-01", "2026-09-02",
            "LNMC — S. Kaci", "Aucune rouille rouge après 720 h.", "conforming"))
        keep("bolt_salt_spray", salt)
        pdf = report_pdf(folder / "LNMC brouillard salin 720h.pdf",
                         "Rapport d'essai — Brouillard salin neutre ISO 9227", [
                             ("Laboratoire", "LNMC Alger (ALGERAC L-0142)"),
                             ("Durée", "720 h"), ("Échantillons", "10")],
                         [["Échantillon", "Rouille blanche", "Rouille rouge"],
                          *[[str(i), "< 5 %", "aucune"] for i in range(1, 11)]],
                         "Conclusion : conforme à la spécification Jetour Q/JT 0812.")
        attachments["bolt_salt_spray_pdf"] = files.attach_file(
            inspector, pid, pdf, "test_report", report_id=salt.summary.report_id).attachment_id

    shutil.rmtree(folder, ignore_errors=True)  # the store holds the bytes now
    demo.refs["evidence"] = {"parts": parts, "reports": reports, "report_ids": report_ids,
                             "attachments": attachments, "gauges": gauges}
    demo.summary["evidence"] = (f"{sum(len(v) for v in chars.values())} characteristics, "
                                f"{len(gauges)} gauges, {len(reports)} reports, "
                                f"{len(attachments)} files")
