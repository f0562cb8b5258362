"""`partdesk diagnostics --out FILE.zip`: what plant IT needs to help, and nothing secret."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.services.diagnostics import DiagnosticsService


def register(sub: Any) -> None:
    p = command(
        sub,
        "diagnostics",
        cmd_diagnostics,
        "Write a zip for plant IT: versions, platform, settings, the output of verify, record "
        "counts and the last lines of the log; no key, no data, no passwords.",
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE.zip")


def qt_versions() -> dict[str, str]:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError:
        return {"Qt": "not available"}
    return {"Qt": QtCore.qVersion(), "PySide6": PySide6.__version__}


def cmd_diagnostics(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    summary = DiagnosticsService(cli.context(write=False)).collect(
        actor, args.out, settings_file=cli.folder.settings, extra_versions=qt_versions()
    )
    text = cli.tr("Diagnostics written to {path}.").format(path=printable(summary.path))
    if summary.problems:
        text += " " + cli.tr_n(
            "Verify found %Ln problems; they are listed in verify.txt.", summary.problems)
    cli.out(
        {"path": str(summary.path), "members": summary.members, "problems": summary.problems},
        text,
    )
    return 0
