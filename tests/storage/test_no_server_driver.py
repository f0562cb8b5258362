"""A build without the PostgreSQL driver (the standard installer leaves it out) given a plant's
database address says so in one sentence, instead of an unexpected error."""

from __future__ import annotations

import sys

import pytest

from desktop_app.domain.errors import StorageError
from desktop_app.storage.database import open_database


def test_a_server_address_without_its_driver_is_one_sentence(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a build without it
    with pytest.raises(StorageError) as refused:
        open_database("postgresql+psycopg://partdesk@plant-db/partdesk")
    assert refused.value.message() == (
        "This PartDesk has no driver for the database postgresql+psycopg (psycopg is missing); "
        "install the plant build, which has the PostgreSQL driver.")
