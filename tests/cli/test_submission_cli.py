"""`partdesk submission check|decide` through the real entry point: an approval the evidence does
not support is refused with one sentence and exit status 2; nothing is signed."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.certification import State
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part, ready_submission
from tests.services.test_approval_checks import record_poor_capability, under_review


@pytest.fixture
def reviewed(ctx, actors, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    svc = Services(ctx)
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    under_review(svc, actors, sid)
    number = svc.cert.submission(actors["appr"], sid).summary.number
    return svc, part, sid, number, str(ctx.folder.root)


def test_an_approval_against_the_evidence_is_refused(reviewed, actors, capsys):
    svc, part, sid, number, folder = reviewed
    record_poor_capability(svc, actors, part)
    assert main(["--data-dir", folder, "--user", "appr", "submission", "decide", number,
                 "approve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("This submission cannot be approved: Special characteristic 1 (CC) "
                          "has Ppk 0.")
    assert len(err.strip().splitlines()) == 1
    assert svc.cert.submission(actors["appr"], sid).summary.state is State.UNDER_REVIEW
    assert main(["--data-dir", folder, "--user", "insp", "submission", "check", number,
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert not data["ok"]
    assert [f["code"] for f in data["findings"] if f["blocking"]] == ["low_capability"]
    # The 40 readings of the hole: a smaller study, for the approver to see.
    assert "capability_small_study" in [f["code"] for f in data["findings"]
                                        if not f["blocking"]]


def test_a_supported_approval_is_signed_and_issues_a_certificate(reviewed, actors, capsys):
    svc, _, sid, number, folder = reviewed
    assert main(["--data-dir", folder, "--user", "insp", "submission", "check", number]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Complete")
    assert "\nFor the customer to agree: Special characteristic 1 (CC)" in out
    assert main(["--data-dir", folder, "--user", "appr", "submission", "decide", number,
                 "approve", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["submission"], data["state"]) == (number, "approved")
    assert data["certificate"].startswith("CERT-TST-")
    assert svc.cert.submission(actors["appr"], sid).decisions[-1].signature.covers_current
