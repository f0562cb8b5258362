"""What goes into the frozen PartDesk, in one place: read by partdesk.spec, build.sh and the tests.

    python installer/bundle.py version        # 0.1.0, from pyproject.toml
    python installer/bundle.py version-quad   # 0.1.0.0, for Windows file properties (NSIS)

Plain Python with no import of PyInstaller, so that the tests check the same lists the build uses.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
ICON = ROOT / "resources" / "icons" / "partdesk.ico"
APP_NAME = "PartDesk"  # the folder in dist/ and under Program Files
# Two programs share one folder. Their names differ by more than case: Windows file names
# ignore case, so `PartDesk.exe` and `partdesk.exe` would be one file there.
CONSOLE_NAME = "partdesk"    # the command line (with no command it opens the window too)
WINDOWED_NAME = "partdeskw"  # the window with no console behind it: the Start menu's shortcut
PLANT_ENV = "PARTDESK_PLANT"  # 1: a plant build, with the PostgreSQL driver

# The Qt modules the application imports; every other PySide6 module is left out.
# tests/installer scans desktop_app's imports against this set.
QT_MODULES_USED = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPdfWidgets", "QtPrintSupport"})
# Known Qt modules, for when PySide6 cannot be looked at; the installed ones are added to these.
QT_MODULES_KNOWN = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCharts", "QtConcurrent", "QtDBus", "QtDataVisualization",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
    "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets",
    "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)

# Python packages that are installed but never needed by the frozen program.
PYTHON_EXCLUDES = (
    "tkinter", "matplotlib", "numpy", "IPython", "pytest", "pytestqt", "hypothesis", "_pytest",
    "mypy", "ruff", "importlinter", "grimp", "setuptools", "pip", "pkg_resources",
    "alembic.testing", "sqlalchemy.testing",
    "greenlet",  # SQLAlchemy's asyncio support only
    "PyInstaller",
)
# The PostgreSQL driver: only in a plant build (PARTDESK_PLANT=1, build.sh --plant).
POSTGRES_MODULES = ("psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool")

# Qt libraries and plugins that come along with the used modules but are never loaded by a
# desktop program: the virtual keyboard input plugin, which drags in Qt Quick and QML (about
# 20 MB on Linux); the software OpenGL fallback (Windows, 20 MB), which serves Qt Quick and
# OpenGL widgets, of which PartDesk has none; on Linux the platforms for embedded screens
# (EGLFS, LinuxFB, VNC, Vulkan display) and their input plugins, and the GTK theme plugin, which
# needs the GTK of the machine it runs on and brought the build machine's cairo and pango.
# Matched against the file name, lower case. The libraries that only these needed go with them
# (`prune`), and the spec refuses a build in which a file that stays still links to one of them.
DROPPED_BINARIES = (
    "*qtvirtualkeyboard*", "*qt6virtualkeyboard*",
    "libqt6qml*", "qt6qml*", "libqt6quick*", "qt6quick*",
    "opengl32sw.dll",
    "libqeglfs*", "libqt6eglfs*", "libqlinuxfb.so", "libqvnc.so", "libqvkkhrdisplay.so",
    "libqminimalegl.so", "libqevdev*", "libqtuiotouchplugin.so",
    "libqgtk3.so",
)
# Never dropped as an orphan: loaded by the bootloader, not linked.
PRUNE_ROOTS = ("libpython*", "python3*.dll")


# Read-only files the program opens at run time: resources (fonts, translations, styles, icons)
# and the Alembic migrations. Translation sources (.ts) stay behind: only .qm files are loaded.
DATA_FOLDERS = ("resources", "db")
DATA_SKIPPED = ("*.ts", "*.pyc", "__pycache__")


def data_files() -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for PyInstaller's `datas`."""
    pairs = []
    for top in DATA_FOLDERS:
        for path in sorted((ROOT / top).rglob("*")):
            rel = path.relative_to(ROOT)
            if not path.is_file() or any(fnmatch.fnmatch(part, pattern)
                                         for part in rel.parts for pattern in DATA_SKIPPED):
                continue
            pairs.append((str(path), str(rel.parent)))
    return pairs


def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def version() -> str:
    return str(pyproject()["project"]["version"])


def version_quad(text: str | None = None) -> tuple[int, int, int, int]:
    """`0.1.0` -> (0, 1, 0, 0); `1.2rc1` -> (1, 2, 0, 0): Windows wants four numbers."""
    text = version() if text is None else text
    match = re.match(r"^\s*v?(\d+(?:\.\d+)*)", text)
    if not match:
        raise ValueError(f"The version {text!r} does not start with a number.")
    numbers = [int(n) for n in match.group(1).split(".")][:4]
    numbers += [0] * (4 - len(numbers))
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"The version {text!r} has a part above 65535, which Windows refuses.")
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def installed_qt_modules() -> set[str]:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return set()
    names = set()
    for folder in spec.submodule_search_locations:
        for path in Path(folder).glob("Qt*"):
            if path.suffix in (".so", ".pyd"):
                names.add(path.name.split(".")[0])
    return names


