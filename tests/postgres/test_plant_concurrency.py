"""Two PCs of one plant working at the same moment, each through the real `partdesk` program in
a process of its own: imports of overlapping parts (edits of the same records), the same file
attached on both, a file of each, a certificate printed on both, `verify` on both.

Every command either succeeds or is refused with one sentence (a "busy, try again" is retried
once, as a person would); nothing is lost: every part of both files is there, every edit of a
shared part is in its history under the person who made it, the file attached twice is kept
once and the other PC is told so, and `verify` is green from either PC."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import StaleEdit
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role
from desktop_app.files.tables import write_table
from desktop_app.services.conflicts import ConflictService
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.core import RevisionRow
from desktop_app.storage.models.evidence import Attachment
from desktop_app.storage.models.parts import Part
from tests.conftest import PASSWORD
from tests.postgres.plant_pcs import invite, join, open_pc, people, plant_init
from tests.services.certification_fixtures import Services, approved, make_part

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["Référence", "Indice", "Désignation"]
SHARED = range(30, 60)  # part numbers both PCs import


def _partdesk(folder: Path, user: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PARTDESK_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PARTDESK_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(folder), "--user", user, *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _at_once(*commands: tuple[Path, str, tuple[str, ...]]) -> list[tuple[int, str, str]]:
    """Start every command, then wait for all; one told to try again is run again once."""
    running = [_partdesk(folder, user, *args) for folder, user, args in commands]
    results = []
    for (folder, user, args), proc in zip(commands, running, strict=True):
        out, err = proc.communicate(timeout=300)
        if proc.returncode == 7 and "try again" in err:
            assert len(err.strip().splitlines()) == 1, err
            again = _partdesk(folder, user, *args)
            out, err = again.communicate(timeout=300)
            proc = again
        results.append((proc.returncode, out, err))
    return results


def _parts_file(path: Path, numbers: range, who: str) -> Path:
    write_table(path, HEADERS, [[f"CX-{n:04d}", "A", f"Traverse {n} ({who})"] for n in numbers],
                "csv")
    return path


@pytest.fixture
def plant(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    a, b = tmp_path / "pc-a", tmp_path / "pc-b"
    assert plant_init(a, pg_url) == 0
    ctx = open_pc(a)
    try:
        actors = people(ctx)
        PeopleService(ctx).add_person(actors["admin"], "eng2", "Second Engineer",
                                      Role.ENGINEER, PASSWORD)
        svc = Services(ctx)
        sid = approved(svc, actors, make_part(svc, actors), PASSWORD)
        number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    finally:
        ctx.close()
    assert join(b, pg_url, invite(a, capsys)) == 0
    return a, b, number


def test_two_pcs_at_once_lose_nothing_and_verify_from_either(plant, tmp_path) -> None:
    a, b, number = plant
    first = _parts_file(tmp_path / "a.csv", range(60), "A")
    second = _parts_file(tmp_path / "b.csv", range(30, 90), "B")
    imports = _at_once((a, "eng", ("parts", "import", str(first))),
                       (b, "eng2", ("parts", "import", str(second))))
    assert [r[0] for r in imports] == [0, 0], imports

    # The same drawing attached on both PCs at once, and a file of each.
    same = tmp_path / "same drawing.pdf"
    same.write_bytes(b"%PDF-1.4\n% drawing JT-5401-220 rev C\n" + os.urandom(1_500_000))
    own = {}
    for pc in "ab":
        own[pc] = tmp_path / f"photo {pc}.png"
        own[pc].write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300_000))
    attach = ("evidence", "attach", "JT-5401-220", "--kind", "drawing", "--json")
    both = _at_once((a, "eng", (*attach, str(same))), (b, "eng2", (*attach, str(same))))
    assert sorted(r[0] for r in both) == [0, 2], both
    [refused] = [r[2] for r in both if r[0] == 2]
    assert len(refused.strip().splitlines()) == 1 and "is already attached here as" in refused
    # A file of one PC while the other prints the certificate, then the other way round
    # while the first edits the shared parts again.
    pdfs = [tmp_path / "printed-a.pdf", tmp_path / "printed-b.pdf"]
    again = _parts_file(tmp_path / "again.csv", SHARED, "B again")
    rounds = [
        _at_once((a, "eng", ("evidence", "attach", "JT-5401-220", "--kind", "photo",
                             str(own["a"]))),
                 (b, "insp", ("certificate", "print", number, "--out", str(pdfs[1])))),
        _at_once((a, "insp", ("certificate", "print", number, "--out", str(pdfs[0]))),
                 (b, "eng2", ("parts", "import", str(again)))),
        _at_once((a, "admin", ("verify",)), (b, "eng2", ("evidence", "attach", "JT-5401-220",
                                                         "--kind", "photo", str(own["b"])))),
        _at_once((a, "insp", ("certificate", "verify", str(pdfs[1]))),
                 (b, "insp", ("certificate", "verify", str(pdfs[0])))),
        _at_once((a, "admin", ("verify",)), (b, "admin", ("verify",))),
    ]
    assert all(r[0] == 0 for results in rounds for r in results), rounds
    assert all("is genuine" in r[1] for r in rounds[3])
    assert all("All checks passed" in r[1] for r in (rounds[2][0], *rounds[4]))

    ctx = open_pc(b)
    try:
        names = {PeopleService(ctx).sign_in(u, PASSWORD).user_id: u for u in ("eng", "eng2")}
        with ctx.db.reading() as conn:
            parts = dict(conn.execute(select(Part.part_number, Part.designation)).all())
            authors = Counter(names[author] for author in conn.execute(
                select(RevisionRow.author).join(Part, Part.id == RevisionRow.record_id)
                .where(Part.part_number.in_([f"CX-{n:04d}" for n in SHARED]))).scalars())
            files = conn.execute(select(func.count()).select_from(Attachment)).scalar()
        assert {f"CX-{n:04d}" for n in range(90)} <= set(parts)
        assert parts["CX-0010"] == "Traverse 10 (A)" and parts["CX-0080"] == "Traverse 80 (B)"
        assert parts["CX-0045"] == "Traverse 45 (B again)"
        # Every edit of a shared part is in its history, under the person who made it; one
        # database orders the edits, so none competes with another (no conflict to merge).
        assert authors == {"eng": len(SHARED), "eng2": 2 * len(SHARED)}
        assert ConflictService(ctx).list_conflicts(None) == []
        assert files == 3
    finally:
        ctx.close()


def test_an_edit_from_a_screen_opened_before_another_pcs_edit_is_told_to_reopen(plant) -> None:
    a, b, _ = plant
    first, second = open_pc(a), open_pc(b)
    try:
        eng = PeopleService(first).sign_in("eng", PASSWORD)
        eng2 = PeopleService(second).sign_in("eng2", PASSWORD)
        part = PartService(first).register_part(eng, PartDraft(
            part_number="CX-9000", revision="A", designation="Longeron", family="other"))
        seen = part.rev_id  # both PCs show the part
        PartService(second).edit_part(eng2, part.part_id, PartDraft(
            part_number="CX-9000", revision="A", designation="Longeron arrière",
            family="other"), expected_rev_id=seen)
        with pytest.raises(StaleEdit) as told:
            PartService(first).edit_part(eng, part.part_id, PartDraft(
                part_number="CX-9000", revision="A", designation="Longeron avant",
                family="other"), expected_rev_id=seen)
        assert f"was changed by {eng2.user_id} since you opened it; reopen it and retry" in \
            told.value.message()
        assert PartService(first).part(part.part_id).draft.designation == "Longeron arrière"
    finally:
        first.close()
        second.close()
