"""`partdesk init`, `verify`, `backup`, `restore` and `people` through the real entry point."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.storage.lock import DataFolderLock
from tests.conftest import PASSWORD


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    return monkeypatch


def init(folder: Path) -> int:
    return main(
        [
            "--data-dir",
            str(folder),
            "init",
            "--site-code",
            "MSR",
            "--site-name",
            "Massar Rouiba",
            "--admin",
            "admin",
            "--admin-name",
            "Ada Admin",
        ]
    )


def test_init_then_verify_succeeds(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    assert "Site MSR (Massar Rouiba) is set up" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) == 0
    assert "All checks passed" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "d"), "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": []}


def test_init_twice_is_refused(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    assert init(tmp_path / "d") != 0
    assert "already belongs to site MSR" in capsys.readouterr().err


def flip(path: Path, offset: int, count: int = 8) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_flipped_bytes_in_stored_content_fail_verify(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    db = tmp_path / "d" / "partdesk.sqlite3"
    flip(db, db.read_bytes().index(b"Massar Rouiba") + 2, 4)
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) == 1
    err = capsys.readouterr().err
    assert "revisions: The database file" in err and "is damaged" in err


def test_flipped_bytes_in_the_btree_fail_verify(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    db = tmp_path / "d" / "partdesk.sqlite3"
    page_size = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    flip(db, 2 * page_size, 12)  # the header of the third page
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) != 0
    assert capsys.readouterr().err.strip()


def test_a_data_folder_that_cannot_be_written_is_one_sentence(tmp_path: Path, env, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert init(blocker / "data") != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("The data folder") and "cannot be written" in err
    assert len(err.splitlines()) == 1


def test_a_second_process_on_the_same_folder_stops(tmp_path: Path, env, capsys) -> None:
    folder = tmp_path / "d"
    assert init(folder) == 0
    with DataFolderLock(folder):
        assert main(["--data-dir", str(folder), "--user", "admin", "backup"]) != 0
    assert "already open on the data folder" in capsys.readouterr().err


def test_commands_obey_roles(tmp_path: Path, env, capsys) -> None:
    folder = str(tmp_path / "d")
    assert init(tmp_path / "d") == 0
    env.setenv("PARTDESK_NEW_PASSWORD", PASSWORD)
    assert (
        main(
            [
                "--data-dir",
                folder,
                "--user",
                "admin",
                "people",
                "add",
                "eng1",
                "--name",
                "Eng One",
                "--role",
                "engineer",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                "--data-dir",
                folder,
                "--user",
                "eng1",
                "people",
                "add",
                "eng2",
                "--name",
                "Eng Two",
                "--role",
                "engineer",
            ]
        )
        == 4
    )
    assert capsys.readouterr().err.strip() == "eng1 (engineer) is not allowed to manage people."
    assert main(["--data-dir", folder, "--user", "admin", "people", "list", "--json"]) == 0
    names = [p["username"] for p in json.loads(capsys.readouterr().out)]
    assert names == ["admin", "eng1"]


def test_a_wrong_password_is_one_sentence_and_changes_nothing(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    env.setenv("PARTDESK_PASSWORD", "wrong-password")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "--user", "admin", "backup"]) == 5
    assert capsys.readouterr().err.strip() == "The user name or password is wrong."
    assert not (tmp_path / "d" / "backups").exists()


def test_backup_and_restore_round_trip(tmp_path: Path, env, capsys) -> None:
    folder = str(tmp_path / "d")
    assert init(tmp_path / "d") == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "admin", "--json", "backup"]) == 0
    backup = Path(json.loads(capsys.readouterr().out)["path"])
    env.setenv("PARTDESK_NEW_PASSWORD", PASSWORD)
    assert (
        main(
            [
                "--data-dir",
                folder,
                "--user",
                "admin",
                "people",
                "add",
                "later",
                "--name",
                "Added Later",
                "--role",
                "engineer",
            ]
        )
        == 0
    )
    assert main(["--data-dir", folder, "--user", "admin", "restore", str(backup)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "--user", "admin", "people", "list", "--json"]) == 0
    assert [p["username"] for p in json.loads(capsys.readouterr().out)] == ["admin"]
    assert main(["--data-dir", folder, "verify"]) == 0


def test_restoring_something_that_is_not_a_backup_is_refused(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    fake = tmp_path / "backup.sqlite3"
    fake.write_bytes(b"PK\x03\x04 not a database")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "--user", "admin", "restore", str(fake)]) != 0
    assert "is not a PartDesk backup" in capsys.readouterr().err


def test_french_messages_on_the_command_line(tmp_path: Path, env, capsys) -> None:
    assert init(tmp_path / "d") == 0
    env.setenv("PARTDESK_PASSWORD", "wrong-password")
    capsys.readouterr()
    assert (
        main(["--data-dir", str(tmp_path / "d"), "--lang", "fr", "--user", "admin", "backup"]) == 5
    )
    err = capsys.readouterr().err.strip()
    assert err and err != "The user name or password is wrong."


def test_an_edited_value_in_the_file_is_caught_by_its_revision_hash(
    tmp_path: Path, env, capsys
) -> None:
    assert init(tmp_path / "d") == 0
    db = tmp_path / "d" / "partdesk.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data.replace(b"Massar Rouiba", b"Massar Oran!!", 1))
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) == 1
    assert "content does not match its id (altered)" in capsys.readouterr().err


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path, env) -> None:
    import subprocess
    import sys

    assert init(tmp_path / "d") == 0
    # The reader closes its end before PartDesk writes (as `| head` does on long output).
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path / "d"), "--user",
         "admin", "people", "list"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Unexpected error" not in err and "BrokenPipe" not in err


def test_a_revision_row_removed_or_added_outside_partdesk_fails_verify(tmp_path: Path, env,
                                                                      capsys) -> None:
    assert init(tmp_path / "d") == 0
    db = tmp_path / "d" / "partdesk.sqlite3"
    with sqlite3.connect(db) as conn:  # a copy of a revision under a new seq and id
        conn.execute("INSERT INTO revisions SELECT CASE WHEN substr(rev_id, 1, 1) = 'f' "
                     "THEN 'e' ELSE 'f' END || substr(rev_id, 2), seq + 1000, "
                     "record_type, record_id, site_id, lamport, created_at, author, op, reason, "
                     "parents, fields, batch_id FROM revisions WHERE seq = 1")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) == 1
    assert "not in the audit log (added outside)" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM revisions WHERE seq IN (1, 1001)")
    assert main(["--data-dir", str(tmp_path / "d"), "verify"]) == 1
    assert "the revisions it covers were altered or removed" in capsys.readouterr().err
