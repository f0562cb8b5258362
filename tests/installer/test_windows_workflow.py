"""The Windows workflow (.github/workflows/windows.yml) is complete and runs what exists: its
YAML reads, it builds with Python 3.11 from the lock on a Windows runner, every stage of
installer/build.sh it calls exists (the Linux build runs the same stages), every file it names is
in the repository, it signs when a certificate is given, and it uploads the setup that build.sh
names."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest

from tests.installer.helpers import (
    INSTALLER,
    ROOT,
    WORKFLOW,
    load_bundle,
    load_yaml,
)

BUILD_SH = INSTALLER / "build.sh"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = load_yaml(WORKFLOW)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def job(workflow: dict[str, Any]) -> dict[str, Any]:
    jobs = workflow["jobs"]
    assert list(jobs) == ["installer"]
    return jobs["installer"]


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def run_scripts(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in steps(job) if "run" in step]


def build_sh_calls(job: dict[str, Any]) -> list[list[str]]:
    calls = []
    for script in run_scripts(job):
        for line in script.splitlines():
            match = re.search(r"bash installer/build\.sh(.*)$", line)
            if match:
                calls.append(match.group(1).split())
    return calls


def build_sh_arguments() -> set[str]:
    """The arguments build.sh's option loop accepts."""
    text = BUILD_SH.read_text(encoding="utf-8")
    accepted = set()
    for pattern in re.findall(r"^\s+([\w| -]+)\)", text, re.M):
        accepted |= {word.strip() for word in pattern.split("|")}
    return accepted


def test_the_workflow_reads_as_yaml_and_runs_on_windows(workflow: dict[str, Any],
                                                        job: dict[str, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True, workflow.get("true")))
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    assert job["runs-on"] == "windows-latest"
    assert job["defaults"]["run"]["shell"] == "bash"  # build.sh runs in Git Bash
    assert job["timeout-minutes"] <= 90


def test_it_builds_with_python_3_11(job: dict[str, Any]) -> None:
    setup = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/setup-python")]
    assert len(setup) == 1
    assert str(setup[0]["with"]["python-version"]) == "3.11"


def test_its_build_steps_are_build_sh_stages_in_order(job: dict[str, Any]) -> None:
    calls = build_sh_calls(job)
    accepted = build_sh_arguments()
    stages = []
    for call in calls:
        words = [word for word in call if not word.startswith("$")]  # $BUILD_FLAGS
        assert set(words) <= accepted, f"build.sh does not take {set(words) - accepted}"
        stages += [word for word in words if not word.startswith("-")]
    assert stages == ["deps", "freeze", "smoke", "nsis"]
    assert "--plant" in accepted
    # the plant edition passes --plant to freeze, smoke and nsis
    assert "--plant" in job["env"]["BUILD_FLAGS"]
    assert job["strategy"]["matrix"]["edition"] == ["standard", "plant"]


def test_the_deps_stage_installs_the_lock_with_hashes() -> None:
    text = BUILD_SH.read_text(encoding="utf-8")
    deps = text[text.index("stage_deps() {"):text.index("stage_freeze() {")]
    assert "--require-hashes" in deps
    assert "-r installer/requirements.lock" in deps
    assert "--only-binary :all:" in deps


def test_the_smoke_stage_starts_init_verify_and_the_window() -> None:
    text = BUILD_SH.read_text(encoding="utf-8")
    smoke = text[text.index("stage_smoke() {"):text.index("setup_name() {")]
    for needed in (" init ", " verify", "PARTDESK_SMOKE_TEST=1", '"$WINDOWED"', '"$CONSOLE"'):
        assert needed in smoke


def test_every_file_the_workflow_names_exists(job: dict[str, Any]) -> None:
    named = set()
    for script in run_scripts(job):
        for match in re.finditer(r"(?<![\w$])(installer|resources|\.github)[/\\][\w./\\-]+",
                                 script):
            named.add(match.group(0).replace("\\", "/").rstrip("."))
    assert {"installer/build.sh", "installer/sign.ps1", "installer/bundle.py"} <= named
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []
    # and what build.sh's stages read
    for path in ("installer/requirements.lock", "installer/partdesk.spec",
                 "installer/partdesk.nsi", "installer/entry.py", "installer/entry_gui.py",
                 "installer/make_icon.py", "installer/system-deps.sh",
                 "resources/icons/partdesk.ico"):
        assert (ROOT / path).exists(), path


def test_the_uploaded_artefact_is_the_setup_build_sh_writes(job: dict[str, Any]) -> None:
    upload = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert len(upload) == 1
    pattern = upload[0]["with"]["path"]
    assert upload[0]["with"]["if-no-files-found"] == "error"
    version = load_bundle().version()
    assert fnmatch.fnmatch(f"dist/PartDesk-{version}-setup.exe", pattern)
    assert fnmatch.fnmatch(f"dist/PartDesk-{version}-plant-setup.exe", pattern)
    text = BUILD_SH.read_text(encoding="utf-8")
    assert 'echo "PartDesk-$(bundle version)$suffix-setup.exe"' in text
    assert 'out="dist/$(setup_name)"' in text


def test_signing_runs_only_when_a_certificate_is_given(job: dict[str, Any]) -> None:
    assert job["env"]["WINDOWS_CERT_PFX"] == "${{ secrets.WINDOWS_CERT_PFX }}"
    assert job["env"]["WINDOWS_CERT_PASSWORD"] == "${{ secrets.WINDOWS_CERT_PASSWORD }}"
    sign = [s for s in steps(job) if s.get("name") == "Sign the programs"]
    assert len(sign) == 1
    assert sign[0]["if"] == "env.WINDOWS_CERT_PFX != ''"
    assert "installer\\sign.ps1" in sign[0]["run"]
    for exe in ("partdesk.exe", "partdeskw.exe"):
        assert exe in sign[0]["run"]
    nsis = [s for s in steps(job) if "build.sh $BUILD_FLAGS nsis" in s.get("run", "")]
    assert len(nsis) == 1
    assert 'if [ -n "$WINDOWS_CERT_PFX" ]' in nsis[0]["run"]
    assert "PARTDESK_SIGN_COMMAND" in nsis[0]["run"]
    cleanup = steps(job)[-1]
    assert cleanup["if"] == "always()" and "partdesk-signing.pfx" in cleanup["run"]
    assert "partdesk-signing.pfx" in (INSTALLER / "sign.ps1").read_text(encoding="utf-8")


def test_the_setup_is_installed_upgraded_and_uninstalled_keeping_the_data(
        job: dict[str, Any]) -> None:
    step = next(s for s in steps(job) if str(s.get("name", "")).startswith("Install for this"))
    script = step["run"]
    assert step["shell"] == "pwsh"
    assert script.count("Run-Setup $setup @('/S', '/CurrentUser')") == 2  # install, upgrade
    assert "Uninstall.exe\" @('/S', '/CurrentUser', \"_?=$dir\")" in script
    assert "LOCALAPPDATA 'Programs\\PartDesk'" in script  # per user, no administrator rights
    assert "The uninstall deleted the data" in script
    assert "VersionInfo" in script  # the version in the file properties


def test_the_workflow_file_has_no_tabs_and_ends_with_a_newline() -> None:
    text = Path(WORKFLOW).read_text(encoding="utf-8")
    assert "\t" not in text
    assert text.endswith("\n")
