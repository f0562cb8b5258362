"""Demo step 3: test evidence for three local parts.

Gauges (one past its calibration due date), the ballooned characteristics of a stamped cross
member, a cast brake disc and a wheel bolt, and reports that pass, fail and sit in the
"customer agreement" band (Ppk between 1.33 and 1.67), with real attached files: laboratory
reports and a material certificate as PDF, a photo as PNG, the readings as CSV. One report is
corrected by a later one (insert-only evidence).

Every other part the certification step submits gets the results its level asks for (PPAP
elements 9 and 10, the OTS dimensions and material): a dimensional report with a capability study
of its special characteristic (100 consecutive parts, Ppk above 1.67) and a material and
performance report, so that no approval in the demo contradicts its evidence.

Uses demo.refs["parts"] (part number -> id) from the parts step. Leaves demo.refs["evidence"]:
{"parts": {number: id}, "reports": {key: report number}, "report_ids": {key: id},
 "attachments": {key: attachment id}, "gauges": {code: id}} for the certification step, with the
report keys "traverse_dim", "traverse_cap", "traverse_material", "disc_dim_first", "disc_dim",
"bolt_dim", "bolt_tensile", "bolt_salt_spray", and "<part number>/dim", "<part number>/material"
for the other submitted parts.
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
from desktop_app.domain.capability import FindingCode, capability
from desktop_app.domain.evidence import Limits
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
    # The body-shop gauges that measured the series parts' initial samples in January.
    GaugeDraft("CMM-02", "Machine à mesurer tridimensionnelle Hexagon Global S",
               "700 x 1000 x 660 mm", "0.001", "2026-01-12", "2027-01-12"),
    GaugeDraft("CAL-032", "Pied à coulisse numérique 0-300 mm", "0-300 mm", "0.01",
               "2026-01-12", "2027-01-12"),
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
    """n readings centred on the nominal whose overall Ppk is (about) `ppk`, from a stable
    process with normally distributed readings: a draw whose control chart shows a point beyond
    its limits (a false alarm of random numbers) or that does not look normal is drawn again,
    so that the demo's capability findings are only those its conclusions state."""
    sigma = min(upper - nominal, nominal - lower) / (3 * ppk)
    quantum = Decimal(1).scaleb(-places)
    limits = Limits(Decimal(repr(lower)), Decimal(repr(upper)))
    for _attempt in range(200):
        raw = [rng.gauss(0, 1) for _ in range(n)]
        mean, sd = statistics.mean(raw), statistics.stdev(raw)
        readings = tuple(str(Decimal(repr(nominal + sigma * (z - mean) / sd)).quantize(quantum))
                         for z in raw)
        study = capability([Decimal(r) for r in readings], limits)
        if not {FindingCode.UNSTABLE, FindingCode.NON_NORMAL} & set(study.codes):
            break
    return readings


def _tolerance(d: CharacteristicDraft) -> str:
    if d.lower_tol or d.upper_tol:
        return f"{d.lower_tol} / +{d.upper_tol}"
    if d.lower_limit and d.upper_limit:
        return f"{d.lower_limit} … {d.upper_limit}"
    return f"≤ {d.upper_limit}" if d.upper_limit else f"≥ {d.lower_limit}"