def qt_excludes() -> list[str]:
    """Every PySide6 module the application does not import."""
    modules = (set(QT_MODULES_KNOWN) | installed_qt_modules()) - QT_MODULES_USED
    return sorted(f"PySide6.{name}" for name in modules)


def plant_build(environ: dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(PLANT_ENV, "")
    return value not in ("", "0")


def excludes(plant: bool) -> list[str]:
    result = list(PYTHON_EXCLUDES) + qt_excludes()
    if not plant:
        result += POSTGRES_MODULES
    return result


def hidden_imports_plant() -> list[str]:
    """What SQLAlchemy loads by name for a postgresql+psycopg:// URL."""
    return ["psycopg", "psycopg_binary", "sqlalchemy.dialects.postgresql.psycopg"]


def dropped_binary(dest_name: str) -> bool:
    return any(fnmatch.fnmatch(_name(dest_name), pattern) for pattern in DROPPED_BINARIES)


def _name(dest: str) -> str:
    return PurePath(dest.replace("\\", "/")).name.lower()


def _is_extension(name: str) -> bool:
    return name.endswith(".pyd") or (".cpython-" in name or ".abi3." in name)


def prune(needs: dict[str, set[str]]) -> set[str]:
    """The binaries to leave out, by destination name: those DROPPED_BINARIES names, then every
    shared library that only dropped binaries linked to (not a Python extension, not a root).

    `needs` maps each collected binary's destination name to the file names it links to."""
    dropped = {dest for dest in needs if dropped_binary(dest)}
    while True:
        kept = [dest for dest in needs if dest not in dropped]
        wanted_by_kept = set().union(*(needs[dest] for dest in kept)) if kept else set()
        wanted_by_dropped = set().union(*(needs[dest] for dest in dropped)) if dropped else set()
        orphans = {
            dest for dest in kept
            if _name(dest) in wanted_by_dropped and _name(dest) not in wanted_by_kept
            and not _is_extension(_name(dest))
            and not any(fnmatch.fnmatch(_name(dest), root) for root in PRUNE_ROOTS)
        }
        if not orphans:
            return dropped
        dropped |= orphans


def app_languages() -> list[str]:
    """The languages of the interface (desktop_app.ui.i18n.LANGUAGES), without importing Qt."""
    source = (ROOT / "desktop_app" / "ui" / "i18n.py").read_text(encoding="utf-8")
    block = re.search(r"^LANGUAGES[^=]*=\s*\{(.*?)\}", source, re.S | re.M)
    if not block:
        raise ValueError("LANGUAGES was not found in desktop_app/ui/i18n.py.")
    return re.findall(r"[\"'](\w+)[\"']\s*:", block.group(1))


def kept_qt_translation(dest_name: str, languages: list[str]) -> bool:
    """Qt's own translations: only `qtbase` (what ui/i18n.py loads) in the app's languages.
    Anything that is not a Qt translation is kept."""
    path = PurePath(dest_name.replace("\\", "/"))
    if "translations" not in path.parts[:-1] or path.suffix != ".qm" \
            or not path.parts or path.parts[0] != "PySide6":
        return True
    stem = path.stem
    return any(stem == f"qtbase_{code}" or stem.startswith(f"qtbase_{code}_")
               for code in languages)


def version_resource_text(program: str, description: str, text: str | None = None) -> str:
    """PyInstaller's Windows version resource (`EXE(version=...)`), in its text form."""
    text = version() if text is None else text
    quad = version_quad(text)
    strings = [
        ("CompanyName", APP_NAME),
        ("FileDescription", description),
        ("FileVersion", text),
        ("InternalName", program),
        ("LegalCopyright", f"{APP_NAME}. All rights reserved."),
        ("OriginalFilename", f"{program}.exe"),
        ("ProductName", APP_NAME),
        ("ProductVersion", text),
    ]
    table = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings)
    return f"""# Generated by installer/bundle.py from pyproject.toml's version; not committed.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={quad},
    prodvers={quad},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [{table}])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def write_version_resource(path: Path, program: str, description: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_resource_text(program, description), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if argv[:1] == ["version"]:
        print(version())
    elif argv[:1] == ["version-quad"]:
        print(".".join(map(str, version_quad())))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
