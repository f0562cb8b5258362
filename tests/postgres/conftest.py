"""A throwaway PostgreSQL server for the tests that prove the storage layer is portable.

It listens on a Unix socket in a temporary folder only (no TCP). `installer/system-deps.sh`
installs Debian's `postgresql` package; without its binaries these tests fail with the command
to run, rather than pass silently.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_names = itertools.count()


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        pytest.fail("PostgreSQL server binaries are missing: sudo apt-get install -y postgresql")
    return found[-1]


def _run(args: list[str], user: str | None) -> None:
    command = ["runuser", "-u", user, "--", *args] if user else args
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="partdesk-pg-"))
    user = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if user:
        shutil.chown(root, user)
        shutil.chown(sock, user)
    _run([_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8"], user)
    _run([_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o",
          f"-k {sock} -c listen_addresses='' -c fsync=off", "start"], user)
    try:
        yield str(sock)
    finally:
        _run([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new, empty database on the throwaway server."""
    import psycopg

    name = f"partdesk_{os.getpid()}_{next(_names)}"
    with psycopg.connect(f"host={pg_server} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={pg_server}"
