"""`partdesk msa record|show` through the real entry point."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part
from tests.services.msa_fixtures import (
    HEADER,
    aiag_rows,
    judgement_rows,
    made_up_rows,
    write_sheet,
)


@pytest.fixture
def run(ctx, actors, capsys, monkeypatch):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    make_part(Services(ctx), actors)
    folder = str(ctx.folder.root)

    def call(user: str, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", folder, "--user", user, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def test_the_aiag_example_recorded_and_shown(run, tmp_path):
    sheet = write_sheet(tmp_path / "grr.csv", HEADER, aiag_rows())
    code, out, err = run("insp", "msa", "record", "--gauge", "mic-220", "--file", str(sheet),
                         "--tolerance", "4", "--date", "2026-11-02", "--by", "K. Ouali")
    assert code == 0, err
    first, *notes = out.strip().splitlines()
    assert first == ("MSA study of MIC-220 recorded: Gauge R&R (ANOVA) 3×10×3; %GRR 27.9 % of "
                     "the total variation, 45.4 % of the tolerance, ndc 4: Unacceptable")
    assert any("4 distinct categories" in n for n in notes)
    code, out, _ = run("appr", "msa", "show", "--gauge", "MIC-220")
    assert code == 1  # the latest study is unacceptable
    assert "2026-11-02  Gauge R&R (ANOVA) 3×10×3; %GRR 27.9 %" in out
    assert "K. Ouali" in out and "Latest study (2026-11-02):" in out
    assert "Operators × parts" in out and "Without the interaction (pooled):" in out
    assert "%EV 18.4  %AV 20.9  %GRR 27.9  %PV 96.0" in out
    code, out, _ = run("appr", "msa", "show", "--gauge", "MIC-220", "--json")
    data = json.loads(out)
    [study] = data["studies"]
    assert (study["pct_grr"], study["ndc"], study["verdict"]) == ("27.9", "4", "unacceptable")
    assert [r["df"] for r in data["latest"]["anova"]] == [2, 9, 18, 60, 89]
    assert round(data["latest"]["anova"][0]["ss"], 4) == 3.1673


def test_a_study_for_a_characteristic_and_an_attribute_study(run, tmp_path):
    good = write_sheet(tmp_path / "good.csv", HEADER, made_up_rows(0.001))
    code, out, err = run("eng", "msa", "record", "--gauge", "MIC-220", "--file", str(good),
                         "--part", "JT-5401-220", "--characteristic", "1", "--json")
    assert code == 0, err
    info = json.loads(out)
    assert (info["tolerance"], info["characteristic_number"], info["verdict"]) == (
        "0.2", "1", "acceptable")
    assert run("eng", "msa", "show", "--gauge", "MIC-220")[0] == 0
    judged = write_sheet(tmp_path / "judged.csv", [*HEADER, "reference"], judgement_rows())
    code, out, _ = run("insp", "msa", "record", "--gauge", "MIC-220", "--file", str(judged))
    assert code == 0
    assert "Attribute agreement 3×10×2; effectiveness 90.0 %, miss rate 12.5 %, false alarm " \
           "rate 16.7 %, kappa 0.80: Unacceptable" in out


def test_refusals_say_one_sentence_with_their_exit_status(run, tmp_path):
    sheet = write_sheet(tmp_path / "grr.csv", HEADER, aiag_rows()[:-1])
    code, out, err = run("insp", "msa", "record", "--gauge", "MIC-220", "--file", str(sheet))
    assert (code, out) == (2, "")
    assert err.strip() == ("The study is not balanced: operator C has no trial 3 of part 10, "
                           "where every operator reads every part in trials 1, 2, 3.")
    good = write_sheet(tmp_path / "good.csv", HEADER, made_up_rows(0.001))
    assert run("appr", "msa", "record", "--gauge", "MIC-220", "--file", str(good))[0] == 4
    assert run("insp", "msa", "record", "--gauge", "NOPE", "--file", str(good))[0] == 3
    assert run("insp", "msa", "record", "--gauge", "MIC-220", "--file", str(good),
               "--part", "JT-5401-220", "--characteristic", "99")[0] == 3
    code, out, _ = run("insp", "msa", "show", "--gauge", "MIC-220")
    assert code == 1 and "No MSA study of this gauge." in out
