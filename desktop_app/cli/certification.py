"""`partdesk certificate list|print|verify`: the certificate register, printing, offline checks;
`partdesk submission check|decide`: what a submission lacks, and a signed decision on it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CERTIFICATE_EXIT, Cli, command, printable
from desktop_app.domain.certificate_trust import CertificateCheck
from desktop_app.domain.certification import DECISIONS, STATE_LABELS, Action
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.certification_dto import FindingInfo
from desktop_app.services.certification_psw import find_submission

LANGUAGE_CHOICES = {"fr,en": ("fr", "en"), "en,fr": ("en", "fr"), "fr": ("fr",), "en": ("en",),
                    "ar": ("ar",), "zh": ("zh",)}


def register(sub: Any) -> None:
    cert = sub.add_parser("certificate", help="Part approval certificates: register, print, "
                                              "verify.")
    inner = cert.add_subparsers(dest="certificate_command", metavar="ACTION", required=True)
    command(inner, "list", cmd_list, "List every certificate with its status.")
    p = command(inner, "print", cmd_print, "Write a certificate as a signed PDF.")
    p.add_argument("number", help="certificate number, e.g. CERT-MSR-2026-0042")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--lang", dest="cert_lang", default="fr,en", choices=sorted(LANGUAGE_CHOICES),
                   help="languages of the certificate (default: French and English)")
    p = command(inner, "verify", cmd_verify,
                "Check a certificate PDF (or a scanned QR text with --payload) offline against "
                "the enrolled site keys and this register; a genuine certificate's state is "
                "this register's now (since when and why). Exit status: 0 genuine and in force "
                "(valid or interim), 10 genuine but not in this register, 11 superseded, "
                "12 suspended, 13 revoked, 14 signed by a site not enrolled here, 15 not "
                "genuine, 16 not a certificate, 17 expired, 18 needs re-approval (changed after "
                "its approval), 19 conflicting edits (state undecided).")
    p.add_argument("file", nargs="?", metavar="FILE.pdf")
    p.add_argument("--payload", default="", help="the text of the QR code instead of a file")

    subm = sub.add_parser("submission", help="OTS and PPAP submissions: check, decide.")
    inner = subm.add_subparsers(dest="submission_command", metavar="ACTION", required=True)
    p = command(inner, "check", cmd_check,
                "What a submission lacks before it can be submitted or approved (exit status 1 "
                "when something is missing).")
    p.add_argument("submission", help="submission number, e.g. SUB-MSR-2026-0003")
    p = command(inner, "decide", cmd_decide,
                "Decide on a submission with an electronic signature (the password of --user "
                "signs). An approval whose evidence does not support it is refused (exit status "
                "2) with the first thing missing named.")
    p.add_argument("submission", help="submission number, e.g. SUB-MSR-2026-0003")
    p.add_argument("action", choices=sorted(str(a) for a in DECISIONS))
    p.add_argument("--reason", default="", help="recorded with the signature (reject, suspend, "
                                                "reinstate and revoke need one)")
    p.add_argument("--until", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="expiry of an interim approval")
    p.add_argument("--quantity", type=int, default=None, help="parts an interim approval covers")
    p.add_argument("--plan", default="", help="the corrective action plan of an interim approval")


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    service = CertificateService(cli.initialised_context(write=False))
    rows = service.list_certificates(actor, 0, 100000)
    lines = [f"{printable(c.number):<22} {printable(c.part_number):<18} "
             f"{printable(c.kind.upper()):<5} L{c.level} "
             f"{c.status.value:<17} {printable(c.issued_on)} {printable(c.valid_until)}"
             + ("  " + cli.tr("expires within 30 days") if c.expiring_soon else "")
             for c in rows]
    lines.append(cli.tr_n("%Ln certificates", len(rows)))
    cli.out([c.to_json() for c in rows], "\n".join(lines))
    return 0


def cmd_print(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = CertificateService(cli.context())
    path = service.write_pdf(actor, args.number, Path(args.out), LANGUAGE_CHOICES[args.cert_lang])
    cli.out({"number": args.number.upper(), "file": str(path)},
            cli.tr("Wrote {file}.").format(file=printable(path)))
    return 0


def cmd_verify(cli: Cli, args: argparse.Namespace) -> int:
    service = CertificateService(cli.initialised_context(write=False))
    if args.payload:
        result = service.verify_certificate_payload(args.payload)
    elif args.file:
        result = service.verify_certificate_pdf(Path(args.file))
    else:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Name a certificate PDF, or give the QR text with --payload."))
    data = result.to_json()
    data["message"] = result.sentence(lambda context, text: cli.tr(text, context))
    data["exit_status"] = CERTIFICATE_EXIT[result.answer]
    cli.out(data, _describe(cli, result, data["message"]))
    return CERTIFICATE_EXIT[result.answer]


def _describe(cli: Cli, result: CertificateCheck, sentence: str) -> str:
    # The sentence and the body come from the file or the scanned text: anyone's input.
    lines = [printable(sentence)]
    body = {key: printable(value) for key, value in (result.body or {}).items()}
    if body:
        lines.append(f"  {body.get('n', '')}  {body.get('p', '')} rev {body.get('r', '')}  "
                     f"{body.get('t', '')}  {body.get('i', '')}"
                     + (f"  until {body['u']}" if body.get("u") else "")
                     + (f"  qty {body['q']}" if body.get("q") else ""))
    if result.key_fingerprint:
        lines.append("  " + cli.tr("Key {fingerprint}").format(
            fingerprint=printable(result.key_fingerprint)))
    if result.certificate is not None:
        c = result.certificate
        lines.append(f"  {printable(c.supplier_name)} — {printable(c.designation)} — "
                     f"{printable(c.approval_type)}")
        lines += [f"  {printable(s.name)}: {printable(s.meaning)} "
                  f"({printable(s.signed_at[:16].replace('T', ' '))} UTC)"
                  for s in c.signatures]
    return "\n".join(lines)


def cmd_check(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    service = CertificationService(cli.initialised_context(write=False))
    result = service.check(actor, find_submission(service, actor, args.submission))
    def say(f: FindingInfo) -> str:
        text = f.text(lambda context, source: cli.tr(source, context))
        if f.blocking:
            return printable(text)
        # What needs the customer's agreement is for the approver to see; it refuses nothing.
        return printable(cli.tr("For the customer to agree: {finding}", "Certification")
                         .format(finding=text))

    lines = [say(f) for f in result.problems]
    if result.ok:
        lines.insert(0, cli.tr("Complete: every required element is covered and consistent.",
                               "Certification"))
    lines += [say(f) for f in result.findings if not f.blocking]
    cli.out({"submission": args.submission.upper(), "ok": result.ok,
             "findings": [{"code": f.code, "element": f.element, "message": f.message,
                           "blocking": f.blocking} for f in result.findings]},
            "\n".join(lines))
    return 0 if result.ok else 1


def cmd_decide(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    service = CertificationService(ctx)
    submission_id = find_submission(service, actor, args.submission)
    _, password = cli.credentials()
    detail = DecisionService(ctx, service).decide(
        actor, submission_id, Action(args.action), password, reason=args.reason,
        valid_until=args.until, quantity_limit=args.quantity, action_plan=args.plan)
    state = detail.summary.state
    number = detail.decisions[-1].certificate_number if detail.decisions else ""
    text = cli.tr("Signed and recorded: {submission} is {state}.").format(
        submission=printable(detail.summary.number),
        state=cli.tr(STATE_LABELS[state], "Certification").lower())
    if number:
        text += " " + cli.tr("Certificate {number} issued.").format(number=printable(number))
    cli.out({"submission": detail.summary.number, "state": str(state), "certificate": number},
            text)
    return 0
