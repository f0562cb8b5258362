"""A package cut short at any byte offset is refused with one sentence, never half-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.sync.errors import PackageRejected
from desktop_app.sync.package import read_package
from tests.sync.sites import file_hash


def test_truncated_at_every_byte_offset(pair, outbox):
    a, b = pair
    sha = a.ctx.blobs.put_bytes(b"measurement sheet\n" * 40).sha256
    a.create({"title": "with a file", "blob_sha256": sha})
    package = a.export(outbox, to="BBB")
    data = package.read_bytes()
    assert read_package(package, b.keys.lookup).revisions  # whole: accepted
    cut = outbox / "cut.partdesk"
    for offset in range(len(data)):
        cut.write_bytes(data[:offset])
        with pytest.raises(PackageRejected):
            read_package(cut, b.keys.lookup)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_truncated_package_leaves_the_database_unchanged(pair, outbox, fraction):
    a, b = pair
    a.create({"title": "x"})
    data = a.export(outbox, to="BBB").read_bytes()
    cut = outbox / "cut.partdesk"
    cut.write_bytes(data[:int(len(data) * fraction)])
    before = file_hash(b.ctx)
    with pytest.raises(PackageRejected):
        b.sync.import_package(b.engineer, cut)
    assert file_hash(b.ctx) == before
    assert len(list(Path(b.ctx.folder.quarantine).glob("*.reason.json"))) == 1
