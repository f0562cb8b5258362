"""`python -m desktop_app.ui.i18n_build` (`make translations`): refresh the Qt Linguist files.

1. `pyside6-lupdate` extracts every marked string of `desktop_app/**/*.py`: `self.tr(...)`,
   `QT_TRANSLATE_NOOP(context, text)` and `QCoreApplication.translate(context, text)`. lupdate
   misreads our two helpers, `tr(context, text)` (desktop_app.ui.i18n) and the command line's
   `cli.tr(text, context="Cli")`, as `tr(text, disambiguation)`: those misreadings are dropped
   and the helpers' calls are read from the Python syntax tree instead.
2. The messages are merged into `resources/i18n/partdesk_<code>.ts`: translations already made
   are kept, new messages are added unfinished, messages no longer in the code are marked vanished.
3. `pyside6-lrelease` compiles each `.ts` to the `.qm` the application loads.

Counts are numerus messages (`tr_n(context, "%Ln parts", n)`, `cli.tr_n(...)`): each language has
its plural forms (French 2, Arabic 6, Chinese 1). English, the source language, gets a catalogue of
its numerus messages only (`partdesk_en.ts`, "1 part" / "%Ln parts"), as Qt Linguist's
`-pluralonly` does.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.paths import app_root
from desktop_app.ui.i18n import LANGUAGES, SOURCE_LANGUAGE, i18n_dir

TARGETS = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
CATALOGUES = [*TARGETS, SOURCE_LANGUAGE]  # the source language's holds its plural forms only
QT_LANGUAGE = {"fr": "fr_FR", "ar": "ar", "zh": "zh_CN", "en": "en"}
PLURAL_FORMS = {"fr": 2, "ar": 6, "zh": 1, "en": 2}  # Qt's plural rules of each language

Key = tuple[str, str, str]  # context, source, comment


@dataclass
class Message:
    context: str
    source: str
    comment: str = ""
    locations: list[tuple[str, str]] = field(default_factory=list)
    translation: str = ""
    kind: str = "unfinished"  # "" (finished), "unfinished", "vanished"
    numerus: bool = False
    forms: list[str] = field(default_factory=list)  # a numerus message's translated forms

    @property
    def key(self) -> Key:
        return (self.context, self.source, self.comment)


def tool(name: str) -> str:
    """A Qt tool from the virtual environment that runs this Python, else from PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials (make test sets it up)")
    return found


def source_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def read_ts(path: Path) -> dict[Key, Message]:
    messages: dict[Key, Message] = {}
    if not path.exists():
        return messages
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for node in context.iter("message"):
            translation = node.find("translation")
            forms = ([form.text or "" for form in translation.iter("numerusform")]
                     if translation is not None else [])
            message = Message(
                context=name, source=node.findtext("source") or "",
                comment=node.findtext("comment") or "",
                locations=[(loc.get("filename", ""), loc.get("line", ""))
                           for loc in node.iter("location")],
                # a numerus message's translation is its forms; its own text is only indentation
                translation=((translation.text or "") if translation is not None
                             and node.get("numerus") != "yes" else ""),
                kind=translation.get("type", "") if translation is not None else "unfinished",
                numerus=node.get("numerus") == "yes", forms=forms,
            )
            messages[message.key] = message
    return messages


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def helper_calls(path: Path) -> list[Message]:
    """`tr("Context", "text")` and `tr_n("Context", "text", n)` anywhere, and
    `cli.tr("text"[, "Context"])` / `cli.tr_n("text", n[, "Context"])` in the CLI."""
    found: list[Message] = []
    in_cli = "cli" in path.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func, args = node.func, node.args
        location = [(str(path), str(node.lineno))]
        if isinstance(func, ast.Name) and func.id in ("tr", "tr_n") and len(args) >= 2:
            context, text = _string(args[0]), _string(args[1])
            if context and text:
                found.append(Message(context, text, locations=location,
                                     numerus=func.id == "tr_n"))
        elif (in_cli and isinstance(func, ast.Attribute) and func.attr in ("tr", "tr_n") and args
              and not (isinstance(func.value, ast.Name) and func.value.id == "self")):
            numerus = func.attr == "tr_n"
            text = _string(args[0])
            keyword = next((k.value for k in node.keywords if k.arg == "context"), None)
            positional = 2 if numerus else 1
            context = _string(args[positional] if len(args) > positional else keyword) or "Cli"
            if text:
                found.append(Message(context, text, locations=location, numerus=numerus))
    return found


def _add(found: dict[Key, Message], message: Message) -> None:
    if message.key in found:
        for loc in message.locations:
            if loc not in found[message.key].locations:
                found[message.key].locations.append(loc)
    else:
        found[message.key] = message


