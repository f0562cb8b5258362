"""The log file: written by every command, rotated, with context, never a secret; the last-resort
exception hook logs the traceback and the person is told where the log is (exit 70)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from desktop_app import logs
from desktop_app.cli import main
from desktop_app.cli import parts as parts_cli
from tests.cli.test_core_cli import init
from tests.conftest import PASSWORD

PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIGgxP2xQ0Jw4lS7lQ0VfZxk5m0n3Y1vX6sQ9aQ1b2c3d\n"
    "-----END PRIVATE KEY-----"
)
HASH = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
HEX64 = "ab" * 32
ARG_PASSWORD = "Arg-Pass-7781"


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(folder))
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    return folder


def test_every_command_writes_the_log_with_its_context(tmp_path, log_dir, capsys) -> None:
    data = tmp_path / "d"
    assert init(data) == 0
    assert main(["--data-dir", str(data), "--user", "nobody", "parts", "list"]) == 5
    text = (log_dir / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "INFO desktop_app.logs [command=init folder=" in text
    assert f"[command=parts list folder={data.resolve()}]" in text
    assert "WARNING" in text and "refused" in text  # the refused sign-in, without the password
    assert PASSWORD not in text
    assert (log_dir / logs.CRASH_FILE_NAME).exists()


def test_warnings_name_who_is_signed_in(tmp_path, log_dir, monkeypatch) -> None:
    data = tmp_path / "d"
    assert init(data) == 0

    def warn(cli, args) -> int:
        cli.actor()
        logging.getLogger("desktop_app.cli.parts").warning("a warning")
        return 0

    monkeypatch.setattr(parts_cli, "cmd_list", warn)
    assert main(["--data-dir", str(data), "--user", "admin", "parts", "list"]) == 0
    text = (log_dir / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert f"[command=parts list folder={data.resolve()} user=admin] a warning" in text


def test_the_log_rotates(tmp_path, log_dir, monkeypatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    session = logs.start_logging(command="test")
    try:
        for i in range(200):
            logging.getLogger("desktop_app.test").warning("line %d %s", i, "x" * 40)
    finally:
        session.close()
    rotated = sorted(p.name for p in log_dir.glob("partdesk.log*"))
    assert rotated == ["partdesk.log", *(f"partdesk.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2000 for p in log_dir.glob("partdesk.log*"))
    assert "line 199" in (log_dir / "partdesk.log").read_text(encoding="utf-8")
    assert logs.tail(logs.log_files(log_dir), 3)[-1].endswith("line 199 " + "x" * 40)


def test_no_password_key_or_hash_reaches_the_log(tmp_path, log_dir, monkeypatch, capsys) -> None:
    """A password from the environment, one on a command line, a PEM block, a password hash
    and hex keys, all inside a crashing command's exception and a warning: none in the file."""
    data = tmp_path / "d"
    assert init(data) == 0

    def crash(cli, args) -> int:
        cli.actor()
        logging.getLogger("desktop_app.cli.parts").warning(
            "argv: partdesk --password %s; env PARTDESK_PASSWORD=%s; %s", ARG_PASSWORD, PASSWORD,
            PEM)
        raise RuntimeError(f"boom {PASSWORD} password={ARG_PASSWORD} {HASH} key {HEX64}\n{PEM}")

    monkeypatch.setattr(parts_cli, "cmd_list", crash)
    assert main(["--data-dir", str(data), "--user", "admin", "parts", "list"]) == 70
    text = (log_dir / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: boom [redacted]" in text and "in crash" in text
    for secret in (PASSWORD, ARG_PASSWORD, "BEGIN PRIVATE KEY", "MC4CAQAw", "$argon2", HEX64):
        assert secret not in text, secret


def test_an_unexpected_error_is_logged_with_its_traceback(tmp_path, log_dir, monkeypatch,
                                                          capsys) -> None:
    data = tmp_path / "d"
    assert init(data) == 0

    def crash(cli, args) -> int:
        cli.actor()
        return 1 // 0

    monkeypatch.setattr(parts_cli, "cmd_list", crash)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "--user", "admin", "parts", "list"]) == 70
    err = capsys.readouterr().err
    log_file = log_dir / logs.LOG_FILE_NAME
    assert err.strip() == f"Unexpected error (ZeroDivisionError). Details: {log_file}"
    text = log_file.read_text(encoding="utf-8")
    assert f"CRITICAL desktop_app.cli.common [command=parts list folder={data.resolve()} " \
           "user=admin] unexpected error" in text
    assert "Traceback (most recent call last):" in text
    assert "return 1 // 0" in text and "ZeroDivisionError: integer division or modulo by zero" \
        in text
    assert "Traceback" not in err


