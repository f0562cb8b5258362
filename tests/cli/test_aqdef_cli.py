"""`partdesk evidence import-characteristics` and `evidence record --readings` take Q-DAS AQDEF
files (.dfq, .dfd with its .dfx) as they take CSV: dry run, then the report dated by the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.people import Role
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD
from tests.files.aqdef_samples import DESCRIPTION, compact_values, dfq_compact
from tests.services.evidence_fixtures import register_part


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with an engineer and the part JT-5801 (no characteristics yet)."""
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    root = tmp_path / "d"
    assert main(["--data-dir", str(root), "init", "--site-code", "MSR", "--site-name",
                 "Massar Rouiba", "--admin", "admin"]) == 0
    ctx = open_context(DataFolder(root))
    people = PeopleService(ctx)
    people.add_person(people.sign_in("admin", PASSWORD), "eng", "Eng Person", Role.ENGINEER,
                      PASSWORD)
    register_part(ctx, people.sign_in("eng", PASSWORD), "JT-5801")
    ctx.close()
    return root


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "--user", "eng", *args])


def test_characteristics_and_a_report_from_an_aqdef_file(root, tmp_path, capsys):
    dfq = tmp_path / "JT-5801.dfq"
    dfq.write_text(dfq_compact(), encoding="cp1252")
    assert run(root, "--json", "evidence", "import-characteristics", "JT-5801", str(dfq),
               "--dry-run") == 0
    assert json.loads(capsys.readouterr().out)["would_add"] == ["1", "2", "3"]
    assert run(root, "evidence", "import-characteristics", "JT-5801", str(dfq)) == 0
    capsys.readouterr()
    assert run(root, "--json", "evidence", "record", "JT-5801", "--type", "dimensional",
               "--readings", str(dfq), "--dry-run") == 0
    dry = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["n"], r["verdict"]) for r in dry["results"]] == [
        ("1", 10, "pass"), ("2", 10, "pass"), ("3", 10, "fail")]
    assert (dry["tested_on"], dry["operators"]) == ("2025-05-13", ["A. Benali", "K. Haddad"])
    assert run(root, "--json", "evidence", "record", "JT-5801", "--type", "dimensional",
               "--readings", str(dfq)) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["tested_on"], report["operator"]) == ("2025-05-13", "A. Benali, K. Haddad")


def test_a_description_with_values_elsewhere_and_a_malformed_field(root, tmp_path, capsys):
    dfd = tmp_path / "M.dfd"
    dfd.write_text(DESCRIPTION)
    values = tmp_path / "elsewhere" / "values.dfx"
    values.parent.mkdir()
    values.write_text(compact_values())
    assert run(root, "evidence", "import-characteristics", "JT-5801", str(dfd)) == 0
    capsys.readouterr()
    assert run(root, "--json", "evidence", "record", "JT-5801", "--type", "dimensional",
               "--readings", str(dfd), "--values", str(values), "--dry-run") == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 3
    bad = tmp_path / "bad.dfq"
    bad.write_text(DESCRIPTION.replace("K2111/2 0,05", "K2111/2 0,0,5"))
    assert run(root, "evidence", "import-characteristics", "JT-5801", str(bad)) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith('Line 12: K2111/2 should be a number, not "0,0,5".')
    assert len(err.splitlines()) == 1
