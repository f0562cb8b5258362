"""Attached files: type by content, size limit, stored once, safe copies out, integrity, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import StorageError, ValidationError
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from tests.conftest import PASSWORD
from tests.services.evidence_fixtures import register_part

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def blob_files(ctx) -> list[Path]:
    root = ctx.folder.blobs
    return [p for p in root.glob("??/*") if p.is_file()] if root.is_dir() else []


@pytest.fixture
def part_id(ctx, actors) -> str:
    return register_part(ctx, actors["eng"])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_attach_keeps_the_original_name_as_data_and_the_hash(ctx, actors, part_id, tmp_path):
    service = AttachmentService(ctx)
    info = service.attach_file(actors["insp"], part_id, write(tmp_path, "rapport.pdf", PDF_BYTES),
                               "test_report")
    assert info.content_type == "application/pdf" and info.original_name == "rapport.pdf"
    assert ctx.blobs.path(info.blob_sha256).read_bytes() == PDF_BYTES
    assert [a.attachment_id for a in service_list(ctx, part_id)] == [info.attachment_id]
    assert IntegrityService(ctx).verify() == []


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(ctx, actors, part_id, tmp_path):
    exe = write(tmp_path, "certificat.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="not an allowed file type.*a Windows program"):
        AttachmentService(ctx).attach_file(actors["insp"], part_id, exe, "material_cert_3.1")
    zipped = write(tmp_path, "drawing.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="ZIP archive"):
        AttachmentService(ctx).attach_file(actors["insp"], part_id, zipped, "drawing")
    assert blob_files(ctx) == []


def test_a_file_over_the_limit_is_refused(ctx, actors, part_id, tmp_path):
    big = write(tmp_path, "scan.pdf", PDF_BYTES + b"0" * 2_000_000)
    with pytest.raises(ValidationError, match=r"scan.pdf is 2.0 MB, above the limit of 1 MB"):
        AttachmentService(ctx).attach_file(actors["insp"], part_id, big, "other", limit_mb=1)
    assert blob_files(ctx) == []


def test_a_missing_file_and_a_file_that_vanishes_while_attached(ctx, actors, part_id, tmp_path):
    service = AttachmentService(ctx)
    with pytest.raises(StorageError, match="cannot be read"):
        service.attach_file(actors["insp"], part_id, tmp_path / "gone.pdf", "other")
    path = write(tmp_path, "photo.png", PNG_BYTES + os.urandom(3_000_000))

    def vanish(done: int, total: int, message: str) -> None:
        path.unlink(missing_ok=True)

    with pytest.raises(StorageError, match="disappeared while it was being attached"):
        service.attach_file(actors["insp"], part_id, path, "photo", progress=vanish)
    assert blob_files(ctx) == []
    assert service_list(ctx, part_id) == []


def test_a_file_that_shrinks_while_attached_is_refused(ctx, actors, part_id, tmp_path):
    path = write(tmp_path, "export.csv", b"a;b\n" + b"1;2\n" * 800_000)

    def truncate(done: int, total: int, message: str) -> None:
        with open(path, "r+b") as fh:
            fh.truncate(1_500_000)

    with pytest.raises(StorageError, match="changed or disappeared"):
        AttachmentService(ctx).attach_file(actors["insp"], part_id, path, "other",
                                           progress=truncate)
    assert blob_files(ctx) == []


def service_list(ctx, part_id):
    from desktop_app.services.evidence_queries import EvidenceQueries

    return EvidenceQueries(ctx).attachments(part_id)


def test_the_same_file_twice_is_refused_with_a_sentence(ctx, actors, part_id, tmp_path):
    service = AttachmentService(ctx)
    first = write(tmp_path, "a.pdf", PDF_BYTES)
    service.attach_file(actors["insp"], part_id, first, "test_report")
    copy = write(tmp_path, "copy of a.pdf", PDF_BYTES)
    with pytest.raises(ValidationError, match="already attached here as a.pdf"):
        service.attach_file(actors["insp"], part_id, copy, "test_report")
    assert len(blob_files(ctx)) == 1 and len(service_list(ctx, part_id)) == 1


@given(st.binary(min_size=1, max_size=2000), st.integers(min_value=1, max_value=5))
def test_attaching_the_same_bytes_k_times_stores_one_file(ctx, actors, tmp_path, data, k):
    eng = actors["eng"]
    folder = tmp_path / os.urandom(4).hex()
    folder.mkdir()
    before = set(blob_files(ctx))
    payload = b"%PDF-1.7\n" + data
    for i in range(k):
        part = register_part(ctx, eng, f"PX-{os.urandom(4).hex()}")
        path = write(folder, f"copy-{i}.pdf", payload)
        AttachmentService(ctx).attach_file(actors["insp"], part, path, "test_report")
    assert len(set(blob_files(ctx)) - before) <= 1
    import hashlib

    assert ctx.blobs.exists(hashlib.sha256(payload).hexdigest())


def test_save_a_copy_under_a_safe_name_never_the_stored_name(ctx, actors, part_id, tmp_path):
    service = AttachmentService(ctx)
    info = service.attach_file(actors["insp"], part_id,
                               write(tmp_path, "CON.pdf", PDF_BYTES), "test_report")
    out = tmp_path / "out"
    first = service.save_copy_to_folder(info.attachment_id, out)
    second = service.save_copy_to_folder(info.attachment_id, out)
    assert first.name == "_CON.pdf" and second.name == "_CON (2).pdf"
    assert first.read_bytes() == PDF_BYTES
    from desktop_app.files.safe_names import safe_file_name

    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("..\\..\\boot.ini", ".txt") == "boot.ini.txt"
    assert safe_file_name("résultat: 3/4?.pdf", ".pdf") == "4_.pdf"
    assert safe_file_name("", ".png") == "attachment.png"
    assert safe_file_name("rapport", ".pdf") == "rapport.pdf"


def test_a_blob_altered_on_disk_is_reported_by_verify_and_never_handed_out(
        ctx, actors, part_id, tmp_path):
    service = AttachmentService(ctx)
    info = service.attach_file(actors["insp"], part_id,
                               write(tmp_path, "photo.png", PNG_BYTES), "photo")
    assert IntegrityService(ctx).verify() == []
    blob = ctx.blobs.path(info.blob_sha256)
    blob.chmod(0o644)
    blob.write_bytes(PNG_BYTES + b"tampered")
    problems = IntegrityService(ctx).verify()
    assert any(info.blob_sha256[:12] in p and "altered" in p for p in problems)
    with pytest.raises(StorageError, match="altered"):
        service.save_copy_to_folder(info.attachment_id, tmp_path / "out")
    with pytest.raises(StorageError, match="altered"):
        service.read_verified(info.attachment_id)
    assert not list((tmp_path / "out").glob("*"))
    blob.unlink()
    assert any("missing" in p for p in IntegrityService(ctx).verify())


CRASH_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from desktop_app.paths import DataFolder
    from desktop_app.services.attachments import AttachmentService
    from desktop_app.services.context import open_context
    from desktop_app.services.people import PeopleService

    ctx = open_context(DataFolder(Path(sys.argv[1])))
    actor = PeopleService(ctx).sign_in("insp", sys.argv[4])

    def slow(done, total, message):
        if done >= 2_000_000:
            print("copying", flush=True)
            time.sleep(0.05)

    AttachmentService(ctx).attach_file(actor, sys.argv[2], Path(sys.argv[3]), "other",
                                       progress=slow)
    print("finished", flush=True)
""")


@pytest.mark.slow
def test_a_crash_while_attaching_a_large_file_leaves_no_partial_blob_and_no_reference(
        ctx, actors, part_id, tmp_path, data_folder):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.write(b"x;y\n")
        for _ in range(40):
            fh.write(b"1.0;2.0\n" * 131072)
    ctx.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT, str(data_folder.root), part_id,
                             str(big), PASSWORD], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == b"copying"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    leftovers = list((data_folder.blobs / "tmp").iterdir())
    assert leftovers  # the kill really interrupted a copy
    reopened = open_context(data_folder)
    try:
        assert list((data_folder.blobs / "tmp").iterdir()) == []
        assert [p for p in data_folder.blobs.glob("??/*")] == []
        assert service_list(reopened, part_id) == []
        assert IntegrityService(reopened).verify() == []
    finally:
        reopened.close()
