"""Every released schema opens in this release: the demo data folder each release made
(tests/fixtures/schemas, see make_fixture.py) migrates, keeps every row, signs in, verifies, and
its certificates still print and verify."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop_app.paths import DataFolder, migrations_dir
from desktop_app.services.certificates import CertificateService
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.storage import migrations

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "schemas").glob("*.zip"))


def _unpack(fixture: Path, tmp_path: Path) -> tuple[DataFolder, dict]:
    root = tmp_path / "data"
    with zipfile.ZipFile(fixture) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for name in zf.namelist():
            if name != "manifest.json":
                zf.extract(name, root)
    return DataFolder(root), manifest


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as conn:
        virtual = [v for (v,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if not any(n.startswith(f"{v}_") for v in virtual)]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_there_is_a_fixture_for_this_release() -> None:
    assert FIXTURES, "tests/fixtures/schemas holds no released data folder"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_a_released_data_folder_opens_migrated_with_every_row(fixture: Path, tmp_path) -> None:
    folder, manifest = _unpack(fixture, tmp_path)
    kept = {t for t in _counts(folder.database) if t != "alembic_version"}

    ctx = open_context(folder)
    try:
        assert migrations.current_heads(ctx.db) == migrations.script_heads(migrations_dir())
        assert IntegrityService(ctx).verify() == []
        actor = PeopleService(ctx).sign_in("n.mansouri", manifest["password"])
        parts = PartService(ctx)
        assert parts.find("JX7-2804011").draft.part_number == "JX7-2804011"
        certificates = CertificateService(ctx)
        listed = certificates.list_certificates(actor, 0, 100)
        assert len(listed) == manifest["row_counts"]["certificates"]
        printable = [c for c in listed if c.status.value in ("valid", "interim")]
        assert printable, "the demo holds certificates in force"
        pdf = tmp_path / "certificate.pdf"
        certificates.write_pdf(actor, printable[0].number, pdf)
        assert certificates.verify_certificate_pdf(pdf).valid
    finally:
        ctx.close()

    after = _counts(folder.database)
    for table in kept:
        if table != "alembic_version":
            assert after[table] >= manifest["row_counts"][table], table
