"""A plant on two PCs sharing one PostgreSQL database, set up with `plant init` and `plant join`:
the files attached on one PC are read and verified on the other, a certificate printed on the
second PC is signed with the plant's one key, and a PC that is not enrolled is told how to join."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import PermissionDenied
from desktop_app.paths import DataFolder
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.context import open_context
from desktop_app.storage.blobs import ServerBlobStore
from desktop_app.storage.models.plant import PlantBlob, PlantBlobChunk, PlantInvite, PlantPc
from tests.conftest import PASSWORD
from tests.postgres.plant_pcs import SITE_CODE, cli, invite, join, open_pc, people, plant_init
from tests.services.certification_fixtures import Services, approved, make_part

PDF = b"%PDF-1.4\n% material certificate EN 10204 3.1, heat 48213\n" + bytes(range(256)) * 40


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    return monkeypatch


@pytest.fixture
def plant(pg_url: str, tmp_path: Path, env, capsys):
    """PC A set up with `plant init`, PC B joined with a code A's administrator printed."""
    a, b = tmp_path / "pc-a", tmp_path / "pc-b"
    assert plant_init(a, pg_url) == 0
    assert f"Plant {SITE_CODE} (Usine de Rouiba) is set up" in capsys.readouterr().out
    code = invite(a, capsys)
    assert join(b, pg_url, code) == 0
    assert f"This PC is enrolled in plant {SITE_CODE}" in capsys.readouterr().out
    return a, b


def test_each_pc_keeps_a_small_cache_folder_and_no_copy_of_the_key(plant, pg_url) -> None:
    for pc in plant:
        folder = DataFolder(pc)
        assert not folder.database.exists() and not folder.signing_key.exists()
        assert not folder.blobs.exists() or not any(folder.blobs.glob("??/*"))
        for secret in (folder.plant_config, folder.plant_pc_key):
            assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert json.loads(folder.plant_config.read_text())["database_url"] == pg_url
        assert b"PRIVATE KEY" not in folder.plant_pc_key.read_bytes()
    ctx = open_pc(plant[0])
    try:
        with ctx.db.reading() as conn:
            pcs = conn.execute(select(PlantPc.wrapped_key, PlantPc.removed_at)).all()
            spent = conn.execute(select(PlantInvite.used_at, PlantInvite.wrapped_key)).all()
        assert len(pcs) == 2 and all(len(w) == 12 + 32 + 16 and not r for w, r in pcs)
        assert len(spent) == 1 and spent[0][0] and spent[0][1] == b""  # the code is spent
    finally:
        ctx.close()


def test_a_file_attached_on_one_pc_is_verified_and_opened_on_the_other(plant, tmp_path,
                                                                         capsys) -> None:
    a, b = plant
    ctx = open_pc(a)
    try:
        actors = people(ctx)
        svc = Services(ctx)
        part = make_part(svc, actors)
        source = tmp_path / "3.1 certificate.pdf"
        source.write_bytes(PDF * 30)  # about 300 kB: several chunks of the store
        info = AttachmentService(ctx).attach_file(actors["eng"], part["part_id"], source,
                                                  "material_cert_3.1")
        assert isinstance(ctx.blobs, ServerBlobStore)
    finally:
        ctx.close()
    capsys.readouterr()
    assert cli(b, "verify") == 0, capsys.readouterr().err
    assert "All checks passed" in capsys.readouterr().out
    out = tmp_path / "opened-on-b"
    assert cli(b, "evidence", "save", info.attachment_id, "--out", str(out), user="insp") == 0
    [saved] = out.iterdir()
    assert saved.read_bytes() == source.read_bytes()
    assert cli(a, "verify") == 0


def test_bytes_altered_in_the_database_are_named_by_verify_and_never_handed_out(
        plant, tmp_path, capsys) -> None:
    a, b = plant
    ctx = open_pc(a)
    try:
        actors = people(ctx)
        part = make_part(Services(ctx), actors)
        source = tmp_path / "drawing.pdf"
        source.write_bytes(PDF)
        info = AttachmentService(ctx).attach_file(actors["eng"], part["part_id"], source,
                                                  "drawing")
        with ctx.db.engine.begin() as conn:  # someone with the database's password
            conn.execute(PlantBlobChunk.__table__.update().where(
                PlantBlobChunk.sha256 == info.blob_sha256).values(data=b"%PDF-1.4 forged"))
    finally:
        ctx.close()
    capsys.readouterr()
    assert cli(b, "verify") == 1
    assert f"file {info.blob_sha256[:12]}: bytes do not match the hash (altered)" in \
        capsys.readouterr().err
    assert cli(b, "evidence", "save", info.attachment_id, "--out", str(tmp_path / "o"),
               user="insp") == 7
    assert "is altered" in capsys.readouterr().err
    # Attaching the original again, from the other PC, repairs the store.
    ctx = open_pc(b)
    try:
        from desktop_app.services.attachments import AttachmentService as Attachments

        eng = people_signed_in(ctx, "eng")
        with pytest.raises(Exception, match="already attached"):
            Attachments(ctx).attach_file(eng, part["part_id"], source, "drawing")
        assert ctx.blobs.verify(info.blob_sha256) is None
    finally:
        ctx.close()
    assert cli(b, "verify") == 0


