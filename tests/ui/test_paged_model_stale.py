"""Typing a search while an older one waits runs only the newest: stale searches are dropped
before they run, never waited for, and the rows shown are the newest search's."""

from __future__ import annotations

import threading

from desktop_app.ui.app_events import AppEvents
from desktop_app.ui.models.paged_table_model import Column, PagedTableModel
from desktop_app.ui.tasks import TaskRunner


def test_only_the_newest_of_several_waiting_searches_runs(qtbot) -> None:
    tasks = TaskRunner(AppEvents())
    try:
        model = PagedTableModel([Column("n", lambda: "N", lambda row: row)], tasks)
        gate, ran = threading.Event(), []
        tasks.submit(gate.wait)  # the worker is busy with something else meanwhile

        def search(text: str):
            def fetch(offset, limit, sort_key, descending):
                ran.append(text)
                return [f"{text}-{i}" for i in range(3)], 3
            return fetch

        for typed in ("j", "jx", "jx3", "jx3-0"):
            model.set_fetch(search(typed))
        gate.set()
        qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 3, timeout=5000)
        assert ran == ["jx3-0"]
        assert model.data(model.index(0, 0)) == "jx3-0-0"
    finally:
        tasks.shutdown()
