"""A throwaway PostgreSQL server on a Unix socket in a temporary folder (no TCP), for the tests
and the benchmarks. `installer/system-deps.sh` installs Debian's `postgresql` package."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ServerMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise ServerMissing(
            "PostgreSQL server binaries are missing: sudo apt-get install -y postgresql")
    return found[-1]


def _run(args: list[str], user: str | None) -> None:
    command = ["runuser", "-u", user, "--", *args] if user else args
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server; yields the folder of its socket; stops and removes it after."""
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


def new_database(socket_dir: str, name: str) -> str:
    """A new, empty database on the server; its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(f"host={socket_dir} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={socket_dir}"
