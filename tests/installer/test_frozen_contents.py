"""What goes into the frozen program (installer/bundle.py, read by partdesk.spec): no module the
application imports is left out, the PostgreSQL driver only in a plant build, the Qt files left
out take only what they alone needed, Qt's translations of the app's languages stay, the
Windows version resource is well formed, and the icon has every size."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.installer.helpers import ROOT, load_bundle

APP = ROOT / "desktop_app"


@pytest.fixture(scope="module")
def bundle() -> ModuleType:
    return load_bundle()


def app_modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(APP.rglob("*.py"))]


def imported_names(tree: ast.Module) -> set[str]:
    """Every module name an import statement (anywhere in the file) or a PySide6 string names."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.startswith("PySide6.Qt"):
            names.add(node.value)
    return names


def qt_modules_imported() -> set[str]:
    used = set()
    for _path, tree in app_modules():
        for name in imported_names(tree):
            parts = name.split(".")
            if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt"):
                used.add(parts[1])
    return used


def test_the_app_imports_only_the_qt_modules_the_build_keeps(bundle: ModuleType) -> None:
    used = qt_modules_imported()
    assert {"QtCore", "QtGui", "QtWidgets", "QtPdf"} <= used  # the scan sees them
    assert used <= bundle.QT_MODULES_USED, (
        f"the application imports {sorted(used - bundle.QT_MODULES_USED)}: add it to "
        "QT_MODULES_USED in installer/bundle.py or the frozen program will lack it")


@pytest.mark.parametrize("plant", [False, True])
def test_no_module_the_app_imports_is_excluded(bundle: ModuleType, plant: bool) -> None:
    excluded = bundle.excludes(plant)
    hits = set()
    for path, tree in app_modules():
        for name in imported_names(tree):
            for exclude in excluded:
                if name == exclude or name.startswith(exclude + "."):
                    hits.add(f"{path.relative_to(ROOT)}: {name}")
    allowed = set() if plant else {h for h in hits if h.split(": ")[1].startswith("psycopg")}
    assert hits - allowed == set()


def test_unused_qt_modules_are_excluded(bundle: ModuleType) -> None:
    excluded = set(bundle.excludes(False))
    for name in ("QtWebEngineCore", "QtWebEngineWidgets", "Qt3DCore", "QtMultimedia", "QtQml",
                 "QtQuick", "QtNetwork", "QtDBus", "QtSql", "QtTest"):
        assert f"PySide6.{name}" in excluded
    assert not {f"PySide6.{name}" for name in bundle.QT_MODULES_USED} & excluded


def test_the_postgresql_driver_is_only_in_a_plant_build(bundle: ModuleType) -> None:
    assert "psycopg" in bundle.excludes(False)
    assert "psycopg_binary" in bundle.excludes(False)
    assert "psycopg" not in bundle.excludes(True)
    assert bundle.plant_build({"PARTDESK_PLANT": "1"})
    assert not bundle.plant_build({"PARTDESK_PLANT": "0"})
    assert not bundle.plant_build({})


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a function, or in a try whose handler takes ImportError."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return True
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError",
                                                                "ModuleNotFoundError")
                or isinstance(h.type, ast.Tuple) and any(
                    isinstance(e, ast.Name) and e.id in ("ImportError", "ModuleNotFoundError")
                    for e in h.type.elts)
                for h in node.handlers):
            return True
    return False


def test_the_app_starts_without_the_postgresql_driver() -> None:
    """Outside a plant build psycopg is not frozen in, so no module may import it on load."""
    unguarded = []
    for path, tree in app_modules():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("psycopg", "psycopg_binary", "psycopg_pool")
                   for name in names) and not _guarded(node, parents):
                unguarded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unguarded == [], "import psycopg inside the function that needs it"


def test_dropped_qt_files_take_only_what_they_alone_needed(bundle: ModuleType) -> None:
    needs: dict[str, set[str]] = {
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so":
            {"libqt6virtualkeyboard.so.6", "libqt6quick.so.6", "libqt6core.so.6"},
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6": {"libqt6quick.so.6", "libqt6core.so.6"},
        "PySide6/Qt/lib/libQt6Quick.so.6": {"libqt6qml.so.6", "libqt6gui.so.6"},
        "PySide6/Qt/lib/libQt6Qml.so.6": {"libqt6core.so.6"},
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so": {"libcairo.so.2", "libglib-2.0.so.0"},
        "libcairo.so.2": {"libpixman-1.so.0", "libglib-2.0.so.0"},
        "libpixman-1.so.0": set(),
        "libglib-2.0.so.0": set(),  # also needed by something kept
        "PySide6/Qt/plugins/platforms/libqxcb.so": {"libglib-2.0.so.0", "libqt6gui.so.6"},
        "PySide6/Qt/lib/libQt6Gui.so.6": {"libqt6core.so.6"},
        "PySide6/Qt/lib/libQt6Core.so.6": set(),
        "libpython3.11.so.1.0": set(),  # loaded by the bootloader, linked by nothing
        "PySide6/QtQml.abi3.so": set(),  # an extension module is never an orphan
    }
    dropped = bundle.prune(needs)
    assert dropped == {
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libcairo.so.2", "libpixman-1.so.0",
    }
    # Windows names too
    assert bundle.dropped_binary("PySide6\\opengl32sw.dll")
    assert bundle.dropped_binary("PySide6\\Qt6Quick.dll")
    assert not bundle.dropped_binary("PySide6\\Qt6Pdf.dll")
    assert not bundle.dropped_binary("PySide6/Qt/plugins/platforms/libqoffscreen.so")


