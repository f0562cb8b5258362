"""`partdesk evidence ...`: gauges, characteristics, test reports with readings, attached files.

    partdesk evidence add-gauge MIC-014 --type "Micrometer" --calibrated 2026-06-01 --due 2027-06-01
    partdesk evidence import-characteristics JT-5801 balloons.xlsx [--dry-run]
    partdesk evidence record JT-5801 --type dimensional --readings cmm.csv --attach report.pdf
    partdesk evidence import-characteristics JT-5801 cmm.dfq
    partdesk evidence record JT-5801 --type dimensional --readings cmm.dfq   (Q-DAS AQDEF)
    partdesk evidence show TR-MSR-2026-0001 --json
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.cli.parts import sheet_args
from desktop_app.domain.evidence import AttachmentKind, LabKind, ReportType, StatedResult
from desktop_app.services.aqdef_import import completed_draft
from desktop_app.services.attachments import DEFAULT_LIMIT_MB, AttachmentService
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import GaugeDraft, ReportDetail, ReportDraft, ResultDraft
from desktop_app.services.evidence_import import EvidenceImportService, ImportedResult
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.evidence_sheets import is_sheet, read_evidence_sheet
from desktop_app.services.gauges import GaugeService
from desktop_app.storage.models.core import RecordRow


def register(sub: Any) -> None:
    evidence = sub.add_parser("evidence", help="Test evidence: gauges, characteristics, reports "
                              "with readings, attached files.")
    inner = evidence.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)

    command(inner, "gauges", cmd_gauges, "List the gauges register (overdue ones marked).")
    p = command(inner, "add-gauge", cmd_add_gauge, "Add a gauge to the register.")
    p.add_argument("code", help="gauge identifier, e.g. MIC-014")
    p.add_argument("--type", required=True, dest="gauge_type", help="e.g. 'Micrometer 0-25 mm'")
    p.add_argument("--range", default="", dest="range_text")
    p.add_argument("--resolution", default="")
    p.add_argument("--calibrated", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD")

    p = command(inner, "characteristics", cmd_characteristics,
                "List the characteristics of a part revision.")
    _part_args(p)
    p = command(inner, "import-characteristics", cmd_import_characteristics,
                "Add characteristics from .csv or .xlsx (number, description, nominal, "
                "tolerances or limits, unit, class, method, gauge) or from a Q-DAS AQDEF file "
                "(.dfq, or .dfd with its .dfx beside it); all or nothing.")
    _part_args(p)
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="show what would be added")
    sheet_args(p)

    p = command(inner, "record", cmd_record,
                "Record a test report, with readings from a .csv/.xlsx file (a characteristic "
                "and a value column, or one column per characteristic) or a Q-DAS AQDEF file "
                "(.dfq, .dfd + .dfx: dated by its last reading and naming its operators unless "
                "--tested-on / --operator say otherwise) and attached files.")
    _part_args(p)
    p.add_argument("--type", required=True, dest="report_type",
                   choices=[t.value for t in ReportType])
    p.add_argument("--readings", type=Path, metavar="FILE")
    p.add_argument("--values", type=Path, metavar="FILE.dfx",
                   help="with --readings FILE.dfd: its values, when they are not beside it")
    p.add_argument("--dry-run", action="store_true", help="show the readings and verdicts only")
    sheet_args(p)
    p.add_argument("--title", default="")
    p.add_argument("--standard", default="", help="e.g. ISO 9227, ISO 6892-1")
    p.add_argument("--lab", default="", dest="laboratory")
    p.add_argument("--lab-kind", default="internal", choices=[k.value for k in LabKind])
    p.add_argument("--accreditation", default="", help="ISO/IEC 17025 accreditation reference")
    p.add_argument("--sample-size", type=int, default=0)
    p.add_argument("--tested-on", default="", metavar="YYYY-MM-DD")
    p.add_argument("--issued-on", default="", metavar="YYYY-MM-DD")
    p.add_argument("--operator", default="")
    p.add_argument("--conclusion", default="")
    p.add_argument("--result", default="", dest="stated_result",
                   choices=[s.value for s in StatedResult if s.value],
                   help="the laboratory's conclusion, for reports without readings")
    p.add_argument("--subgroup-size", type=int, default=1)
    p.add_argument("--supersedes", metavar="NUMBER", help="the report this one corrects")
    p.add_argument("--reason", default="", help="why the correction (with --supersedes)")
    p.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE")
    p.add_argument("--attach-kind", default="test_report",
                   choices=[k.value for k in AttachmentKind])

    p = command(inner, "attach", cmd_attach, "Attach files to a part (or to one of its reports).")
    _part_args(p)
    p.add_argument("files", type=Path, nargs="+")
    p.add_argument("--kind", required=True, choices=[k.value for k in AttachmentKind])
    p.add_argument("--report", metavar="NUMBER", help="attach to this report")
    p.add_argument("--note", default="")
    p.add_argument("--limit-mb", type=int, default=DEFAULT_LIMIT_MB)

    p = command(inner, "show", cmd_show,
                "Show a report with its readings, verdicts and capability indices.")
    p.add_argument("number", help="report number, e.g. TR-MSR-2026-0001")
    p = command(inner, "reports", cmd_reports, "List the reports of a part revision.")
    _part_args(p)
    p = command(inner, "files", cmd_files, "List the files attached to a part revision.")
    _part_args(p)
    p = command(inner, "save", cmd_save,
                "Save a copy of an attached file under a safe name (the hash is checked).")
    p.add_argument("attachment", help="attachment id")
    p.add_argument("--out", type=Path, required=True, metavar="FOLDER")


def _part_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")


def resolve_part(ctx: ServiceContext, part: str, revision: str = "") -> str:
    with ctx.unit_of_work() as uow:
        row = uow.session.get(RecordRow, part)
        if row is not None and row.record_type == "part" and not row.deleted:
            return part
    from desktop_app.services.parts import PartService

    return PartService(ctx).find(part, revision).part_id


def cmd_gauges(cli: Cli, args: argparse.Namespace) -> int:
    gauges = EvidenceQueries(cli.initialised_context(write=False)).gauges()
    lines = [f"{printable(g.code):<12} {printable(g.gauge_type):<30} "
             f"{printable(g.calibrated_on)} → {printable(g.due_on)}"
             + (cli.tr("  OVERDUE") if g.overdue else "") for g in gauges]
    cli.out([g.to_json() for g in gauges], "\n".join(lines) or cli.tr("No gauges."))
    return 0


def cmd_add_gauge(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    gauge = GaugeService(cli.context()).add_gauge(actor, GaugeDraft(
        args.code, args.gauge_type, args.range_text, args.resolution, args.calibrated, args.due))
    cli.out(gauge.to_json(), cli.tr("Gauge {code} added (due {due}).").format(
        code=printable(gauge.code), due=printable(gauge.due_on)))
    return 0


def cmd_characteristics(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    chars = EvidenceQueries(ctx).characteristics(resolve_part(ctx, args.part, args.revision))
    lines = [f"{printable(c.number):>4}  {printable(c.description):<30} "
             f"{printable(c.limits.text())} {printable(c.unit)}  {printable(c.char_class)}"
             f"  {printable(c.gauge_code)}" for c in chars]
    cli.out([c.to_json() for c in chars], "\n".join(lines) or cli.tr("No characteristics."))
    return 0


def cmd_import_characteristics(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.context()
    part_id = resolve_part(ctx, args.part, args.revision)
    importer = EvidenceImportService(ctx)
    table = _read(ctx, importer, args.file, "characteristics", part_id, args)
    if args.dry_run:
        preview = importer.preview_characteristics(part_id, table)
        data = {"would_add": [d.number for _, d in preview.drafts],
                "problems": [{"row": p.row, "message": p.message} for p in preview.problems]}
        text = cli.tr_n("Would add %Ln characteristics.", len(preview.drafts))
        cli.out(data, "\n".join([text, *(printable(p.message) for p in preview.problems)]))
        return 0 if not preview.problems else 2
    added = importer.import_characteristics(actor, part_id, table)
    cli.out([c.to_json() for c in added],
            cli.tr_n("Added %Ln characteristics.", len(added)))
    return 0


def cmd_record(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=not args.dry_run)
    ctx = cli.context(write=not args.dry_run)
    part_id = resolve_part(ctx, args.part, args.revision)
    draft = ReportDraft(
        part_id, args.report_type, args.title, args.standard, args.laboratory, args.lab_kind,
        args.accreditation, args.sample_size, args.tested_on, args.issued_on, args.operator,
        args.conclusion, args.stated_result)
    evidence = EvidenceService(ctx)
    importer = EvidenceImportService(ctx, evidence)
    table = _read(ctx, importer, args.readings, "measurements", part_id, args,
                  getattr(args, "values", None)) if args.readings else None
    if args.dry_run:
        if table is None:
            cli.out({"results": []}, cli.tr("No readings file given."))
            return 0
        preview = importer.preview_measurements(part_id, table)
        data = {"results": [{"number": r.number, "n": len(r.readings), "failing": r.failing,
                             "verdict": r.verdict} for r in preview.results],
                "problems": [{"row": p.row, "message": p.message} for p in preview.problems],
                "unknown_characteristics": list(preview.unknown)}
        notes = [note.text(lambda context, text: cli.tr(text, context)) for note in preview.notes]
        if preview.shape == "aqdef":
            data.update({"first_day": preview.first_day, "tested_on": preview.tested_on,
                         "operators": list(preview.operators), "notes": notes})
        lines = [f"{printable(r.number):>4} n={len(r.readings)} {r.verdict}"
                 for r in preview.results]
        cli.out(data, "\n".join(lines + [printable(p.message) for p in preview.problems]
                                + [printable(n) for n in notes]))
        return 0 if preview.ok else 2
    if args.supersedes:
        old = EvidenceQueries(ctx).report_by_number(args.supersedes).summary.report_id
        if table is not None:
            preview = importer.preview_measurements(part_id, table)
            results = [_result(r, args.subgroup_size) for r in preview.results]
            if preview.shape == "aqdef":  # dated and signed by the file, as a new report is
                draft = completed_draft(draft, preview)
        else:
            results = []
        detail = evidence.supersede_report(actor, old, draft, results, args.reason)
    elif table is not None:
        detail = importer.import_measurements(actor, draft, table,
                                              subgroup_size=args.subgroup_size)
    else:
        detail = evidence.record_report(actor, draft)
    attachments = AttachmentService(ctx)
    for path in args.attach:
        attachments.attach_file(actor, part_id, path, args.attach_kind,
                                report_id=detail.summary.report_id)
    for warning in detail.warnings:
        cli.err(warning.text(lambda context, text: cli.tr(text, context)))
    final = EvidenceQueries(ctx).report(detail.summary.report_id)
    cli.out(final.to_json(), cli.tr("Report {number} recorded: {verdict}.").format(
        number=printable(final.summary.number), verdict=final.summary.verdict))
    return 0


def _result(r: ImportedResult, subgroup_size: int) -> ResultDraft:
    return ResultDraft(r.characteristic_id, r.readings, r.gauge_code, subgroup_size)


def cmd_attach(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.context()
    part_id = resolve_part(ctx, args.part, args.revision)
    report_id = ""
    if args.report:
        report_id = EvidenceQueries(ctx).report_by_number(args.report).summary.report_id
    service = AttachmentService(ctx)
    done = [service.attach_file(actor, part_id, path, args.kind, report_id, args.note,
                                args.limit_mb) for path in args.files]
    cli.out([a.to_json() for a in done], "\n".join(
        f"{printable(a.original_name)}  {printable(a.content_type)}  {a.size} B  "
        f"SHA-256 {a.blob_sha256}" for a in done))
    return 0


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    detail = EvidenceQueries(cli.initialised_context(write=False)).report_by_number(args.number)
    cli.out(detail.to_json(), _report_text(cli, detail))
    return 0


def _report_text(cli: Cli, detail: ReportDetail) -> str:
    s = detail.summary
    lines = [f"{printable(s.number)}  {printable(s.report_type)}  {printable(s.standard)}  "
             f"{printable(s.laboratory)}  {printable(s.tested_on)}",
             cli.tr("Verdict: {verdict}").format(verdict=s.verdict)]
    if s.superseded_by:
        lines.append(cli.tr("Superseded by a correction."))
    for r in detail.sets:
        cap = r.capability_fields()
        lines.append(f"  #{printable(r.number):<4} {printable(r.description):<28} "
                     f"{printable(r.limits.text())} {printable(r.unit)}  "
                     f"n={cap['n']}  {r.verdict}  Cpk={cap['cpk'] or '-'}  "
                     f"Ppk={cap['ppk'] or '-'}" + ("  GAUGE OVERDUE" if r.gauge_overdue else ""))
        lines += [f"        {printable(note)}" for note in cap["notes"]]
    for a in detail.attachments:
        lines.append(f"  {printable(a.original_name)}  SHA-256 {a.blob_sha256}")
    return "\n".join(lines)


def cmd_reports(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    reports = EvidenceQueries(ctx).reports(resolve_part(ctx, args.part, args.revision))
    lines = [f"{printable(r.number)}  {printable(r.report_type):<12} {r.verdict:<8} "
             f"{printable(r.tested_on)}"
             + (cli.tr("  (superseded)") if r.superseded_by else "") for r in reports]
    cli.out([r.to_json() for r in reports], "\n".join(lines) or cli.tr("No reports."))
    return 0


def cmd_files(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    files = EvidenceQueries(ctx).attachments(resolve_part(ctx, args.part, args.revision))
    lines = [f"{a.attachment_id}  {printable(a.kind):<18} {printable(a.original_name)}  "
             f"SHA-256 {a.blob_sha256}" for a in files]
    cli.out([a.to_json() for a in files], "\n".join(lines) or cli.tr("No files."))
    return 0


def cmd_save(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    target = AttachmentService(ctx).save_copy_to_folder(args.attachment, args.out)
    cli.out({"path": str(target)}, cli.tr("Saved {path}").format(path=printable(target)))
    return 0


def _read(ctx: ServiceContext, importer: EvidenceImportService, path: Path, mode: str,
          part_id: str, args: argparse.Namespace, companion: Path | None = None) -> Any:
    """A sheet, read from the sheet and header row found by their column names or given by
    --sheet / --header-row; an AQDEF file as it is."""
    if is_sheet(path):
        return read_evidence_sheet(ctx, path, mode, part_id, sheet=args.sheet,
                                   header_row=args.header_row)
    return importer.read(path, companion=companion) if companion else importer.read(path)
