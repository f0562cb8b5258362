"""Opt-in pytest plugin: every revision any test writes, checked against the record schemas.

    pytest tests/services tests/cli tests/sync -p tests.schema_sweep

Each revision that reaches `RevisionStore.apply_many` (local writes and imports alike) goes
through `check_revision`; the refusals are summed up at the end of the run, by sentence, with
one test that wrote each. Nothing fails because of them: some tests write on purpose what the
app never writes (the stand-in record type "note" of the sync tests, short record ids in the
storage property tests), and this is a survey, not a rule.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.record_schemas import MAX_LAMPORT, check_revision
from desktop_app.storage import revisions as store

_found: Counter[str] = Counter()
_example: dict[str, str] = {}
_checked = [0]


@pytest.fixture(autouse=True)
def _check_every_revision(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    original = store.RevisionStore.apply_many

    def apply_many(self: Any, revisions: Any, *args: Any, **kwargs: Any) -> Any:
        revisions = list(revisions)
        for revision in revisions:
            _checked[0] += 1
            try:
                check_revision(revision, max_lamport=MAX_LAMPORT)
            except ValidationError as error:
                sentence = re.sub(r"record \S+:", "record …:", error.message(), count=1)
                _found[sentence] += 1
                _example.setdefault(sentence, request.node.nodeid)
        return original(self, revisions, *args, **kwargs)

    monkeypatch.setattr(store.RevisionStore, "apply_many", apply_many)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    write(f"schema sweep: {_checked[0]} revisions checked, {sum(_found.values())} refused")
    for sentence, count in _found.most_common():
        write(f"  {count:6d}  {sentence}  (e.g. {_example[sentence]})")
