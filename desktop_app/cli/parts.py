"""`partdesk parts ...`, `partdesk suppliers ...`, `partdesk models ...`: the parts registry."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from desktop_app.cli.common import LANG_ENV, Cli, command, printable
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import PartStatus, SupplierDraft, VehicleModelDraft
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.tables import CSV_COMMA, CSV_FRENCH_EXCEL, SheetLayout, csv_format_for
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import SORT_KEYS, PartQuery
from desktop_app.services.parts_export import EXPORT_COLUMNS, PartsExportService
from desktop_app.services.parts_import import (
    ImportPreview,
    PartsImportService,
    PlanOutdated,
    RowStatus,
)
from desktop_app.services.suppliers import SupplierService, VehicleModelService

CSV_STYLES = {"comma": CSV_COMMA, "semicolon": CSV_FRENCH_EXCEL}


def register(sub: Any) -> None:
    parts = sub.add_parser("parts", help="Parts: import, list, export.")
    inner = parts.add_subparsers(dest="parts_command", metavar="ACTION", required=True)
    p = command(inner, "import", cmd_import,
                "Import parts from a CSV file or a workbook (.xlsx, .xls, .xlsb, .ods): "
                "all rows or none.")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--strict", action="store_true", help="refuse suppliers that are not registered")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="map a field to a column by header or letter (repeatable), "
                        "FIELD= to ignore a field")
    sheet_args(p)
    p = command(inner, "list", cmd_list, "List parts (paged from the database).")
    _query_args(p)
    p.add_argument("--limit", type=int, default=200)
    p = command(inner, "export", cmd_export, "Export the parts (or a search) to .xlsx or .csv.")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--csv", choices=sorted(CSV_STYLES), default="",
                   help="a .csv for Excel: 'semicolon' (French Excel: ';' and decimal comma) or "
                        "'comma'; default: as the language of messages (--lang) expects")
    _query_args(p)
    p = command(inner, "show", cmd_show, "Show one part revision.")
    p.add_argument("part_number")
    p.add_argument("--revision", default="")

    suppliers = sub.add_parser("suppliers", help="Suppliers of parts.")
    inner = suppliers.add_subparsers(dest="suppliers_command", metavar="ACTION", required=True)
    command(inner, "list", cmd_suppliers, "List suppliers.")
    p = command(inner, "add", cmd_supplier_add, "Register a supplier.")
    p.add_argument("name")
    p.add_argument("--code", required=True)
    for option in ("country", "site", "contact", "iso9001-certificate", "iso9001-expiry",
                   "iatf16949-certificate", "iatf16949-expiry"):
        p.add_argument(f"--{option}", default="")

    models = sub.add_parser("models", help="Vehicle models.")
    inner = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    command(inner, "list", cmd_models, "List vehicle models.")
    p = command(inner, "add", cmd_model_add, "Register a vehicle model.")
    p.add_argument("code")
    p.add_argument("--carmaker", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--type", default="", dest="vehicle_type")
    p.add_argument("--power-range", default="")
    p.add_argument("--approval-date", default="", help="YYYY-MM-DD; starts the regulatory clock")


def sheet_args(p: argparse.ArgumentParser) -> None:
    """--sheet and --header-row, for every command that imports a sheet."""
    p.add_argument("--sheet", metavar="NAME|NUMBER",
                   help="the sheet to read, by name or number from 1 (default: the first sheet "
                        "whose rows name the columns expected)")
    p.add_argument("--header-row", type=_row_number, metavar="N",
                   help="the row that names the columns (default: found past titles, logos "
                        "and blank rows)")


def _row_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a row number: {text!r}")
    return int(text)


def sheet_line(cli: Cli, layout: SheetLayout | None) -> list[str]:
    """Which sheet was read and which row was taken as its header, when a workbook or a table
    that does not start with its header makes it worth saying."""
    if layout is None or (len(layout.sheets) <= 1 and layout.header_row == 1):
        return []
    if len(layout.sheets) > 1:
        return [cli.tr("Sheet {sheet} (of {sheets}), header row {row}").format(
            sheet=printable(layout.sheet), row=layout.header_row,
            sheets=", ".join(printable(s) for s in layout.sheets))]
    return [cli.tr("Header row {row}").format(row=layout.header_row)]


def _query_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", default="", metavar="Q")
    p.add_argument("--supplier", default="", help="supplier code or name")
    p.add_argument("--family", default="")
    p.add_argument("--model", default="", help="vehicle model code")
    p.add_argument("--status", default="", choices=["", *(s.value for s in PartStatus)])
    p.add_argument("--sort", default="part_number", choices=SORT_KEYS)
    p.add_argument("--descending", action="store_true")


def _query(cli: Cli, args: argparse.Namespace) -> PartQuery:
    ctx = cli.initialised_context(write=False)
    supplier_id = SupplierService(ctx).find(args.supplier).supplier_id if args.supplier else ""
    model_id = VehicleModelService(ctx).find(args.model).model_id if args.model else ""
    return PartQuery(search=args.search, supplier_id=supplier_id, family=args.family,
                     model_id=model_id, status=args.status, sort_key=args.sort,
                     descending=args.descending)


def _overrides(headers: list[str], pairs: list[str]) -> dict[str, int | None]:
    from desktop_app.domain.tabular import normalise_header
    from desktop_app.files.tables import column_letter

    result: dict[str, int | None] = {}
    for pair in pairs:
        name, _, column = pair.partition("=")
        column = column.strip()
        if not column:
            result[name.strip()] = None
            continue
        letters = [column_letter(i) for i in range(len(headers))]
        names = [normalise_header(h) for h in headers]
        if column.upper() in letters:
            result[name.strip()] = letters.index(column.upper())
        elif normalise_header(column) in names:
            result[name.strip()] = names.index(normalise_header(column))
        else:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The file has no column {column}."), column=column)
    return result


def cmd_import(cli: Cli, args: argparse.Namespace) -> int:
    """One read of the file: its plan is shown, then written as it is (read again only if the
    file or the parts changed in between, which is said first)."""
    actor = cli.actor(write=not args.dry_run)
    service = PartsImportService(cli.initialised_context(write=not args.dry_run))

    def overrides(headers: list[str]) -> dict[str, int | None]:
        return _overrides(headers, args.map)

    where = {"sheet": args.sheet, "header_row": args.header_row}
    preview = service.preview(actor, args.file, overrides, strict=args.strict, **where)
    try:
        lines = _preview_lines(cli, preview)
        if args.dry_run or preview.errors:
            if not args.dry_run:
                lines.append(cli.tr("Nothing was imported."))
            cli.out(preview.to_json() if cli.json else None, "\n".join(lines))
            return 0 if not preview.errors else 2
        try:
            result = service.apply(actor, preview)
        except PlanOutdated as exc:
            cli.err(cli.message(exc))
            preview.discard()
            preview = service.preview(actor, args.file, overrides, strict=args.strict, **where)
            lines = _preview_lines(cli, preview)
            if preview.errors:
                lines.append(cli.tr("Nothing was imported."))
                cli.out(preview.to_json() if cli.json else None, "\n".join(lines))
                return 2
            result = service.apply(actor, preview)
        lines.append(cli.tr("Imported: {created} new, {changed} changed, {suppliers} suppliers "
                            "created.").format(created=result.created, changed=result.changed,
                                               suppliers=result.suppliers_created))
        data = {**preview.to_json(), "result": result.to_json()} if cli.json else None
        cli.out(data, "\n".join(lines))
        return 0
    finally:
        preview.discard()


def _preview_lines(cli: Cli, preview: ImportPreview) -> list[str]:
    counts = {str(s): preview.count(s) for s in RowStatus}
    lines = [cli.tr("{file}: {new} new, {changed} changed, {unchanged} unchanged, "
                    "{error} with errors").format(file=printable(preview.file_name), **counts)]
    lines += sheet_line(cli, preview.layout)
    if preview.new_suppliers:
        lines.append(cli.tr("Suppliers to create: {names}").format(
            names=", ".join(printable(name) for name in preview.new_suppliers)))
    lines += [printable(r.message) for r in preview.errors]
    return lines


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    query = _query(cli, args)
    page = PartService(cli.initialised_context(write=False)).page(query, 0, args.limit)
    lines = [f"{printable(r.part_number):<18} {printable(r.revision):<4} {r.status.value:<15} "
             f"{printable(r.designation[:40]):<40} {printable(r.supplier_name)}"
             for r in page.rows]
    lines.append(cli.tr_n("{shown} of %Ln parts", page.total).format(shown=len(page.rows)))
    cli.out({"total": page.total, "parts": [r.to_json() for r in page.rows]}, "\n".join(lines))
    return 0


def cmd_export(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    query = _query(cli, args)
    style = CSV_STYLES.get(args.csv) or csv_format_for(args.lang or os.environ.get(LANG_ENV, ""))
    headers = [cli.tr(text, "PartsExport") for text in EXPORT_COLUMNS.values()]
    count = PartsExportService(cli.initialised_context(write=False)).export_view(
        actor, query, args.out, headers, csv_format=style)
    cli.out({"rows": count, "file": str(args.out)},
            cli.tr_n("%Ln parts written to {file}", count).format(file=printable(args.out)))
    return 0


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    detail = PartService(cli.initialised_context(write=False)).find(args.part_number,
                                                                     args.revision)
    data = detail.to_json()
    text = "\n".join(f"{k}: {printable(v)}" for k, v in data.items()
                     if v not in ("", [], {}, None))
    cli.out(data, text)
    return 0


def cmd_suppliers(cli: Cli, args: argparse.Namespace) -> int:
    suppliers = SupplierService(cli.initialised_context(write=False)).suppliers()
    lines = [f"{printable(s.code):<12} {printable(s.name):<40} "
             f"{printable(s.draft.iatf16949_certificate or '-'):<18} "
             f"{printable(s.draft.iatf16949_expiry)}" for s in suppliers]
    cli.out([s.to_json() for s in suppliers], "\n".join(lines))
    return 0


def cmd_supplier_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    info = SupplierService(cli.initialised_context()).add_supplier(actor, SupplierDraft(
        name=args.name, code=args.code, country=args.country or "DZ", site=args.site,
        contact=args.contact, iso9001_certificate=args.iso9001_certificate,
        iso9001_expiry=args.iso9001_expiry, iatf16949_certificate=args.iatf16949_certificate,
        iatf16949_expiry=args.iatf16949_expiry))
    cli.out(info.to_json(),
            cli.tr("Supplier {code} registered.").format(code=printable(info.code)))
    return 0


def cmd_models(cli: Cli, args: argparse.Namespace) -> int:
    models = VehicleModelService(cli.initialised_context(write=False)).models()
    lines = [f"{printable(m.draft.code):<10} {printable(m.label):<30} "
             f"{printable(m.draft.approval_date)}" for m in models]
    cli.out([m.to_json() for m in models], "\n".join(lines))
    return 0


def cmd_model_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    info = VehicleModelService(cli.initialised_context()).add_model(actor, VehicleModelDraft(
        code=args.code, carmaker=args.carmaker, model=args.model,
        vehicle_type=args.vehicle_type, power_range=args.power_range,
        approval_date=args.approval_date))
    cli.out(info.to_json(), cli.tr("Vehicle model {code} registered.").format(
        code=printable(info.draft.code)))
    return 0
