"""Kill the import process at random points: the package is wholly applied or not at all,
`partdesk verify` passes, and importing again completes it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.storage.models.core import RevisionRow
from desktop_app.sync.package import read_package
from tests.conftest import PASSWORD
from tests.sync.sites import make_sites

pytestmark = pytest.mark.slow


def _partdesk(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PARTDESK_PASSWORD": PASSWORD, "PARTDESK_USER": "eng"}
    return subprocess.Popen([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir),
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _present(folder: Path, rev_ids: set[str]) -> int:
    ctx = open_context(DataFolder(folder))
    try:
        with ctx.unit_of_work() as uow:
            return uow.session.execute(select(func.count()).select_from(RevisionRow).where(
                RevisionRow.rev_id.in_(rev_ids))).scalar_one()
    finally:
        ctx.close()


def test_import_killed_at_random_points(tmp_path):
    a, b = make_sites(tmp_path / "sites", "AAA", "BBB")
    with a.ctx.unit_of_work() as uow:
        for i in range(3000):
            uow.records.create("supplier", {"name": f"reading {i}", "notes": str(i)}, a.engineer,
                               "bulk")
    for i in range(20):
        sha = a.ctx.blobs.put_bytes(os.urandom(200_000)).sha256
        a.create({"title": f"attachment {i}", "blob_sha256": sha})
    package = a.export(tmp_path, to="BBB")
    rev_ids = {r.rev_id for r in read_package(package, b.keys.lookup).revisions}
    template = b.ctx.folder.root
    b.ctx.close()
    a.ctx.close()

    # How long a whole import takes here, to kill at points spread over it.
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    started = time.monotonic()
    assert _partdesk(probe, "import", str(package)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    assert _present(probe, rev_ids) == len(rev_ids)

    rng = random.Random(20261126)
    for attempt in range(6):
        folder = tmp_path / f"kill{attempt}"
        shutil.copytree(template, folder)
        process = _partdesk(folder, "import", str(package))
        time.sleep(rng.uniform(0.05, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        present = _present(folder, rev_ids)
        assert present in (0, len(rev_ids)), f"half applied: {present} of {len(rev_ids)}"
        ctx = open_context(DataFolder(folder))
        try:
            assert IntegrityService(ctx).verify() == []
        finally:
            ctx.close()
        verify = _partdesk(folder, "verify")
        assert verify.wait(timeout=120) == 0, verify.stderr.read() if verify.stderr else ""
        again = _partdesk(folder, "import", str(package))
        assert again.wait(timeout=300) == 0
        assert _present(folder, rev_ids) == len(rev_ids)
        assert not list((folder / "staging").glob("*"))  # a killed run's copy is cleared
