"""A damaged data folder is refused, never "repaired" into an empty one; `restore --latest`.

Damaged: the folder holds a site's key, files or backups, but its database is missing, empty or
not a PartDesk database. Every command refuses it with one sentence and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.cli.test_core_cli import init
from tests.conftest import PASSWORD


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("PARTDESK_NEW_PASSWORD", PASSWORD)
    return monkeypatch


@pytest.fixture
def site(tmp_path: Path, env, capsys) -> Path:
    """A set-up folder (site MSR, administrator `admin`)."""
    folder = tmp_path / "d"
    assert init(folder) == 0
    capsys.readouterr()
    return folder


def run(capsys, folder: Path, *argv: str, user: str | None = None) -> tuple[int, str, str]:
    head = ["--data-dir", str(folder)] + (["--user", user] if user else [])
    code = main([*head, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listing(folder: Path) -> dict[str, str]:
    """Every file of the folder (but the lock) with the hash of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "partdesk.lock"
    }


def remove_database(folder: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(folder / "partdesk.sqlite3") + suffix).unlink(missing_ok=True)


def add_person(folder: Path, username: str, capsys) -> None:
    argv = ["--data-dir", str(folder), "--user", "admin", "people", "add", username,
            "--name", username.title(), "--role", "engineer"]
    assert main(argv) == 0
    capsys.readouterr()


def backup(folder: Path, capsys, mtime: int) -> Path:
    assert main(["--data-dir", str(folder), "--user", "admin", "--json", "backup"]) == 0
    path = Path(json.loads(capsys.readouterr().out)["path"])
    os.utime(path, (mtime, mtime))  # the order they were made in, whatever the clock's grain
    return path


def test_a_zero_byte_database_is_refused_by_verify_and_left_at_zero_bytes(site, capsys) -> None:
    remove_database(site)
    (site / "partdesk.sqlite3").write_bytes(b"")
    before = listing(site)
    code, out, err = run(capsys, site, "verify")
    assert code == 7 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"The database {site / 'partdesk.sqlite3'} is empty although its "
                          "folder holds a site's key, files or backups, and nothing was changed")
    assert f"no backup in {site / 'backups'} verifies" in err
    assert (site / "partdesk.sqlite3").stat().st_size == 0
    assert listing(site) == before  # nothing created: no tables, no -wal, no backup


def test_a_missing_database_beside_the_key_is_refused_by_every_command(site, capsys) -> None:
    remove_database(site)
    before = listing(site)
    expected = (f"The data folder {site} holds a site's key, files or backups but no database, "
                "and nothing was changed in it;")
    for argv, user in ((["verify"], None), (["parts", "list"], "admin"), (["backup"], "admin"),
                       (["demo"], None)):
        code, out, err = run(capsys, site, *argv, user=user)
        assert (code, out) == (7, ""), argv
        assert err.startswith(expected), argv
    assert not (site / "partdesk.sqlite3").exists()
    assert listing(site) == before


def test_an_other_applications_sqlite_file_is_refused_and_unchanged(site, capsys) -> None:
    remove_database(site)
    with sqlite3.connect(site / "partdesk.sqlite3") as conn:
        conn.execute("CREATE TABLE foo (bar TEXT)")
        conn.execute("INSERT INTO foo VALUES ('theirs')")
    conn.close()
    before = listing(site)
    code, out, err = run(capsys, site, "verify")
    assert (code, out) == (7, "")
    assert err.startswith(f"The database file {site / 'partdesk.sqlite3'} is damaged or is not a "
                          "PartDesk database (tables of another application), and nothing was "
                          "changed in it;")
    assert listing(site) == before


def test_a_foreign_sqlite_file_is_never_migrated_even_in_a_folder_without_a_site(
    tmp_path: Path, env, capsys
) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    with sqlite3.connect(folder / "partdesk.sqlite3") as conn:
        conn.execute("CREATE TABLE foo (bar TEXT)")
    conn.close()
    before = listing(folder)
    code, _, err = run(capsys, folder, "init", "--site-code", "NEW", "--site-name", "New",
                       "--admin", "admin")
    assert code == 7
    assert "is damaged or is not a PartDesk database (tables of another application)" in err
    assert "move the file away, or choose another data folder" in err
    assert listing(folder) == before