def test_qt_translations_of_the_app_languages_are_kept(bundle: ModuleType) -> None:
    languages = bundle.app_languages()
    assert sorted(languages) == ["ar", "en", "fr", "zh"]
    from desktop_app.ui.i18n import LANGUAGES

    assert sorted(languages) == sorted(LANGUAGES)
    keep = bundle.kept_qt_translation
    for kept in ("PySide6/Qt/translations/qtbase_fr.qm", "PySide6/Qt/translations/qtbase_ar.qm",
                 "PySide6/translations/qtbase_zh_CN.qm", "PySide6\\translations\\qtbase_en.qm",
                 "resources/i18n/partdesk_fr.qm", "PySide6/Qt/lib/libQt6Core.so.6"):
        assert keep(kept, languages), kept
    for left in ("PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qt_fr.qm",
                 "PySide6/Qt/translations/qt_help_fr.qm", "PySide6/translations/qtbase_ja.qm"):
        assert not keep(left, languages), left


def test_the_data_files_hold_the_resources_and_migrations_but_no_sources(
        bundle: ModuleType) -> None:
    destinations = {(Path(src).name, dest) for src, dest in bundle.data_files()}
    assert ("partdesk_fr.qm", str(Path("resources/i18n"))) in destinations
    assert ("partdesk.ico", str(Path("resources/icons"))) in destinations
    assert ("env.py", str(Path("db/migrations"))) in destinations
    assert not [name for name, _dest in destinations if name.endswith((".ts", ".pyc"))]


class _Recorded:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs


def test_the_windows_version_resource_is_pyinstallers_format(bundle: ModuleType) -> None:
    """PyInstaller reads the file with eval() against its own classes; here against stand-ins
    with the same names and arguments."""
    text = bundle.version_resource_text("partdeskw", "PartDesk", "1.2.3rc1")
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    info = eval(text, {name: type(name, (_Recorded,), {}) for name in names})  # noqa: S307
    ffi = info.kwargs["ffi"].kwargs
    assert ffi["filevers"] == ffi["prodvers"] == (1, 2, 3, 0)
    table = info.kwargs["kids"][0].args[0][0]
    strings = {s.args[0]: s.args[1] for s in table.args[1]}
    assert strings["ProductVersion"] == "1.2.3rc1"
    assert strings["ProductName"] == "PartDesk"
    assert strings["OriginalFilename"] == "partdeskw.exe"
    assert bundle.version_quad("0.1.0") == (0, 1, 0, 0)
    assert bundle.version_quad("2.10") == (2, 10, 0, 0)
    with pytest.raises(ValueError):
        bundle.version_quad("70000.1")


def test_the_package_version_is_pyprojects(bundle: ModuleType) -> None:
    import desktop_app

    assert desktop_app.__version__ == bundle.version()


def test_the_two_programs_differ_by_more_than_case(bundle: ModuleType) -> None:
    # Windows file names ignore case: PartDesk.exe and partdesk.exe would be one file.
    assert bundle.CONSOLE_NAME.lower() != bundle.WINDOWED_NAME.lower()
    spec = (ROOT / "installer" / "partdesk.spec").read_text(encoding="utf-8")
    assert "console=True" in spec and "console=False" in spec
    nsi = (ROOT / "installer" / "partdesk.nsi").read_text(encoding="utf-8")
    assert f'!define WINDOWED_EXE "{bundle.WINDOWED_NAME}.exe"' in nsi
    assert f'!define CONSOLE_EXE "{bundle.CONSOLE_NAME}.exe"' in nsi


def test_the_icon_has_every_size(bundle: ModuleType, qapp: Any) -> None:
    from PySide6.QtGui import QIcon

    assert bundle.ICON.exists()
    icon = QIcon(str(bundle.ICON))
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 24, 32, 48, 256} <= sizes
    from PIL import Image

    with Image.open(bundle.ICON) as ico:
        assert {16, 32, 48, 256} <= {w for w, _h in ico.info["sizes"]}
