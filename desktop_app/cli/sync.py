"""Commands of sync: export, import, sites (keys and enrolment), conflicts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.conflicts import ConflictService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_dto import ImportPreview
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.storage.audit import Finding


def register(sub: Any) -> None:
    p = command(sub, "export", cmd_export, "Write a signed sync package.")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--to", metavar="SITE", help="code of the site it is for: what it has not seen")
    p.add_argument("--full", action="store_true", help="everything, whatever the site has seen")

    p = command(sub, "import", cmd_import, "Apply a sync package (checked first).")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="only say what would change")

    sites = sub.add_parser("sites", help="This site's key; enrol and retire other sites.")
    ss = sites.add_subparsers(dest="sites_command", metavar="ACTION", required=True)
    p = command(ss, "key", cmd_sites_key, "Write this site's public key file; print its "
                                          "fingerprint.")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p = command(ss, "enrol", cmd_sites_enrol, "Enrol another site's key (administrators).")
    p.add_argument("file", type=Path)
    p.add_argument("--fingerprint", required=True, metavar="FP",
                   help="the fingerprint the other site read out to you")
    p.add_argument("--scope", metavar="TYPES",
                   help="comma-separated record types the site may write here "
                        "(default: its kind's; see 'sites scope')")
    p = command(ss, "scope", cmd_sites_scope,
                "Show or set the record types an enrolled site may write here.")
    p.add_argument("code")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--set", dest="types", metavar="TYPES",
                       help="comma-separated record types (administrators)")
    group.add_argument("--default", action="store_true",
                       help="back to the defaults of the site's kind (administrators)")
    p = command(ss, "retire", cmd_sites_retire, "Refuse new packages signed by a site's key.")
    p.add_argument("code")
    command(ss, "list", cmd_sites_list, "Enrolled sites and what was exchanged with each.")
    p = command(ss, "check", cmd_sites_check,
                "Verify a package without importing it (also one from a retired site).")
    p.add_argument("file", type=Path)

    conflicts = sub.add_parser("conflicts", help="Records edited at two sites.")
    cs = conflicts.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    p = command(cs, "list", cmd_conflicts_list, "Records with competing versions.")
    p.add_argument("--type", dest="record_type", metavar="TYPE")
    p = command(cs, "show", cmd_conflicts_show, "The competing values side by side.")
    p.add_argument("record_id")
    p = command(cs, "merge", cmd_conflicts_merge, "Merge the competing versions with a reason.")
    p.add_argument("record_id")
    p.add_argument("--take", required=True, metavar="REV_ID", help="the version to start from")
    p.add_argument("--field", action="append", default=[], metavar="NAME=REV_ID",
                   help="take this field from another version (repeatable)")
    p.add_argument("--reason", required=True)


def _progress_printer(cli: Cli) -> Any:
    if cli.json or not sys.stderr.isatty():
        return lambda done, total, message: None

    def show(done: int, total: int, message: str) -> None:
        print(f"\r{printable(message)} {done}/{total}   ", end="", file=sys.stderr, flush=True)
    return show


def cmd_export(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    s = SyncService(cli.context()).export_package(actor, args.out, to_site=args.to,
                                                  full=args.full, progress=_progress_printer(cli))
    cli.out(s.to_json(), cli.tr(
        "Package {path} written: number {seq}, {revisions} revisions, {blobs} files, "
        "{size} bytes{target}.").format(
        path=printable(s.path), seq=s.sequence, revisions=s.revisions, blobs=s.blobs, size=s.size,
        target=cli.tr(" for {site}").format(site=printable(s.to_site_code))
        if s.to_site_code else ""))
    return 0


def _preview_text(cli: Cli, p: ImportPreview) -> str:
    lines = [cli.tr("Package {seq} from {code} ({name}), made {at}.").format(
        seq=p.sequence, code=printable(p.sender_code), name=printable(p.sender_name),
        at=printable(p.created_at))]
    if p.already_imported:
        lines.append(cli.tr("This package was imported before; nothing changes."))
    elif p.older:
        lines.append(cli.tr("It is older than the last package received from {code} ({last}); "
                            "only what is missing is applied.").format(
            code=printable(p.sender_code), last=p.last_sequence))
    for t in p.by_type:
        lines.append(cli.tr("  {type}: {new} new, {known} already known, {conflicting} "
                            "conflicting").format(type=printable(t.record_type), new=t.new,
                                                   known=t.known, conflicting=t.conflicting))
    lines.append(cli.tr("Files: {new} new of {total}.").format(new=p.new_blobs, total=p.blobs))
    return "\n".join(lines)


def cmd_import(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = SyncService(cli.context())
    if args.dry_run:
        preview = service.preview_import(actor, args.file, progress=_progress_printer(cli))
        cli.out(preview.to_json(), _preview_text(cli, preview) + "\n" + cli.tr(
            "Dry run: nothing was changed."))
        return 0
    s = service.import_package(actor, args.file, progress=_progress_printer(cli))
    text = _preview_text(cli, s.preview)
    if s.applied:
        text += "\n" + cli.tr_n("Imported: %Ln new revisions.", s.preview.new)
        if s.conflicted_records:
            text += "\n" + cli.tr_n("%Ln records now hold competing versions; see 'partdesk "
                                    "conflicts list'.", len(s.conflicted_records))
        for warning in s.warnings:  # about audit logs: 'partdesk verify' reports them too
            text += "\n" + cli.tr("Warning: {sentence}").format(sentence=printable(
                warning.message(lambda c, t: cli.tr(t, c)) if isinstance(warning, Finding)
                else warning))
    cli.out(s.to_json(), text)
    return 0


def cmd_sites_key(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    written = SiteKeyService(ctx).write_key_file(args.out)
    cli.out(written.to_json(), cli.tr(
        "Public key of {code} written to {path}.\nFingerprint: {fp}\nRead the fingerprint out to "
        "the other site's administrator by phone or give it on paper.").format(
        code=printable(written.code), path=printable(written.path), fp=written.fingerprint))
    return 0


def cmd_sites_enrol(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    info = SiteKeyService(cli.context()).enrol(actor, args.file, args.fingerprint,
                                               scope_types=_types(args.scope))
    cli.out(info.to_json(), cli.tr("Site {code} ({name}) is enrolled; fingerprint {fp}.").format(
        code=printable(info.code), name=printable(info.name), fp=printable(info.fingerprint)))
    return 0


def _types(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def cmd_sites_scope(cli: Cli, args: argparse.Namespace) -> int:
    if args.types is not None or args.default:
        service = SiteKeyService(cli.context())
        actor = cli.actor()
        current = service.scope(args.code)
        types = current.defaults if args.default else _types(args.types) or []
        scope = service.set_scope(actor, args.code, types)
    else:
        scope = SiteKeyService(cli.initialised_context(write=False)).scope(args.code)
    extra = sorted(printable(t) for t in set(scope.record_types) - set(scope.defaults))
    missing = sorted(printable(t) for t in set(scope.defaults) - set(scope.record_types))
    text = cli.tr("Site {code} ({kind}) may write here: {types}.").format(
        code=printable(scope.code), kind=printable(scope.kind),
        types=", ".join(printable(t) for t in scope.record_types) or "-")
    if extra or missing:
        text += "\n" + cli.tr("Beyond its kind's defaults: {extra}; withheld: {missing}.").format(
            extra=", ".join(extra) or "-", missing=", ".join(missing) or "-")
    text += "\n" + cli.tr("A site always writes its own site record and people; no other site "
                          "may write them here.")
    cli.out(scope.to_json(), text)
    return 0


def cmd_sites_retire(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    info = SiteKeyService(cli.context()).retire(actor, args.code)
    cli.out(info.to_json(), cli.tr("The key of site {code} is retired: new packages from it "
                                   "are refused.").format(code=printable(info.code)))
    return 0


def cmd_sites_list(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    status = SyncService(ctx).site_status()
    lines = []
    for s in status:
        state = cli.tr("retired") if s.retired else cli.tr("enrolled") if s.enrolled else \
            cli.tr("not enrolled")
        lines.append(cli.tr(
            "{code}  {name} ({kind}), {state}; fingerprint {fp}\n"
            "      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; "
            "{pending} revisions not sent yet").format(
            code=printable(s.code), name=printable(s.name), kind=printable(s.kind), state=state,
            fp=printable(s.fingerprint or "-"), sent=s.last_sent_sequence or "-",
            sent_at=printable(s.last_sent_at), got=s.last_received_sequence or "-",
            got_at=printable(s.last_received_at),
            pending=s.pending_revisions))
    cli.out([s.to_json() for s in status],
            "\n".join(lines) or cli.tr("No other site is enrolled."))
    return 0


def cmd_sites_check(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    check = SyncService(ctx).check_package(args.file)
    retired = cli.tr(" (a retired site: its key no longer imports)") if check.signer_retired \
        else ""
    cli.out(check.to_json(), cli.tr(
        "Valid package no. {seq} from {code}{retired}, made {at}: signature, hashes and "
        "{revisions} revisions checked, {blobs} files.").format(
        seq=check.sequence, code=printable(check.sender_code), retired=retired,
        at=printable(check.created_at),
        revisions=check.revisions, blobs=check.blobs))
    return 0


def cmd_conflicts_list(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    found = ConflictService(ctx).list_conflicts(args.record_type)
    data = [{"record_type": c.record_type, "record_id": c.record_id, "label": c.label,
             "heads": [{"rev_id": h.rev_id, "author": h.author, "site": h.site_code,
                        "at": h.created_at, "deleted": h.deleted} for h in c.heads]}
            for c in found]
    lines = []
    for c in found:
        lines.append(f"{printable(c.record_type)}  {printable(c.record_id)}  {printable(c.label)}")
        for h in c.heads:
            lines.append(f"    {printable(h.rev_id[:12])}  {printable(h.site_code)}  "
                         f"{printable(h.author)}  {printable(h.created_at)}")
    cli.out(data, "\n".join(lines) or cli.tr("No record holds competing versions."))
    return 0


def cmd_conflicts_show(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.initialised_context(write=False)
    view = ConflictService(ctx).compare(args.record_id)
    heads = view.summary.heads
    data = {"record_type": view.summary.record_type, "record_id": view.summary.record_id,
            "heads": [h.rev_id for h in heads],
            "fields": {f.name: list(f.values) for f in view.fields},
            "owner": view.summary.owner_code, "owned_here": view.summary.owned_here}
    owner = (cli.tr("Created here: you decide what to keep.") if view.summary.owned_here else
             cli.tr("Belongs to site {code}: only {code} can merge it.").format(
                 code=printable(view.summary.owner_code)))
    lines = [owner, "field | " + " | ".join(
        f"{printable(h.rev_id[:12])} ({printable(h.site_code)}, {printable(h.author)})"
        for h in heads)]
    for f in view.fields:
        mark = "*" if f.differs else " "
        lines.append(f"{mark}{printable(f.name)} | " + " | ".join(printable(v) for v in f.values))
    cli.out(data, "\n".join(lines))
    return 0


def cmd_conflicts_merge(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    choices = {}
    for item in args.field:
        name, sep, rev = item.partition("=")
        if not sep or not name or not rev:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Give a field choice as NAME=REV_ID, not {value}."), value=item[:60])
        choices[name] = rev
    result = ConflictService(cli.context()).merge(actor, args.record_id, args.take, args.reason,
                                                  choices)
    cli.out({"record_id": result.record_id, "rev_id": result.rev_id, "heads": result.heads},
            cli.tr("Merged {record}: version {rev}.").format(record=printable(result.record_id),
                                                           rev=printable(result.rev_id[:12])))
    return 0
