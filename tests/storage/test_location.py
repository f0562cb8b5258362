"""A data folder on a removable drive, a network share or in a cloud-synced folder is named
with its reason; a folder on this computer's own disk is not."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

import pytest

from desktop_app.storage.location import (
    Mount,
    Risk,
    cloud_folder,
    from_mount,
    mount_of,
    parse_mounts,
    risky_location,
)

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
//filer/qualite /mnt/qualite cifs rw,vers=3.0 0 0
filer:/export/plant /srv/plant nfs4 rw 0 0
/dev/sdb1 /media/amine/CLE\\040USB vfat rw,nosuid 0 0
/dev/sdc1 /data ext4 rw 0 0
"""


def test_the_mount_table_is_read_with_its_escapes_and_the_deepest_mount_wins() -> None:
    mounts = parse_mounts(MOUNTS)
    assert Mount("/dev/sdb1", "/media/amine/CLE USB", "vfat") in mounts
    assert mount_of(PurePosixPath("/media/amine/CLE USB/partdesk"), mounts).fstype == "vfat"
    assert mount_of(PurePosixPath("/mnt/qualite/PartDesk"), mounts).fstype == "cifs"
    assert mount_of(PurePosixPath("/home/amine/PartDesk"), mounts).point == "/"
    assert mount_of(PurePosixPath("/mediax/y"), mounts).point == "/"  # a prefix is not a folder


@pytest.mark.parametrize(("path", "risk"), [
    ("/mnt/qualite/PartDesk", Risk.NETWORK),
    ("/srv/plant/partdesk", Risk.NETWORK),
    ("/media/amine/CLE USB/partdesk", Risk.REMOVABLE),
    ("/home/amine/.local/share/PartDesk", None),
])
def test_network_and_removable_file_systems_are_named(path: str, risk: Risk | None) -> None:
    mount = mount_of(PurePosixPath(path), parse_mounts(MOUNTS))
    found = from_mount(mount, is_removable=lambda source: False)
    assert (found.risk if found else None) is risk
    if found:
        assert mount.fstype in found.detail


def test_a_disk_the_kernel_calls_removable_is_removable_whatever_its_file_system() -> None:
    stick = Mount("/dev/sdc1", "/data", "ext4")
    assert from_mount(stick, is_removable=lambda source: source == "/dev/sdc1").risk \
        is Risk.REMOVABLE
    assert from_mount(stick, is_removable=lambda source: False) is None


@pytest.mark.parametrize(("path", "name"), [
    (PurePosixPath("/home/amine/Dropbox/PartDesk"), "Dropbox"),
    (PurePosixPath("/home/amine/Nextcloud/qualite/partdesk"), "Nextcloud"),
    (PureWindowsPath(r"C:\Users\amine\OneDrive - Sider\PartDesk"), "OneDrive - Sider"),
    (PureWindowsPath(r"G:\My Drive\PartDesk"), "My Drive"),
    (PurePosixPath("/home/amine/dropboxes/PartDesk"), ""),
    (PurePosixPath("/home/amine/PartDesk"), ""),
])
def test_cloud_synced_folders_are_known_by_their_names(path, name: str) -> None:
    assert cloud_folder(path, environ={}) == name


def test_the_folder_windows_says_onedrive_syncs_counts_whatever_its_name() -> None:
    environ = {"OneDrive": r"D:\Synced"}
    assert cloud_folder(PureWindowsPath(r"D:\Synced\Qualite\PartDesk"), environ) == "Synced"
    assert cloud_folder(PureWindowsPath(r"D:\Local\PartDesk"), environ) == ""


def test_a_real_folder_inside_a_dropbox_folder_is_at_risk(tmp_path) -> None:
    folder = tmp_path / "Dropbox" / "PartDesk"
    folder.mkdir(parents=True)
    found = risky_location(folder)
    assert found is not None and (found.risk, found.detail) == (Risk.CLOUD, "Dropbox")
