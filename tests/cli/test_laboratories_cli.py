"""`partdesk lab ...` and `partdesk inspection-document ...` through the real entry point."""

from __future__ import annotations

import json

from desktop_app.cli import main
from desktop_app.services.evidence_queries import EvidenceQueries
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part

LAB = "Laboratoire national des matériaux (LNMC), Alger"


def test_laboratories_and_a_31_certificate(ctx, actors, capsys, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    part = make_part(Services(ctx), actors)
    number = EvidenceQueries(ctx).report(part["material"]).summary.number
    folder = str(ctx.folder.root)

    def run(user: str, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", folder, "--user", user, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("insp", "lab", "add", LAB, "--body", "ALGERAC", "--accreditation",
                       "L-0142", "--until", "2020-06-30", "--scope", "ISO 6892-1")
    assert code == 0 and out.strip() == f"{LAB}: accreditation L-0142 valid until 2020-06-30."
    code, out, _ = run("insp", "lab", "list")
    assert code == 1 and "EXPIRED" in out  # an expired accreditation is a warning
    assert run("insp", "lab", "add", LAB, "--body", "ALGERAC", "--accreditation", "L-0142",
               "--until", "2099-06-30", "--scope", "ISO 6892-1")[0] == 0
    assert run("insp", "lab", "list")[0] == 0
    code, _, err = run("insp", "inspection-document", "add", number, "--type", "3.1",
                       "--inspector", "K. Ouali")
    assert code == 2 and "heat number" in err
    code, out, _ = run("insp", "inspection-document", "add", number, "--type", "3.1",
                       "--heat", "26-0412", "--inspector", "K. Ouali")
    assert code == 0 and out.strip() == (f"{number} is an EN 10204 3.1 (certificat de "
                                         "réception 3.1).")
    code, out, _ = run("insp", "inspection-document", "list", "JT-5401-220", "--json")
    [doc] = json.loads(out)
    assert (doc["type"], doc["designation_fr"], doc["heat_number"], doc["inspector"]) == (
        "3.1", "certificat de réception 3.1", "26-0412", "K. Ouali")
