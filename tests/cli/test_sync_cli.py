"""`partdesk sites`, `export`, `import` and `conflicts` from the command line."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from tests.conftest import PASSWORD


@pytest.fixture
def cli_env(monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_enrol_export_import_and_retire(tmp_path, capsys, cli_env):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    for folder, code in ((a, "AAA"), (b, "BBB")):
        assert run(capsys, "--data-dir", folder, "init", "--site-code", code, "--site-name",
                   f"Site {code}", "--admin", "admin")[0] == 0
    key = str(tmp_path / "a.key")
    code, out, _ = run(capsys, "--data-dir", a, "--user", "admin", "--json", "sites", "key",
                       "--out", key)
    fingerprint = json.loads(out)["fingerprint"]
    code, _, err = run(capsys, "--data-dir", b, "--user", "admin", "sites", "enrol", key,
                       "--fingerprint", "1234 " * 10)
    assert code == 2 and "does not match" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "sites", "enrol", key,
                       "--fingerprint", fingerprint)
    assert code == 0 and "AAA" in out

    package = str(tmp_path / "a1.partdesk")
    assert run(capsys, "--data-dir", a, "--user", "admin", "export", "--out", package)[0] == 0
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "--json", "import", package,
                       "--dry-run")
    preview = json.loads(out)
    assert code == 0 and preview["new"] >= 2 and not preview["already_imported"]
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "import", package)
    assert code == 0 and "Imported" in out
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "import", package)
    assert code == 0 and "imported before" in out
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "--json", "sites", "list")
    (status,) = json.loads(out)
    assert status["code"] == "AAA" and status["last_received_sequence"] == 1
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "conflicts", "list")
    assert code == 0 and "No record" in out
    assert run(capsys, "--data-dir", b, "verify")[0] == 0

    # What AAA (a plant) may write at BBB: its kind's defaults, then what the administrator sets.
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "--json", "sites", "scope",
                       "AAA")
    scope = json.loads(out)
    assert code == 0 and "part" in scope["record_types"] and "decision" not in scope["record_types"]
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "sites", "scope", "AAA",
                       "--set", "part,decision")
    assert code == 0 and "part, decision" in out.replace("decision, part", "part, decision")
    assert "withheld" in out
    code, _, err = run(capsys, "--data-dir", b, "--user", "admin", "sites", "scope", "AAA",
                       "--set", "part,superuser")
    assert code == 2 and "superuser" in err
    code, out, _ = run(capsys, "--data-dir", b, "--user", "admin", "--json", "sites", "scope",
                       "AAA", "--default")
    assert json.loads(out)["record_types"] == json.loads(out)["defaults"]

    assert run(capsys, "--data-dir", b, "--user", "admin", "sites", "retire", "AAA")[0] == 0
    package2 = str(tmp_path / "a2.partdesk")
    assert run(capsys, "--data-dir", a, "--user", "admin", "export", "--out", package2)[0] == 0
    code, _, err = run(capsys, "--data-dir", b, "--user", "admin", "import", package2)
    assert code == 9 and "retired key of site AAA" in err


def test_conflicts_show_and_merge(tmp_path, capsys, cli_env):
    from tests.sync.sites import make_sites

    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    record = a.create({"title": "bracket"})
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    a.update(record, {"title": "LH"})
    b.propose(record, {"title": "RH"})  # BBB edits AAA's record, as a careless peer would
    b.sync.import_package(b.engineer, a.export(tmp_path, to="BBB"))
    a.sync.import_package(a.engineer, b.export(tmp_path, to="AAA"))
    folder, elsewhere = str(a.ctx.folder.root), str(b.ctx.folder.root)
    b.ctx.close()
    a.ctx.close()
    code, out, _ = run(capsys, "--data-dir", folder, "--user", "eng", "--json", "conflicts", "list")
    (conflict,) = json.loads(out)
    heads = {h["site"]: h["rev_id"] for h in conflict["heads"]}
    code, out, _ = run(capsys, "--data-dir", folder, "--user", "eng", "conflicts", "show", record)
    assert "LH" in out and "RH" in out
    code, _, err = run(capsys, "--data-dir", elsewhere, "--user", "eng", "conflicts", "merge",
                       record, "--take", heads["AAA"][:12], "--reason", "mine")
    assert code == 4 and "another site" in err
    code, _, err = run(capsys, "--data-dir", folder, "--user", "eng", "conflicts", "merge",
                       record, "--take", heads["AAA"][:12], "--reason", "")
    assert code == 2 and "reason" in err
    code, out, _ = run(capsys, "--data-dir", folder, "--user", "eng", "conflicts", "merge",
                       record, "--take", heads["AAA"][:12], "--reason", "drawing rev C")
    assert code == 0 and "Merged" in out
    code, out, _ = run(capsys, "--data-dir", folder, "--user", "eng", "conflicts", "list")
    assert "No record" in out