def people_signed_in(ctx, username: str):
    from desktop_app.services.people import PeopleService

    return PeopleService(ctx).sign_in(username, PASSWORD)


def test_a_certificate_printed_on_the_second_pc_verifies_with_the_plants_one_key(
        plant, tmp_path, capsys) -> None:
    a, b = plant
    ctx = open_pc(a)
    try:
        actors = people(ctx)
        svc = Services(ctx)
        sid = approved(svc, actors, make_part(svc, actors), PASSWORD)
        number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    finally:
        ctx.close()
    pdf = tmp_path / "printed-on-b.pdf"
    capsys.readouterr()
    assert cli(b, "certificate", "print", number, "--out", str(pdf), user="insp") == 0, \
        capsys.readouterr().err
    assert cli(a, "certificate", "verify", str(pdf), user="insp") == 0
    assert f"Certificate {number} is genuine" in capsys.readouterr().out
    # A carmaker that enrolled the plant's public key (written on PC A) checks it offline.
    key_file = tmp_path / "plant.key"
    assert cli(a, "sites", "key", "--out", str(key_file), "--json", user="admin") == 0
    fp = json.loads(capsys.readouterr().out)["fingerprint"]
    carmaker = tmp_path / "carmaker"
    assert cli(carmaker, "init", "--site-code", "JTR", "--site-name", "Jetour Algérie",
               "--site-kind", "carmaker", "--admin", "admin") == 0
    assert cli(carmaker, "sites", "enrol", str(key_file), "--fingerprint", fp,
               user="admin") == 0
    capsys.readouterr()
    assert cli(carmaker, "certificate", "verify", str(pdf), user="admin") == 10
    assert f"Certificate {number} is genuine: signed by site {SITE_CODE}" in \
        capsys.readouterr().out


def test_a_pc_that_is_not_enrolled_is_told_how_to_join(plant, pg_url, tmp_path,
                                                      capsys) -> None:
    stranger = tmp_path / "pc-c"
    capsys.readouterr()
    assert cli(stranger, "--database-url", pg_url, "parts", "list", user="eng") == 4
    [sentence] = capsys.readouterr().err.strip().splitlines()
    assert sentence.startswith("This PC is not enrolled in the plant whose database is")
    assert "partdesk plant join --database-url URL --code CODE" in sentence
    ctx = open_context(DataFolder(stranger), database_url=pg_url)
    try:
        with pytest.raises(PermissionDenied):
            ctx.signing_key()
    finally:
        ctx.close()


@pytest.mark.parametrize("case", ["typo", "used", "expired", "not a code", "no url"])
def test_a_join_code_that_cannot_be_used_is_one_sentence_and_enrols_nothing(
        plant, pg_url, tmp_path, capsys, case) -> None:
    a, _ = plant
    c = tmp_path / "pc-c"
    code = invite(a, capsys)
    if case == "typo":
        code = code[:-1] + ("0" if code[-1] != "0" else "1")
    elif case == "used":
        assert join(tmp_path / "pc-d", pg_url, code) == 0
    elif case == "expired":
        ctx = open_pc(a)
        with ctx.db.engine.begin() as conn:
            conn.execute(PlantInvite.__table__.update().values(expires_at="2020-01-01T00:00:00Z"))
        ctx.close()
    elif case == "not a code":
        code = "let me in"
    capsys.readouterr()
    status = (cli(c, "plant", "join", "--code", code) if case == "no url"
              else join(c, pg_url, code))
    assert status == 2
    [sentence] = capsys.readouterr().err.strip().splitlines()
    expected = {"typo": "This join code does not open the plant's key",
                "used": "This join code was already used on",
                "expired": "This join code expired on 2020-01-01",
                "not a code": "This is not a join code",
                "no url": "A plant shares one PostgreSQL database"}[case]
    assert sentence.startswith(expected), sentence
    assert not DataFolder(c).plant_pc_key.exists() and not DataFolder(c).plant_config.exists()


