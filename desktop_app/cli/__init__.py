"""`partdesk`: one entry point. With no sub-command it opens the window.

A composition root like `app.py`: it resolves the data folder, opens the services and calls them.
Each area adds a module to COMMAND_MODULES with a `register(subparsers)` function; a command's
handler takes the `Cli` object and the parsed arguments and returns an exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_app import __version__, logs

COMMAND_MODULES = (
    "desktop_app.cli.core",
    "desktop_app.cli.people",
    "desktop_app.cli.certification",
    "desktop_app.cli.deviations",
    "desktop_app.cli.retention",
    "desktop_app.cli.psw",
    "desktop_app.cli.evidence",
    "desktop_app.cli.laboratories",
    "desktop_app.cli.msa",
    "desktop_app.cli.parts",
    "desktop_app.cli.roadmap",
    "desktop_app.cli.sync",
    "desktop_app.cli.diagnostics",
    "desktop_app.cli.plant",
)


def global_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The options that stand before the sub-command."""
    parser = argparse.ArgumentParser(
        prog="partdesk", add_help=add_help,
        description="PartDesk: parts, test evidence and PPAP certification, offline first.",
    )
    parser.add_argument("--version", action="version", version=f"PartDesk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="data folder (default: $PARTDESK_DATA_DIR or the user data folder)")
    parser.add_argument("--database-url", metavar="URL",
                        help="use a database server instead of the folder's SQLite file")
    parser.add_argument("--user", metavar="NAME",
                        help="who signs in, for every command but init, demo and verify "
                             "(default: $PARTDESK_USER); password from $PARTDESK_PASSWORD or a "
                             "prompt")
    parser.add_argument("--lang", metavar="CODE", help="language of messages: en, fr, ar, zh")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = global_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def window_arguments(args_list: list[str]) -> argparse.Namespace | None:
    """The global options when no sub-command (nor --help) is given: the window is wanted.
    Checked before the command modules are imported, so the window starts without them."""
    known, rest = global_parser(add_help=False).parse_known_args(args_list)
    return None if rest else known


def command_name(args: argparse.Namespace) -> str:
    """`parts list`, `verify`: the words of the command, without its arguments (for the log)."""
    name = args.command or ""
    action = getattr(args, f"{name}_command", None)
    return f"{name} {action}" if action else name


def start_logging(args: argparse.Namespace, command: str = "") -> logs.LogSession:
    """The log for this process: the user log folder, else the data folder's `logs/`."""
    from desktop_app.paths import resolve_data_dir

    try:
        data_dir = resolve_data_dir(args.data_dir)
    except OSError:
        return logs.start_logging(command=command)
    return logs.start_logging([data_dir / "logs"], command=command, data_folder=data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    window_args = window_arguments(args_list)
    if window_args is not None:
        return _run_window(window_args)
    from desktop_app.cli.common import Cli, run_command

    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        return _run_window(args)
    session = start_logging(args, command_name(args))
    session.install_hooks()
    try:
        return run_command(Cli(args), args)
    finally:
        session.close()


def _run_window(args: argparse.Namespace) -> int:
    from desktop_app.app import run_app

    session = start_logging(args)
    try:
        return run_app(args, log_session=session)
    finally:
        session.close()


if __name__ == "__main__":
    raise SystemExit(main())
