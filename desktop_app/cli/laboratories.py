"""`partdesk lab list|add` (test laboratories and their ISO/IEC 17025 accreditation) and
`partdesk inspection-document add|list` (the EN 10204 type of a test report).

    partdesk lab add "Laboratoire national des matériaux (LNMC), Alger" --body ALGERAC \
        --accreditation L-0142 --until 2027-06-30 --scope "ISO 6892-1" --scope "ISO 9227"
    partdesk inspection-document add TR-MSR-2026-0004 --type 3.1 --heat 26-0412 \
        --inspector "K. Ouali" --inspector-title "Représentant autorisé du contrôle"
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.cli.evidence import resolve_part
from desktop_app.domain.laboratories import En10204Type, InspectionDocumentDraft
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.laboratories import LaboratoryService


def register(sub: Any) -> None:
    lab = sub.add_parser("lab", help="Test laboratories and their ISO/IEC 17025 accreditation.")
    inner = lab.add_subparsers(dest="lab_command", metavar="ACTION", required=True)
    command(inner, "list", cmd_lab_list,
            "List the laboratories; an expired accreditation is marked (exit status 1).")
    p = command(inner, "add", cmd_lab_add,
                "Record a laboratory's accreditation, or renew it (same name).")
    p.add_argument("name", help="the laboratory as named on its reports")
    p.add_argument("--body", default="", help="the accreditation body, e.g. ALGERAC")
    p.add_argument("--accreditation", default="", help="the accreditation number")
    p.add_argument("--until", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="expiry of the accreditation")
    p.add_argument("--scope", action="append", default=[], metavar="METHOD",
                   help="a test method the accreditation covers (repeat)")

    doc = sub.add_parser("inspection-document",
                         help="EN 10204 inspection documents (2.1, 2.2, 3.1, 3.2) of test reports.")
    inner = doc.add_subparsers(dest="document_command", metavar="ACTION", required=True)
    p = command(inner, "list", cmd_doc_list, "List the inspection documents of a part revision.")
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")
    p = command(inner, "add", cmd_doc_add, "Say what a test report is under EN 10204.")
    p.add_argument("report", help="report number, e.g. TR-MSR-2026-0004")
    p.add_argument("--type", dest="doc_type", required=True,
                   choices=[t.value for t in En10204Type])
    p.add_argument("--heat", default="", help="heat (cast) number; 3.1 and 3.2 need one")
    p.add_argument("--inspector", default="",
                   help="3.1/3.2: the manufacturer's authorised inspection representative")
    p.add_argument("--inspector-title", default="")
    p.add_argument("--cosigner", default="", help="3.2: the purchaser's authorised "
                                                  "representative or the regulatory inspector")
    p.add_argument("--cosigner-organisation", default="")


def cmd_lab_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    labs = LaboratoryService(cli.initialised_context(write=False)).laboratories(actor)
    lines = [f"{printable(lab.name)}  {printable(lab.accreditation_body)} "
             f"{printable(lab.accreditation_number)}  {printable(lab.valid_until or '—')}"
             + (cli.tr("  EXPIRED") if lab.expired else "")
             + (cli.tr("  expires within 60 days") if lab.expires_soon else "")
             + (f"\n    {printable('; '.join(lab.scope))}" if lab.scope else "")
             for lab in labs]
    lines.append(cli.tr_n("%Ln laboratories", len(labs)))
    cli.out([lab.to_json() for lab in labs], "\n".join(lines))
    return 1 if any(lab.expired for lab in labs) else 0


def cmd_lab_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    lab = LaboratoryService(cli.initialised_context()).save_laboratory(
        actor, args.name, args.body, args.accreditation, args.scope, args.until)
    cli.out(lab.to_json(), cli.tr("{name}: accreditation {number} valid until {until}.").format(
        name=printable(lab.name), number=printable(lab.accreditation_number or "—"),
        until=printable(lab.valid_until or "—")))
    return 0


def cmd_doc_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    ctx = cli.initialised_context(write=False)
    docs = LaboratoryService(ctx).documents(actor, resolve_part(ctx, args.part, args.revision))
    lines = [f"{printable(d.report_number)}  EN 10204 {d.doc_type.value} "
             f"{cli.tr(d.label, 'Laboratories')} ({printable(d.french)})"
             + (f"  {cli.tr('heat')} {printable(d.heat_number)}" if d.heat_number else "")
             + (f"  {printable(d.inspector)}" if d.inspector else "")
             + (f" / {printable(d.cosigner)}" if d.cosigner else "") for d in docs]
    cli.out([d.to_json() for d in docs], "\n".join(lines) or cli.tr("No inspection documents."))
    return 0


def cmd_doc_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    report = EvidenceQueries(ctx).report_by_number(args.report)
    doc = LaboratoryService(ctx).record_document(actor, InspectionDocumentDraft(
        report.summary.report_id, args.doc_type, args.heat, args.inspector,
        args.inspector_title, args.cosigner, args.cosigner_organisation))
    cli.out(doc.to_json(), cli.tr("{report} is an EN 10204 {type} ({french}).").format(
        report=printable(doc.report_number), type=doc.doc_type.value,
        french=printable(doc.french)))
    return 0
