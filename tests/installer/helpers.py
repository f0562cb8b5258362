"""What the installer tests share: installer/bundle.py loaded as a module, and a YAML reader.

The YAML reader takes PyYAML from the test environment, else from the Python the environment was
made from (it has PyYAML on the project's machines), else reads the block-style subset the
workflow is written in (mappings, lists, quoted and plain scalars, `[a, b]`, `|` blocks), so the
workflow is checked everywhere."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def load_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partdesk_bundle", INSTALLER / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pyyaml_load(path: Path) -> Any | None:
    """The file as PyYAML reads it, or None where no PyYAML can be found."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        pass
    else:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    base = getattr(sys, "_base_executable", None)
    if base and Path(base).exists():
        code = ("import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], "
                "encoding='utf-8')), sys.stdout)")
        result = subprocess.run([base, "-c", code, str(path)], capture_output=True, text=True,
                                timeout=60)
        if result.returncode == 0:
            return json.loads(result.stdout)
    return None


def load_yaml(path: Path) -> Any:
    data = pyyaml_load(path)
    return subset_load(path.read_text(encoding="utf-8")) if data is None else data


# -- the block-style subset ---------------------------------------------------------------------

class YamlSubsetError(ValueError):
    pass


def _strip_comment(text: str) -> str:
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _scalar(text: str) -> Any:
    text = _strip_comment(text).strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return json.loads(text)
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_scalar(part) for part in inner.split(",")] if inner else []
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    if text in ("", "null", "~"):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def subset_load(text: str) -> Any:
    if "\t" in text:
        raise YamlSubsetError("a tab in the indentation")
    raw = text.splitlines()

    def significant(i: int) -> int:
        while i < len(raw) and (not raw[i].strip() or raw[i].lstrip().startswith("#")):
            i += 1
        return i

    def indent_of(i: int) -> int:
        return len(raw[i]) - len(raw[i].lstrip(" "))

    def block_scalar(i: int, parent_indent: int) -> tuple[str, int]:
        lines: list[str] = []
        while i < len(raw) and (not raw[i].strip() or indent_of(i) > parent_indent):
            lines.append(raw[i])
            i += 1
        while lines and not lines[-1].strip():
            lines.pop()
        cut = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
        return "\n".join(x[cut:] for x in lines) + "\n", i

    def key_value(content: str) -> tuple[str, str]:
        match = re.match(r"""^("[^"]*"|'[^']*'|[^:#'"][^:#]*?)\s*:(?:\s+(.*)|$)""", content)
        if not match:
            raise YamlSubsetError(f"not a key: {content!r}")
        key = match.group(1)
        return str(_scalar(key)), match.group(2) or ""

    def value_after(rest: str, i: int, indent: int) -> tuple[Any, int]:
        """The value of a key whose line ends at `rest`; i is the next line."""
        if _strip_comment(rest).strip() in ("|", "|-", ">"):
            return block_scalar(i, indent)
        if _strip_comment(rest).strip():
            return _scalar(rest), i
        j = significant(i)
        if j < len(raw) and (indent_of(j) > indent
                             or (indent_of(j) == indent and raw[j].lstrip().startswith("- "))):
            return parse(j, indent_of(j))
        return None, i

    def parse(i: int, indent: int) -> tuple[Any, int]:
        i = significant(i)
        if raw[i].lstrip().startswith("- ") or raw[i].strip() == "-":
            items: list[Any] = []
            while i < len(raw) and indent_of(i) == indent and raw[i].lstrip().startswith("-"):
                content = raw[i].lstrip()[1:].lstrip()
                if not content:
                    value, i = parse(i + 1, indent_of(significant(i + 1)))
                elif re.match(r"""^("[^"]*"|'[^']*'|[\w.$-]+)\s*:(\s|$)""", content):
                    raw[i] = " " * (indent + 2) + content  # the item's first key, as a mapping
                    value, i = parse(i, indent + 2)
                else:
                    value, i = _scalar(content), i + 1
                items.append(value)
                i = significant(i)
            return items, i
        mapping: dict[str, Any] = {}
        while i < len(raw) and indent_of(i) == indent and not raw[i].lstrip().startswith("- "):
            key, rest = key_value(raw[i].strip())
            mapping[key], i = value_after(rest, i + 1, indent)
            i = significant(i)
        if i < len(raw) and indent_of(i) > indent:
            raise YamlSubsetError(f"line {i + 1}: unexpected indentation")
        return mapping, i

    value, end = parse(0, 0)
    if significant(end) < len(raw):
        raise YamlSubsetError(f"line {end + 1}: not read")
    return value
