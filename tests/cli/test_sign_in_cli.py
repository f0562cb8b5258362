"""Every command that shows data signs in first, like the window; a refusal is one sentence,
exit status 5, and nothing of the data on stdout."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from desktop_app.cli import build_parser, main
from desktop_app.domain.parts import SupplierDraft, VehicleModelDraft
from desktop_app.services.people import FREE_ATTEMPTS, PeopleService, throttle_delay
from desktop_app.services.suppliers import SupplierService, VehicleModelService
from tests.conftest import PASSWORD
from tests.services.evidence_fixtures import register_part

SIGN_IN_FIRST = (
    "Sign in first: --user NAME before the command (or PARTDESK_USER), and the password in "
    "PARTDESK_PASSWORD or at the prompt."
)
WRONG = "The user name or password is wrong."

# One reading command of each family.
READS = [
    ["people", "list"],
    ["parts", "list"],
    ["parts", "show", "JT-5801"],
    ["suppliers", "list"],
    ["models", "list"],
    ["evidence", "files", "JT-5801"],
    ["evidence", "gauges"],
    ["certificate", "list"],
    ["certificate", "verify", "--payload", "PDC1|nothing"],
    ["integration"],
    ["roadmap", "steps"],
    ["sites", "list"],
    ["sites", "key", "--out", "site.partdesk-key"],
    ["conflicts", "list"],
]
IDS = [" ".join(argv[:2]) for argv in READS]


@pytest.fixture
def folder(ctx, actors, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")  # where a refused command might have written a file
    register_part(ctx, actors["eng"], "JT-5801")
    SupplierService(ctx).add_supplier(actors["eng"], SupplierDraft("Sider Est", "SIDER"))
    VehicleModelService(ctx).add_model(actors["eng"], VehicleModelDraft("X70", "Jetour", "X70"))
    return str(ctx.folder.root)


def run(capsys, folder: str, *argv: str, user: str | None = None) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", folder, *(["--user", user] if user else []), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", READS, ids=IDS)
def test_a_read_without_sign_in_is_refused(folder, capsys, argv) -> None:
    assert run(capsys, folder, *argv) == (5, "", SIGN_IN_FIRST + "\n")
    assert not Path("site.partdesk-key").exists()
    code, out, _ = run(capsys, folder, *argv, user="eng")  # signed in, the same command answers
    assert code != 5 and out.strip()


@pytest.mark.parametrize("argv", READS, ids=IDS)
def test_a_wrong_password_or_an_unknown_name_shows_nothing(
    folder, capsys, monkeypatch, argv
) -> None:
    assert run(capsys, folder, *argv, user="nobody") == (5, "", WRONG + "\n")
    monkeypatch.setenv("PARTDESK_PASSWORD", "wrong-password")
    assert run(capsys, folder, *argv, user="eng") == (5, "", WRONG + "\n")


def test_parts_list_shows_the_part_only_to_a_signed_in_person(folder, capsys, monkeypatch):
    code, out, _ = run(capsys, folder, "parts", "list", user="insp")
    assert code == 0 and "JT-5801" in out and "Traverse avant" in out
    monkeypatch.setenv("PARTDESK_PASSWORD", "wrong-password")
    code, out, err = run(capsys, folder, "--json", "parts", "list", user="insp")
    assert (code, out) == (5, "") and "JT-5801" not in err


def test_a_disabled_account_with_a_wrong_password_is_told_only_that(
    folder, capsys, monkeypatch, ctx, actors
) -> None:
    PeopleService(ctx).set_active(actors["admin"], actors["eng"].user_id, False)
    monkeypatch.setenv("PARTDESK_PASSWORD", "wrong-password")
    assert run(capsys, folder, "parts", "list", user="eng") == (5, "", WRONG + "\n")
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    assert run(capsys, folder, "parts", "list", user="eng") == (
        5, "", "The account eng is disabled; ask an administrator.\n"
    )


def test_an_unknown_name_is_throttled_like_a_known_one(folder, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PARTDESK_PASSWORD", "wrong-password")
    answers = []
    for user in ("nobody", "insp"):
        for _ in range(FREE_ATTEMPTS):
            assert run(capsys, folder, "parts", "list", user=user) == (5, "", WRONG + "\n")
        code, out, err = run(capsys, folder, "parts", "list", user=user)  # right away
        assert (code, out) == (5, "")
        seconds = int(re.findall(r"in (\d+) seconds", err)[0])
        assert 0 < seconds <= throttle_delay(FREE_ATTEMPTS)
        answers.append(err.replace(user, "NAME").replace(str(seconds), "N"))
    assert answers[0] == answers[1]
    assert answers[0] == "Too many failed sign-ins for NAME; try again in N seconds.\n"


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from leaves(child, (*path, name))


def _accepted(action: argparse.Action) -> str:
    """A value the argument's type takes (a word, a number or a date)."""
    for candidate in ("x", "1", "2026-01-01"):
        try:
            if action.type is None or callable(action.type) and action.type(candidate) is not None:
                return candidate
        except (TypeError, ValueError, argparse.ArgumentTypeError):
            continue
    return "x"


def minimal_argv(path: tuple[str, ...], parser: argparse.ArgumentParser) -> list[str]:
    argv = list(path)
    for action in parser._actions:
        value = str(action.choices[0]) if action.choices else _accepted(action)
        if not action.option_strings and action.nargs not in ("?", "*"):
            argv.append(value)
        elif action.option_strings and action.required:
            argv += [action.option_strings[0], value]
    return argv


def test_every_command_but_init_demo_and_verify_signs_in_first(folder, capsys) -> None:
    public = []
    for path, parser in leaves(build_parser()):
        if not parser.get_default("sign_in"):
            public.append(" ".join(path))
            continue
        code, out, err = run(capsys, folder, *minimal_argv(path, parser))
        assert (code, out, err) == (5, "", SIGN_IN_FIRST + "\n"), path
    # (a plant's first PC sets it up; a further PC joins with a code, before any account here)
    assert sorted(public) == ["demo", "init", "plant init", "plant join", "verify"]
    assert list(Path.cwd().iterdir()) == []  # no refused command wrote a file