# Parts submitted without a report of their own above: (special characteristic, its nominal
# and tolerance in mm, its gauge; a second, ordinary dimension; the material evidence).
SERIES = {
    "JX7-8402010": ("Affleurement capot / aile", "0", "0.8", "CMM-02",
                    "Jeu capot / aile", "3.5", "0.7", "Tôle DX54D+Z, certificat 3.1"),
    "JX7-5701010": ("Position des points de fixation", "0", "0.5", "CMM-02",
                    "Longueur hors tout", "1520", "1.5", "Verre feuilleté ECE R43"),
    "JX7-8403011": ("Affleurement aile / portière", "0", "0.8", "CMM-02",
                    "Rayon de bord", "6", "0.5", "Tôle DX54D+Z, certificat 3.1"),
    "JX7-6101110": ("Entraxe charnières", "412", "0.4", "CMM-02",
                    "Épaisseur de paroi", "2.8", "0.3", "PP-EPDM-T20, certificat 3.1"),
    "JCM-5401220": ("Diamètre trou de fixation", "10.5", "0.1", "CMM-02",
                    "Longueur du renfort", "480", "1", "Acier HC420LA, certificat 3.1"),
    "JX7-5101011": ("Position des trous d'ancrage", "0", "0.5", "CMM-02",
                    "Largeur hors tout", "1360", "1.5", "Acier HC340LA, certificat 3.1"),
    "JX7-5206010": ("Position des pions de centrage", "0", "0.4", "CMM-02",
                    "Hauteur de bord", "25", "0.5", "Tôle DC04, certificat 3.1"),
    "JX7-5606010": ("Position des pions de centrage", "0", "0.4", "CMM-02",
                    "Hauteur de bord", "25", "0.5", "Tôle DC04, certificat 3.1"),
    "JCM-3501211": ("Diamètre d'alésage", "62", "0.05", "CMM-02",
                    "Épaisseur de flasque", "12", "0.2", "Fonte EN-GJS-500-7, certificat 3.1"),
    "JX7-3724010": ("Position des connecteurs", "0", "1", "CAL-032",
                    "Longueur de branche principale", "850", "10",
                    "Câble FLRY-B ISO 6722, essais de continuité"),
    "JX7-6800010": ("Entraxe fixations glissière", "410", "0.5", "CMM-02",
                    "Course de glissière", "240", "2", "Essais ECE R17, effort d'arrachement"),
    "JX7-2803011": ("Diamètre de passage", "18", "0.2", "CAL-032",
                    "Longueur de la gaine", "300", "3", "Caoutchouc EPDM 60 Sh A, certificat 3.1"),
    "JX7-2810010": ("Position des fixations", "0", "0.6", "CMM-02",
                    "Largeur de la traverse", "1180", "1.5", "Acier S355MC, certificat 3.1"),
    "JCM-2910010": ("Diamètre de tige", "14", "0.05", "CMM-02",
                    "Longueur sous tête", "210", "1", "Acier 42CrMo4, certificat 3.1"),
    "JX7-2804011": ("Affleurement bouclier / aile", "0", "1", "CMM-02",
                    "Largeur du bouclier", "1860", "3", "PP-EPDM-T15, essais de choc"),
}


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
        keep("traverse_material", evidence.record_report(inspector, ReportDraft(
            pid, "material", "Certificat matière EN 10204 3.1 et essai de traction — "
            "tôle HC340LA", "ISO 6892-1", "Laboratoire national des matériaux (LNMC), Alger",
            "external", "ALGERAC 17025 — certificat n° L-0142", 3, "2026-05-20", "2026-05-22",
            "LNMC — A. Rahmani", "Re 372 MPa, Rm 468 MPa, A80 27 % : conforme à EN 10268.",
            "conforming")))
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
        keep("bolt_dim", evidence.record_report(inspector, ReportDraft(
            pid, "dimensional", "Contrôle dimensionnel — échantillons OTS", "Plan JCM-3101017 "
            "indice A", "Laboratoire métrologie Massar Rouiba", "internal", "", 5, "2026-04-20",
            "2026-04-21", "Nadir Mansouri", "Longueur sous tête conforme."), [
            ResultDraft(c["1"], ("45.05", "44.92", "45.10", "44.98", "45.02"))]))
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

    for number, pid in demo.refs.get("parts", {}).items():
        if number in SERIES and number not in PARTS_IN_DEMO:
            chars[number] = _series_evidence(evidence, inspector, engineer, number, pid, rng,
                                             keep)
    shutil.rmtree(folder, ignore_errors=True)  # the store holds the bytes now
    demo.refs["evidence"] = {"parts": parts, "reports": reports, "report_ids": report_ids,
                             "attachments": attachments, "gauges": gauges}
    demo.summary["evidence"] = (f"{sum(len(v) for v in chars.values())} characteristics, "
                                f"{len(gauges)} gauges, {len(reports)} reports, "
                                f"{len(attachments)} files")


def _series_evidence(evidence: EvidenceService, inspector, engineer, number: str, pid: str,
                     rng: random.Random, keep) -> dict[str, str]:
    """A special characteristic measured on 100 consecutive parts (Ppk about 1.9), an ordinary
    dimension on 5 samples, and the material and performance report of the part."""
    special, nominal, tol, gauge, other, other_nominal, other_tol, material = SERIES[number]
    added = evidence.add_characteristics(engineer, pid, [
        CharacteristicDraft("1", special, nominal, f"-{tol}", tol, unit="mm", char_class="SC",
                            method="MMT" if gauge == "CMM-02" else "", gauge_code=gauge),
        CharacteristicDraft("2", other, other_nominal, f"-{other_tol}", other_tol, unit="mm",
                            gauge_code="CAL-032"),
    ])
    ids = {c.number: c.characteristic_id for c in added}
    n, t = float(nominal), float(tol)
    on, ot = float(other_nominal), float(other_tol)
    five = tuple(f"{on + ot * k:.2f}" for k in (0.2, -0.3, 0.1, 0.4, -0.1))
    keep(f"{number}/dim", evidence.record_report(inspector, ReportDraft(
        pid, "dimensional", "Rapport dimensionnel et capabilité — 100 pièces consécutives",
        f"Plan {number}", "Laboratoire métrologie Massar Rouiba", "internal", "", 100,
        "2026-01-26", "2026-01-28", "Nadir Mansouri",
        "Toutes les cotes conformes ; Ppk de la caractéristique spéciale ≥ 1,67."), [
        ResultDraft(ids["1"], series(rng, n, n - t, n + t, 1.9, 100)),
        ResultDraft(ids["2"], five)]))
    keep(f"{number}/material", evidence.record_report(inspector, ReportDraft(
        pid, "material", f"Matière et performance — {material}", "Spécification Jetour",
        "Laboratoire national des matériaux (LNMC), Alger", "external",
        "ALGERAC 17025 — certificat n° L-0142", 3, "2026-01-19", "2026-01-23",
        "LNMC — S. Kaci", "Conforme à la spécification.", "conforming")))
    return ids
