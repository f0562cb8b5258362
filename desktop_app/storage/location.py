"""Where a data folder lives: a removable drive, a network share or a cloud-synced folder is a
risk for a database being written, and is named with its reason.

- removable (a USB stick, an SD card): pulled out during a write, the last work is lost or the
  file is torn; FAT and exFAT sticks have no journal of their own either;
- network (SMB/CIFS, NFS, SSHFS, WebDAV): SQLite's locks do not hold across the network and a
  dropped connection mid-write can damage the file;
- cloud-synced (OneDrive, Dropbox, Google Drive, iCloud, Nextcloud …): the sync program copies
  the database and its write-ahead log at different moments and can bring back an old or
  half-written copy, or make "conflicted copies".

Plain functions of what the system reports, so each rule is tested on any machine: the Linux
mount table (`/proc/self/mounts`) and `/sys/class/block/*/removable`, Windows' drive type, and
the names of the folders on the path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath


class Risk(Enum):
    REMOVABLE = "removable"
    NETWORK = "network"
    CLOUD = "cloud"


@dataclass(frozen=True, slots=True)
class Location:
    risk: Risk
    detail: str  # what was seen: the file system, the drive or the synced folder's name


NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs",
    "lustre", "9p", "davfs", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.gvfsd-fuse",
    "fuse.s3fs", "fuse.glusterfs", "fuse.cephfs",
})
REMOVABLE_FILE_SYSTEMS = frozenset({"vfat", "exfat", "msdos", "fuseblk.exfat"})
REMOVABLE_MOUNT_ROOTS = ("/media/", "/run/media/", "/Volumes/")
# Folder names that sync programs create, compared case-insensitively.
CLOUD_FOLDERS = (
    "onedrive", "dropbox", "google drive", "googledrive", "my drive", "icloud drive",
    "iclouddrive", "mobile documents", "nextcloud", "owncloud", "box", "box sync", "pcloud drive",
    "mega", "megasync", "yandex.disk", "seafile", "sync.com", "tresorit",
)
CLOUD_ENVIRONMENT = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

DRIVE_REMOVABLE = 2  # Windows GetDriveTypeW
DRIVE_REMOTE = 4


def cloud_folder(path: PurePath, environ: dict[str, str] | None = None) -> str:
    """The name of the cloud-synced folder `path` is inside, or ""."""
    environ = dict(os.environ) if environ is None else environ
    for name in CLOUD_ENVIRONMENT:
        root = environ.get(name, "")
        if root and _is_within(path, type(path)(root)):
            return type(path)(root).name or root
    for part in path.parts:
        lowered = part.lower()
        if lowered in CLOUD_FOLDERS or lowered.startswith(("onedrive - ", "onedrive-")):
            return part
    return ""


def _is_within(path: PurePath, root: PurePath) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Mount:
    source: str
    point: str
    fstype: str


def parse_mounts(text: str) -> list[Mount]:
    """The lines of /proc/self/mounts (octal escapes such as \\040 for a space undone)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            source, point, fstype = (_unescape(f) for f in fields[:3])
            mounts.append(Mount(source, point, fstype))
    return mounts


def _unescape(field: str) -> str:
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_of(path: PurePath, mounts: list[Mount]) -> Mount | None:
    """The mount that holds `path`: the longest mount point it lies under (the last one mounted
    wins when the same point is mounted twice)."""
    best: Mount | None = None
    for mount in mounts:
        if _is_within(path, PurePath(mount.point)) and (
                best is None or len(mount.point) >= len(best.point)):
            best = mount
    return best


def removable_device(source: str, sys_block: Path = Path("/sys/class/block")) -> bool:
    """Does the kernel call the device behind `source` (/dev/sdb1) removable?"""
    if not source.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(source)).name if Path(source).exists() else Path(source).name
    node = sys_block / name
    for candidate in (node / "removable", node.parent / "removable",
                      Path(os.path.realpath(node)).parent / "removable"):
        try:
            if candidate.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def from_mount(mount: Mount, is_removable: Callable[[str], bool] = removable_device
               ) -> Location | None:
    fstype = mount.fstype.lower()
    if fstype in NETWORK_FILE_SYSTEMS or mount.source.startswith("//"):
        return Location(Risk.NETWORK, f"{mount.fstype} {mount.source}")
    if (fstype in REMOVABLE_FILE_SYSTEMS or mount.point.startswith(REMOVABLE_MOUNT_ROOTS)
            or is_removable(mount.source)):
        return Location(Risk.REMOVABLE, f"{mount.fstype} {mount.point}")
    return None


def _windows_drive(path: Path) -> Location | None:
    import ctypes

    text = str(path)
    if text.startswith("\\\\") and not text.startswith("\\\\?\\"):
        return Location(Risk.NETWORK, text.split("\\")[2] if text.count("\\") > 2 else text)
    root = path.anchor or text[:3]
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    if kind == DRIVE_REMOVABLE:
        return Location(Risk.REMOVABLE, root)
    if kind == DRIVE_REMOTE:
        return Location(Risk.NETWORK, root)
    return None


def _linux_mount(path: Path) -> Location | None:
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    mount = mount_of(path, parse_mounts(text))
    return from_mount(mount) if mount is not None else None


def risky_location(folder: Path) -> Location | None:
    """Why the data folder at `folder` is at risk where it is, or None for a local disk."""
    try:
        path = folder.resolve()
    except OSError:
        path = folder.absolute()
    name = cloud_folder(path)
    if name:
        return Location(Risk.CLOUD, name)
    try:
        if sys.platform == "win32":
            return _windows_drive(path)
        if sys.platform.startswith("linux"):
            return _linux_mount(path)
        if str(path).startswith("/Volumes/"):
            return Location(Risk.REMOVABLE, "/".join(path.parts[:3]))
    except (OSError, AttributeError, ValueError):
        return None  # a question the system cannot answer is no warning
    return None