def test_the_hook_logs_an_exception_of_another_thread(log_dir) -> None:
    shown: list[BaseException] = []
    session = logs.start_logging(command="test")
    session.install_hooks(shown.append)
    try:
        thread = threading.Thread(target=lambda: {}["missing-" + PASSWORD])
        thread.start()
        thread.join()
    finally:
        session.close()
    text = (log_dir / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "CRITICAL desktop_app.logs [command=test] unexpected error" in text
    assert "KeyError: 'missing-[redacted]'" in text and PASSWORD not in text
    assert [type(e) for e in shown] == [KeyError]


def test_without_a_usable_log_folder_the_data_folder_is_used(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(blocked / "logs"))  # cannot be made
    session = logs.start_logging([tmp_path / "data" / "logs"])
    try:
        assert session.log_file == tmp_path / "data" / "logs" / logs.LOG_FILE_NAME
        assert logs.current_log_file() == session.log_file
    finally:
        session.close()
    assert logs.current_log_file() is None


@pytest.mark.parametrize(("text", "expected"), [
    ("partdesk --password hunter22 parts list", "partdesk --password [redacted] parts list"),
    ("--new-password=hunter22", "--new-password=[redacted]"),
    ('{"password": "hunter22", "user": "ada"}', '{"password": "[redacted]", "user": "ada"}'),
    ("PARTDESK_PASSWORD=hunter22 partdesk", "PARTDESK_PASSWORD=[redacted] partdesk"),
    ("postgresql://ada:hunter22@db/partdesk", "postgresql://ada:[redacted]@db/partdesk"),
    (f"key {HEX64}!", "key [redacted hex]!"),
    (f"sig {'0f' * 64}", "sig [redacted hex]"),
    (f"hash {HASH} end", "hash [redacted hash] end"),
    (f"a\n{PEM}\nb", "a\n[redacted PEM block]\nb"),
    ("-----BEGIN PRIVATE KEY-----\nMC4CAQAw", "[redacted PEM block]"),
    ("MC4CAQAw\n-----END PRIVATE KEY-----\nnext", "MC4CAQAw\n[redacted PEM block]\nnext"),
    ("revision 0123456789ab: altered", "revision 0123456789ab: altered"),
    ("Password for admin: ", "Password for admin: "),
])
def test_redaction(text: str, expected: str) -> None:
    assert logs.redact(text) == expected


def test_a_hard_crash_leaves_its_stacks_in_the_crash_file(tmp_path) -> None:
    import os
    import subprocess
    import sys

    code = ("from desktop_app import logs\nsession = logs.start_logging(command='crash')\n"
            "import faulthandler\nfaulthandler._sigsegv()\n")
    env = {**os.environ, logs.LOG_DIR_ENV: str(tmp_path / "logs")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode != 0
    crash = (tmp_path / "logs" / logs.CRASH_FILE_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert 'File "<string>", line 4' in crash


def test_the_command_line_hook_names_the_log(log_dir, capsys) -> None:
    import sys

    session = logs.start_logging(command="test")
    session.install_hooks()
    try:
        try:
            raise ValueError("outside any command")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        session.close()
    log_file = log_dir / logs.LOG_FILE_NAME
    assert capsys.readouterr().err == f"Unexpected error (ValueError). Details: {log_file}\n"
    assert "ValueError: outside any command" in log_file.read_text(encoding="utf-8")
    assert sys.excepthook is sys.__excepthook__ or "logs" not in sys.excepthook.__module__
