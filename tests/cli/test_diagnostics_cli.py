"""`partdesk diagnostics --out FILE.zip`: the members plant IT needs, and nothing secret even
when the log and the settings file hold secrets written there by hand or by an older version."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop_app import logs
from desktop_app.cli import main
from tests.cli.test_core_cli import init
from tests.conftest import PASSWORD

MEMBERS = {
    "README.txt", "versions.json", "platform.json", "settings.ini", "verify.txt",
    "database.json", "log.txt",
}


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(folder))
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    return folder


def read_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {Path(name).name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def plant_secrets(data: Path, log_dir: Path) -> tuple[str, str]:
    """Secrets where a careless collector would pick them up: in the log (as an older version
    might have written it) and in the settings file. Returns (private key PEM, password hash)."""
    pem = (data / "keys" / "site-ed25519.pem").read_text(encoding="ascii")
    password_hash = sqlite3.connect(data / "partdesk.sqlite3").execute(
        "SELECT password_hash FROM credentials").fetchone()[0]
    assert password_hash.startswith("$argon2")
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / logs.LOG_FILE_NAME).open("a", encoding="utf-8") as fh:
        fh.write(f"old line: signed in with {PASSWORD}\nold line: key\n{pem}\n"
                 f"old line: hash {password_hash}\n")
    (log_dir / logs.CRASH_FILE_NAME).write_text(
        'Fatal Python error: Segmentation fault\n  File "x.py", line 1 in <module>\n')
    (data / "settings.ini").write_text(
        "[meta]\nversion=1\n[prefs]\nlanguage=fr\nidle_lock_minutes=15\n"
        f"smtp_password={PASSWORD}x\nnote=a {PASSWORD} in a value\n"
        "[state]\nmain_window_geometry=@ByteArray(\\x1\\xd9\\xd0\\xcb)\nlast_user=admin\n",
        encoding="utf-8")
    return pem, password_hash


def test_the_zip_holds_what_plant_it_needs_and_nothing_secret(tmp_path, log_dir, capsys) -> None:
    data = tmp_path / "d"
    assert init(data) == 0
    pem, password_hash = plant_secrets(data, log_dir)
    out = tmp_path / "out" / "diag.zip"
    capsys.readouterr()
    assert main(["--data-dir", str(data), "--user", "admin", "diagnostics", "--out",
                 str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Diagnostics written to {out}."

    members = read_zip(out)
    assert set(members) == MEMBERS | {"crash.txt"}
    versions = json.loads(members["versions.json"])
    for name in ("PartDesk", "Python", "Qt", "PySide6", "SQLAlchemy", "reportlab",
                 "cryptography", "SQLite library"):
        assert versions[name] and versions[name] != "not installed", name
    assert versions["SQLite library"] == sqlite3.sqlite_version
    assert json.loads(members["platform.json"])["system"]
    assert members["verify.txt"] == "All checks passed: database, audit log, revisions and files.\n"
    database = json.loads(members["database.json"])
    assert database["schema version"] == database["schema version of this release"] != []
    assert database["records by type"]["user"] == {"current": 1, "deleted": 0}
    assert database["records by type"]["site"] == {"current": 1, "deleted": 0}
    assert database["people"] == 1
    assert "language=fr" in members["settings.ini"]
    assert "smtp_password=[redacted]\n" in members["settings.ini"]
    assert "main_window_geometry=<binary" in members["settings.ini"]
    assert "started (Python" in members["log.txt"]
    assert "[command=diagnostics folder=" in members["log.txt"]
    assert "Segmentation fault" in members["crash.txt"]

    everything = "\n".join(members.values())
    key_lines = [line for line in pem.splitlines() if not line.startswith("-----")]
    for secret in (PASSWORD, "PRIVATE KEY", *key_lines, password_hash, "$argon2"):
        assert secret not in everything, secret
    raw = out.read_bytes()
    assert b"SQLite format 3" not in raw
    with zipfile.ZipFile(out) as archive:
        assert all(not name.endswith((".sqlite3", ".pem")) for name in archive.namelist())


def test_diagnostics_needs_a_signed_in_person(tmp_path, log_dir, capsys) -> None:
    data = tmp_path / "d"
    assert init(data) == 0
    out = tmp_path / "diag.zip"
    assert main(["--data-dir", str(data), "diagnostics", "--out", str(out)]) == 5
    assert "Sign in first" in capsys.readouterr().err
    assert not out.exists()


def test_verify_problems_are_reported_in_the_zip(tmp_path, log_dir, capsys) -> None:
    data = tmp_path / "d"
    assert init(data) == 0
    stray = data / "blobs" / "ab" / ("ab" * 32)  # a stored file whose bytes were altered
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"altered")
    assert main(["--data-dir", str(data), "verify"]) == 1
    expected = capsys.readouterr().err.strip()
    out = tmp_path / "diag.zip"
    assert main(["--data-dir", str(data), "--user", "admin", "diagnostics", "--out",
                 str(out), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["problems"] >= 1 and set(answer["members"]) == MEMBERS - {"settings.ini"}
    assert expected == "file abababababab: bytes do not match the hash (altered)"
    assert read_zip(out)["verify.txt"] == expected + "\n"