def extract(files: list[Path], out_dir: Path) -> dict[Key, Message]:
    """lupdate, then the helpers' calls; locations are absolute paths."""
    found: dict[Key, Message] = {}
    with tempfile.TemporaryDirectory() as tmp:
        list_file = Path(tmp) / "files.lst"
        list_file.write_text("\n".join(str(f) for f in files), encoding="utf-8")
        ts = Path(tmp) / "extract.ts"
        subprocess.run([tool("pyside6-lupdate"), "-locations", "absolute", "-no-obsolete",
                        f"@{list_file}", "-ts", str(ts)],
                       check=True, capture_output=True, text=True)
        for message in read_ts(ts).values():
            # An empty context, or "cli" (the `cli.tr` helper read as a class called cli), is a
            # helper call lupdate misread; helper_calls() below reads those with their context.
            if message.context and message.context != "cli":
                message.locations = [(str((ts.parent / f).resolve()) if not os.path.isabs(f)
                                      else f, line) for f, line in message.locations]
                _add(found, message)
    for path in files:
        for message in helper_calls(path):
            _add(found, message)
    return found


def merge(extracted: dict[Key, Message], existing: dict[Key, Message],
          plural_forms: int = 2) -> list[Message]:
    merged: list[Message] = []
    for key, message in extracted.items():
        old = existing.get(key)
        if message.numerus:
            forms = old.forms if old is not None and old.numerus else []
            message.forms = forms
            done = len(forms) == plural_forms and all(f.strip() for f in forms)
            message.kind = ("" if done and old is not None
                            and old.kind in ("", "vanished", "obsolete") else "unfinished")
        elif old is not None and old.translation:
            message.translation = old.translation
            message.kind = "" if old.kind in ("", "vanished", "obsolete") else old.kind
        else:
            message.translation, message.kind = "", "unfinished"
        merged.append(message)
    for key, old in existing.items():
        if key not in extracted and (old.translation or any(old.forms)):
            old.kind, old.locations = "vanished", []
            merged.append(old)
    return merged


def write_ts(path: Path, code: str, messages: list[Message]) -> None:
    by_context: dict[str, list[Message]] = defaultdict(list)
    for message in messages:
        by_context[message.context].append(message)
    root = ET.Element("TS", version="2.1", language=QT_LANGUAGE.get(code, code),
                      sourcelanguage=SOURCE_LANGUAGE)
    for context in sorted(by_context):
        ctx_node = ET.SubElement(root, "context")
        ET.SubElement(ctx_node, "name").text = context
        for message in sorted(by_context[context], key=lambda m: (m.source, m.comment)):
            node = ET.SubElement(ctx_node, "message")
            if message.numerus:
                node.set("numerus", "yes")
            for filename, line in sorted(message.locations):
                ET.SubElement(node, "location", filename=filename, line=line)
            ET.SubElement(node, "source").text = message.source
            if message.comment:
                ET.SubElement(node, "comment").text = message.comment
            translation = ET.SubElement(node, "translation")
            if message.kind:
                translation.set("type", message.kind)
            if message.numerus:
                forms = message.forms or [""] * PLURAL_FORMS.get(code, 2)
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = message.translation
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def relative_locations(messages: dict[Key, Message], base: Path) -> None:
    for message in messages.values():
        message.locations = [(os.path.relpath(f, base) if os.path.isabs(f) else f, line)
                             for f, line in message.locations]


def build(languages: list[str] | None = None, out_dir: Path | None = None) -> list[Path]:
    root = app_root()
    out = out_dir or i18n_dir()
    out.mkdir(parents=True, exist_ok=True)
    extracted = extract(source_files(root / "desktop_app"), out)
    relative_locations(extracted, out)
    written = []
    for code in languages or CATALOGUES:
        ts = out / f"partdesk_{code}.ts"
        fresh = {k: Message(m.context, m.source, m.comment, list(m.locations), numerus=m.numerus)
                 for k, m in extracted.items()
                 if m.numerus or code != SOURCE_LANGUAGE}
        messages = merge(fresh, read_ts(ts), PLURAL_FORMS.get(code, 2))
        write_ts(ts, code, messages)
        qm = ts.with_suffix(".qm")
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                       check=True, capture_output=True, text=True)
        done = sum(1 for m in messages if not m.kind)
        todo = sum(1 for m in messages if m.kind == "unfinished")
        print(f"{ts.name}: {done} translated, {todo} to translate")
        written += [ts, qm]
    odd = sorted({m.context for m in extracted.values() if "." in m.context})
    if odd:
        print("lupdate lost the class of these messages (use tr(context, text) instead of "
              f"QCoreApplication.translate before self.tr in one method): {', '.join(odd)}")
    return written


def main() -> int:
    build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