def test_a_text_file_named_like_the_database_is_refused(site, capsys) -> None:
    remove_database(site)
    (site / "partdesk.sqlite3").write_text("my shopping list\n" * 50)
    before = listing(site)
    code, out, err = run(capsys, site, "verify")
    assert (code, out) == (7, "")
    assert err.startswith(f"The database file {site / 'partdesk.sqlite3'} is damaged or is not a "
                          "PartDesk database (file is not a database), and nothing was changed "
                          "in it;")
    assert listing(site) == before


def test_init_refuses_a_folder_that_holds_a_site_key(site, tmp_path: Path, capsys) -> None:
    fresh = tmp_path / "fresh"
    (fresh / "keys").mkdir(parents=True)
    (fresh / "keys" / "site-ed25519.pem").write_bytes((site / "keys/site-ed25519.pem").read_bytes())
    before = listing(fresh)
    code, out, err = run(capsys, fresh, "init", "--site-code", "NEW", "--site-name", "New",
                         "--admin", "boss")
    assert (code, out) == (7, "")
    assert err.startswith(f"The data folder {fresh} holds a site's key, files or backups but no "
                          "database")
    assert listing(fresh) == before


def test_restore_latest_brings_back_the_newest_backup_that_verifies(site, capsys) -> None:
    add_person(site, "first", capsys)
    older = backup(site, capsys, mtime=1_000_000)
    add_person(site, "second", capsys)
    newer = backup(site, capsys, mtime=2_000_000)
    corrupted = newer.read_bytes()
    newer.write_bytes(corrupted[: len(corrupted) // 2])  # cut in the middle: fails its check
    remove_database(site)
    (site / "partdesk.sqlite3").write_bytes(b"")

    code, _, err = run(capsys, site, "verify")
    assert code == 7
    assert err.strip().endswith("'partdesk restore --latest' brings back the newest verified "
                                f"backup, {older.name}.")

    code, out, _ = run(capsys, site, "--json", "restore", "--latest", user="admin")
    assert code == 0
    result = json.loads(out)
    assert result["restored"] == str(older)
    kept = Path(result["previous_state"])
    assert kept.parent.parent == site / "damaged" and kept.stat().st_size == 0  # not deleted

    assert run(capsys, site, "verify")[0] == 0
    code, out, _ = run(capsys, site, "--json", "people", "list", user="admin")
    assert code == 0
    assert [p["username"] for p in json.loads(out)] == ["admin", "first"]


def test_restore_latest_on_a_damaged_folder_signs_in_against_the_backup(site, capsys,
                                                                        env) -> None:
    add_person(site, "eng", capsys)
    backup(site, capsys, mtime=1_000_000)
    remove_database(site)
    before = listing(site)

    env.setenv("PARTDESK_PASSWORD", "wrong-password")
    code, out, err = run(capsys, site, "restore", "--latest", user="admin")
    assert (code, out, err) == (5, "", "The user name or password is wrong.\n")
    env.setenv("PARTDESK_PASSWORD", PASSWORD)
    code, out, err = run(capsys, site, "restore", "--latest", user="eng")
    assert (code, out) == (4, "")
    assert "is not allowed to" in err
    code, out, err = run(capsys, site, "restore", "--latest")
    assert (code, out) == (5, "")
    assert err.startswith("Sign in first")
    assert listing(site) == before  # refused: nothing restored, nothing kept aside


def test_restore_latest_on_a_sound_folder_is_a_normal_signed_in_restore(site, capsys,
                                                                        env) -> None:
    backup(site, capsys, mtime=1_000_000)
    add_person(site, "later", capsys)
    env.setenv("PARTDESK_PASSWORD", "wrong-password")
    assert run(capsys, site, "restore", "--latest", user="admin")[0] == 5
    env.setenv("PARTDESK_PASSWORD", PASSWORD)
    code, out, _ = run(capsys, site, "restore", "--latest", user="admin")
    assert code == 0 and out.startswith("Restored ")
    assert "before-restore-" in out  # the state before it is kept as a backup
    code, out, _ = run(capsys, site, "--json", "people", "list", user="admin")
    assert [p["username"] for p in json.loads(out)] == ["admin"]
    assert run(capsys, site, "verify")[0] == 0


def test_restore_takes_a_file_or_latest(site, capsys) -> None:
    code, _, err = run(capsys, site, "restore", user="admin")
    assert (code, err) == (2, "Name one backup file, or --latest for the newest.\n")
