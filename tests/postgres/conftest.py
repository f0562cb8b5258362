"""A throwaway PostgreSQL server for the tests that prove the storage layer is portable.

It listens on a Unix socket in a temporary folder only (no TCP). `installer/system-deps.sh`
installs Debian's `postgresql` package; without its binaries these tests fail with the command
to run, rather than pass silently.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.postgres.server import ServerMissing, new_database, throwaway_server

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    try:
        with throwaway_server() as socket_dir:
            yield socket_dir
    except ServerMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new, empty database on the throwaway server."""
    return new_database(pg_server, f"partdesk_{os.getpid()}_{next(_names)}")
