"""`partdesk deviation add|list|approve|reject|use` through the real entry point: requested by
an engineer, approved by an approver with their password, counted against its quantity; the
submission check follows."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.certification import SubmissionKind
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part, ready_submission
from tests.services.test_approval_checks import record_poor_capability


@pytest.fixture
def poor(ctx, actors, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    svc = Services(ctx)
    part = make_part(svc, actors)
    record_poor_capability(svc, actors, part)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    number = svc.cert.submission(actors["eng"], sid).summary.number
    return svc, number, str(ctx.folder.root)


def _run(capsys, folder: str, user: str, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", folder, "--user", user, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_request_approve_and_use_a_deviation(poor, capsys):
    svc, number, folder = poor
    assert _run(capsys, folder, "insp", "submission", "check", number)[0] == 1
    code, out, _ = _run(capsys, folder, "eng", "deviation", "add", "JT-5401-220",
                        "--characteristic", "1", "--quantity", "100", "--until", "2099-01-31",
                        "--description", "100 % sorting of the hole")
    assert code == 0 and "DEV-TST-" in out and "waives nothing until" in out
    dev = out.split()[1]
    assert _run(capsys, folder, "eng", "deviation", "approve", dev)[0] == 4  # no approver
    code, out, _ = _run(capsys, folder, "appr", "deviation", "approve", dev)
    assert code == 0 and out.strip() == f"Signed and recorded: deviation {dev} is approved, valid."
    assert _run(capsys, folder, "insp", "submission", "check", number)[0] == 0
    code, out, _ = _run(capsys, folder, "eng", "deviation", "use", dev, "100")
    assert code == 0 and "100 of 100 parts" in out
    assert _run(capsys, folder, "insp", "submission", "check", number)[0] == 1
    code, out, _ = _run(capsys, folder, "insp", "deviation", "list", "--json")
    [row] = json.loads(out)
    assert (row["number"], row["status"], row["valid"], row["characteristics"]) == (
        dev, "used_up", False, ["1"])


def test_a_rejection_needs_a_reason_and_unknown_characteristics_are_named(poor, capsys):
    _, _, folder = poor
    code, _, err = _run(capsys, folder, "eng", "deviation", "add", "JT-5401-220",
                        "--characteristic", "9", "--quantity", "5", "--description", "x")
    assert code == 2 and err.strip() == ("Characteristic 9 is not a characteristic of this "
                                         "part revision.")
    _run(capsys, folder, "eng", "deviation", "add", "JT-5401-220", "--characteristic", "1",
         "--quantity", "5", "--description", "x", "--number", "DEV-JTR-2026-017")
    code, out, _ = _run(capsys, folder, "appr", "deviation", "reject", "DEV-JTR-2026-017",
                        "--reason", "Sorting does not contain a CC")
    assert code == 0 and out.strip().endswith("is rejected.")
