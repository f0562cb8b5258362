"""`partdesk retention ...` through the real entry point."""

from __future__ import annotations

import json

from desktop_app.cli import main
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part


def test_end_of_production_then_the_records_past_retention(ctx, actors, capsys, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    make_part(Services(ctx), actors)
    folder = str(ctx.folder.root)

    def run(user: str, *args: str) -> tuple[int, str]:
        code = main(["--data-dir", folder, "--user", user, *args])
        return code, capsys.readouterr().out

    assert run("eng", "retention", "end-production", "JT-5401-220", "--on", "2020-03-31") == (
        0, "JT-5401-220 C: records kept until 2021-03-31.\n")
    code, out = run("insp", "retention", "list")
    assert code == 0 and "PAST RETENTION" in out
    code, out = run("insp", "retention", "list", "--past", "--json")
    records = json.loads(out)
    assert records[0]["record_type"] == "part" and len(records) > 3
    assert {r["retain_until"] for r in records} == {"2021-03-31"}
    assert run("insp", "retention", "policy", "Jetour", "15")[0] == 4  # not allowed
    assert run("admin", "retention", "policy", "Jetour", "15")[0] == 0
    code, out = run("insp", "retention", "policies", "--json")
    assert [(p["customer"], p["years"]) for p in json.loads(out)] == [("Jetour", 15)]
