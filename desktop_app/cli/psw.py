"""`partdesk psw show|print`: the Part Submission Warrant of a submission, as text or as a PDF."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from desktop_app.cli.common import LANG_ENV, Cli, _translator, command, printable
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_psw import find_submission, psw_summary, write_psw_pdf

LANGUAGES = ("en", "fr", "ar", "zh")


def register(sub: Any) -> None:
    psw = sub.add_parser("psw", help="Part Submission Warrants (PPAP element 18): show, print.")
    inner = psw.add_subparsers(dest="psw_command", metavar="ACTION", required=True)
    p = command(inner, "show", cmd_show, "Show the warrant of a submission as text.")
    p.add_argument("submission", help="submission number, e.g. SUB-MSR-2026-0003")
    p = command(inner, "print", cmd_print, "Write the warrant of a submission as a PDF.")
    p.add_argument("submission", help="submission number, e.g. SUB-MSR-2026-0003")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.add_argument("--lang", dest="psw_lang", choices=LANGUAGES, default=None,
                   help="language of the warrant (default: the language of messages, "
                        "otherwise French)")


def _language(args: argparse.Namespace) -> str:
    if args.psw_lang:
        return str(args.psw_lang)
    code = (args.lang or os.environ.get(LANG_ENV, "")).split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else "fr"


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    service = CertificationService(cli.initialised_context(write=False))
    summary = psw_summary(service, actor, find_submission(service, actor, args.submission),
                          lambda context, text: cli.tr(text, context))
    lines: list[str] = []
    for title, rows in summary.sections:
        lines.append(cli.tr(title, "Psw").upper())
        lines += [f"  {cli.tr(label, 'Psw')}: {printable(value)}" for label, value in rows]
    cli.out(summary.to_json(), "\n".join(lines))
    return 0


def cmd_print(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = CertificationService(cli.context())
    submission_id = find_submission(service, actor, args.submission)
    language = _language(args)
    path = write_psw_pdf(service, actor, submission_id, args.out, language,
                         _translator(language))
    cli.out({"submission": args.submission.upper(), "file": str(path), "language": language},
            cli.tr("Wrote {file}.").format(file=printable(path)))
    return 0
