"""One read of the file for the preview and the apply, a plan guarded by the file's hash and the
stored revisions, and memory that stays flat however many rows the file has."""

from __future__ import annotations

import contextlib
import tracemalloc
from pathlib import Path

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import PartDraft, SupplierDraft
from desktop_app.files import tables
from desktop_app.services import parts_import
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService, PlanOutdated, RowStatus
from desktop_app.services.suppliers import SupplierService


@pytest.fixture
def setup(ctx, actors):
    eng = actors["eng"]
    SupplierService(ctx).add_supplier(eng, SupplierDraft(name="SNS Rouiba", code="SNS"))
    return PartsImportService(ctx), eng


@pytest.fixture
def passes(monkeypatch):
    """Every pass the import makes over a file: (file name, rows read)."""
    made: list[list] = []

    @contextlib.contextmanager
    def counting(path, progress=None, cancelled=None, **choice):
        with tables.open_table(path, progress, cancelled, **choice) as stream:
            record = [Path(path).name, 0]
            made.append(record)
            rows = stream.rows

            def counted():
                for row in rows():
                    record[1] += 1
                    yield row

            stream.rows = counted  # type: ignore[method-assign]
            yield stream

    monkeypatch.setattr(parts_import, "open_table", counting)
    return made


def sheet(path: Path, count: int, designation: str = "Pièce") -> Path:
    path.write_text("Référence;Indice;Désignation;Fournisseur\n" + "".join(
        f"P-{i:05d};A;{designation} {i};SNS\n" for i in range(count)), encoding="utf-8")
    return path


def test_preview_then_apply_reads_the_file_once(setup, tmp_path, passes) -> None:
    service, eng = setup
    path = sheet(tmp_path / "parts.csv", 12_000)
    preview = service.preview(eng, path)
    assert preview.count(RowStatus.NEW) == 12_000 and preview.can_apply
    assert preview.rows[11_999].part_number == "P-11999"  # read back from the plan on disk
    result = service.apply(eng, preview)
    assert result.created == 12_000
    assert passes == [["parts.csv", 12_000]]  # one pass, every row read once
    assert PartService(service._ctx).page(PartQuery()).total == 12_000
    assert len(list(service._ctx.folder.staging.glob("parts-plan-*"))) == 1
    preview.discard()
    assert not list(service._ctx.folder.staging.glob("parts-plan-*"))  # the plan's file went


def test_the_cli_reads_the_file_once(ctx, actors, tmp_path, passes, monkeypatch,
                                     capsys) -> None:
    from desktop_app.cli import main
    from tests.conftest import PASSWORD

    SupplierService(ctx).add_supplier(actors["eng"], SupplierDraft(name="SNS", code="SNS"))
    path = sheet(tmp_path / "parts.csv", 300)
    data_dir = str(ctx.folder.root)
    ctx.close()
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    code = main(["--data-dir", data_dir, "--user", "eng", "parts", "import", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "Imported: 300 new" in out
    assert passes == [["parts.csv", 300]]


def test_a_file_changed_since_the_preview_is_read_again(setup, tmp_path) -> None:
    service, eng = setup
    path = sheet(tmp_path / "parts.csv", 50)
    preview = service.preview(eng, path)
    sheet(path, 50, designation="Patte")  # same rows, other designations: other bytes
    with pytest.raises(PlanOutdated) as err:
        service.apply(eng, preview)
    assert str(err.value) == ("The file parts.csv changed since it was checked; it is read and "
                              "checked again.")
    assert PartService(service._ctx).page(PartQuery()).total == 0
    again = service.preview(eng, path)
    assert service.apply(eng, again).created == 50
    assert PartService(service._ctx).find("P-00007").draft.designation == "Patte 7"


def test_parts_changed_since_the_preview_make_it_checked_again(setup, tmp_path) -> None:
    service, eng = setup
    path = sheet(tmp_path / "parts.csv", 20)
    preview = service.preview(eng, path)
    PartService(service._ctx).register_part(eng, PartDraft(part_number="P-00003", revision="A",
                                                           designation="Déjà là"))
    with pytest.raises(PlanOutdated, match="Parts were changed since parts.csv was checked"):
        service.apply(eng, preview)
    again = service.preview(eng, path)
    assert again.rows[3].status == RowStatus.CHANGED
    assert service.apply(eng, again).created == 19


def test_a_preview_with_errors_writes_nothing(setup, tmp_path) -> None:
    service, eng = setup
    path = sheet(tmp_path / "parts.csv", 7_000)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("P-00002;A;Doublon;SNS\n")  # row 7002, in the second block
    preview = service.preview(eng, path)
    assert [r.number for r in preview.errors] == [7002]
    assert "appears twice in the file (also row 4)" in preview.errors[0].message
    with pytest.raises(ValidationError, match="Row 7002"):
        service.apply(eng, preview)
    assert PartService(service._ctx).page(PartQuery()).total == 0


@pytest.mark.slow
def test_memory_stays_flat_on_a_200000_row_file(setup, tmp_path) -> None:
    """Python memory at its peak while 200,000 rows are read and checked: a block of rows,
    not the file (holding every row and plan row took well over 150 MB)."""
    service, eng = setup
    path = sheet(tmp_path / "huge.csv", 200_000)
    tracemalloc.start()
    try:
        preview = service.preview(eng, path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert preview.count(RowStatus.NEW) == 200_000
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
    preview.discard()
