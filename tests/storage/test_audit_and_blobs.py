from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import update

from desktop_app.domain.errors import StorageError, ValidationError
from desktop_app.services.context import ServiceContext
from desktop_app.storage.blobs import BlobStore
from desktop_app.storage.models.core import AuditEntry


def test_the_audit_chain_verifies_and_detects_an_altered_entry(ctx: ServiceContext) -> None:
    with ctx.unit_of_work() as uow:
        uow.audit.record("someone", "export", "package-1", {"count": 3})
        assert uow.audit.verify() == []
    with ctx.unit_of_work() as uow:
        uow.session.execute(
            update(AuditEntry).where(AuditEntry.action == "export").values(details='{"count":4}')
        )
    with ctx.unit_of_work() as uow:
        problems = uow.audit.verify()
    assert problems and "altered" in problems[0]


def test_the_same_bytes_are_stored_once(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    first = store.put_bytes(b"material certificate 3.1")
    second = store.put_bytes(b"material certificate 3.1")
    assert first.sha256 == second.sha256 and second.already_present
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [store.path(first.sha256)]


def test_a_file_over_the_limit_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    store.ensure()
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF" + os.urandom(4096))
    with pytest.raises(ValidationError, match="above the limit"):
        store.put_file(big, max_size=1024)
    # A stream that grows past the limit while it is read (its announced size lied).
    with pytest.raises(ValidationError, match="larger than the limit"), open(big, "rb") as fh:
        store.put_stream(fh, total=10, max_size=1024, name="scan.pdf")
    assert list(store.all_hashes()) == []
    assert not any((tmp_path / "blobs" / "tmp").iterdir())


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot be read"):
        BlobStore(tmp_path / "blobs").put_file(tmp_path / "vanished.pdf")


def test_an_altered_blob_is_detected(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    sha = store.put_bytes(b"readings").sha256
    assert store.verify(sha) is None
    store.path(sha).write_bytes(b"readingz")
    assert store.verify(sha) == "altered"


def test_storing_the_original_bytes_again_repairs_an_altered_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    sha = store.put_bytes(b"readings").sha256
    store.path(sha).write_bytes(b"readingz")  # same size, other bytes
    again = store.put_bytes(b"readings")
    assert not again.already_present
    assert store.verify(sha) is None and store.path(sha).read_bytes() == b"readings"