def test_a_removed_pc_signs_nothing_more(plant, tmp_path, capsys) -> None:
    a, b = plant
    capsys.readouterr()
    assert cli(b, "plant", "status", "--json", user="admin") == 0
    status = json.loads(capsys.readouterr().out)
    [pc_b] = [pc for pc in status["pcs"] if pc["this_pc"]]
    assert len(status["pcs"]) == 2 and status["pc_id"] == pc_b["pc_id"]
    assert cli(a, "plant", "remove", pc_b["pc_id"][-8:], user="admin") == 0
    capsys.readouterr()
    assert cli(b, "parts", "list", user="eng") == 4
    assert "This PC was removed from the plant on" in capsys.readouterr().err
    assert cli(a, "verify") == 0


def test_the_same_bytes_stored_from_two_pcs_are_kept_once(plant) -> None:
    first, second = open_pc(plant[0]), open_pc(plant[1])
    try:
        one = first.blobs.put_bytes(b"readings 12.01 12.02 11.99\n" * 100_000)
        two = second.blobs.put_bytes(b"readings 12.01 12.02 11.99\n" * 100_000)
        assert one.sha256 == two.sha256 and not one.already_present and two.already_present
        with second.blobs.open(one.sha256) as fh:
            assert fh.read() == b"readings 12.01 12.02 11.99\n" * 100_000
        with first.db.reading() as conn:
            assert conn.execute(select(PlantBlob.chunks)).scalars().all() == [3]
        assert list(second.blobs.all_hashes()) == [one.sha256]
    finally:
        first.close()
        second.close()


def test_a_server_out_of_reach_is_named_as_such_never_as_damage(plant, pg_url, tmp_path,
                                                                capsys) -> None:
    a, _ = plant
    gone = pg_url.replace("host=", f"host={tmp_path}/no-server-here")
    wrong = pg_url.replace("/partdesk_", "/no_such_database_", 1)
    capsys.readouterr()
    for url, expected in ((gone, "cannot be reached"), (wrong, "does not exist")):
        assert cli(tmp_path / "pc-x", "--database-url", url, "verify") == 7
        [sentence] = capsys.readouterr().err.strip().splitlines()
        assert expected in sentence and "damaged" not in sentence, sentence


@pytest.mark.parametrize("tampering", ["copy moved", "public key swapped", "key removed"])
def test_someone_with_the_database_password_cannot_make_a_pc_sign_with_another_key(
        plant, tmp_path, capsys, tampering) -> None:
    """The database's password is on every PC (plant.json): tampering with the key rows makes
    a PC refuse to sign, in one sentence; it never signs with another key, nor writes unsealed."""
    from desktop_app.domain.keys import generate_private_key, public_key_hex
    from desktop_app.storage.models.core import AuditEntry
    from desktop_app.storage.models.plant import PlantSiteKey

    a, b = plant
    ctx = open_pc(b)
    try:
        mine = ctx.signing_key()
        with ctx.db.engine.begin() as conn:
            if tampering == "copy moved":  # A's copy put in B's row
                b_id = json.loads(DataFolder(b).plant_pc_key.read_text())["pc_id"]
                a_copy = conn.execute(select(PlantPc.wrapped_key).where(
                    PlantPc.pc_id != b_id)).scalar_one()
                conn.execute(PlantPc.__table__.update().where(PlantPc.pc_id == b_id)
                             .values(wrapped_key=a_copy))
            elif tampering == "public key swapped":
                conn.execute(PlantSiteKey.__table__.update().values(
                    public_key=public_key_hex(generate_private_key())))
            else:
                conn.execute(PlantSiteKey.__table__.delete())
            before = conn.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())
                                  ).scalars().first()
    finally:
        ctx.close()
    capsys.readouterr()
    assert cli(b, "parts", "list", user="eng") == 7
    [sentence] = capsys.readouterr().err.strip().splitlines()
    expected = ("is missing from the database" if tampering == "key removed"
                else "does not open the plant's site key")
    assert expected in sentence, sentence
    ctx = open_pc(b)
    try:
        with ctx.db.reading() as conn:
            after = conn.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())
                                 ).scalars().first()
        assert after == before  # not even the failed sign-in was written unsealed
        assert mine is not None
    finally:
        ctx.close()
