"""Command-line configuration: ``[tool.textforensics]`` in the nearest ``pyproject.toml``,
and inline ``textforensics: ignore[kind]`` comments (the baseline is in
:mod:`textforensics.app.baseline`).

Configuration keys (all optional; dashes or underscores)::

    [tool.textforensics]
    ignore = ["mixed_numbers", "TF104"]   # kinds or rule codes never reported
    allowed-scripts = ["Cyrillic"]        # characters of these scripts are never flagged
    min-severity = "warning"              # info | warning | error: report from this level
    include = ["*.md", "*.txt"]           # globs kept when directories are walked
    exclude = ["vendor/", "*.min.js"]     # globs dropped (files or whole directories)
    boilerplate = false                   # scan also reports boilerplate blocks
    baseline = ".textforensics-baseline.json"
    index = ".textforensics-index"        # DuplicateIndex that `dupes` checks against
    dupes-min-score = 0.0                 # report duplicate pairs scoring at least this
    dupes-verdicts = ["identical", "near_copy", "rewrite"]
    max-chars = 67108864                  # longest file read whole (dupes, strip, compare)
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ..vocab import REPORTED_VERDICTS, SEVERITIES, VERDICTS, Severity

if TYPE_CHECKING:
    import regex

    from .report import Located

__all__ = [
    "Config",
    "ConfigError",
    "find_pyproject",
    "inline_ignores",
    "is_inline_ignored",
    "load_config",
]


class ConfigError(Exception):
    """A configuration or baseline file that cannot be used (a usage error, exit 2)."""


class Config(NamedTuple):
    """Settings after merging ``pyproject.toml`` and the command line (pass them by
    keyword). A NamedTuple rather than a frozen dataclass: ``dataclasses`` costs a
    one-shot command a sizeable share of its start-up."""

    ignore: frozenset[str] = frozenset()
    allowed_scripts: frozenset[str] = frozenset()
    min_severity: Severity = "warning"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    boilerplate: bool = False
    baseline: str | None = None
    index_path: str | None = None  # the setting ``index`` (a tuple has an index method)
    dupes_min_score: float = 0.0
    dupes_verdicts: tuple[str, ...] = REPORTED_VERDICTS
    max_chars: int = 64 * 1024 * 1024
    source: str | None = None

    def ignores(self, kind: str, code: str) -> bool:
        return kind in self.ignore or code in self.ignore

    def with_overrides(self, **changes: Any) -> Config:
        return self._replace(**{k: v for k, v in changes.items() if v is not None})


def find_pyproject(start: str | os.PathLike[str] | None = None) -> str | None:
    """The nearest ``textforensics.toml``, ``.textforensics.toml`` or ``pyproject.toml``
    (in this order within a directory) in ``start`` (default: the current directory) or a
    parent directory."""
    # With os.path, as Path(start).resolve(), its parents and Path.is_file do, without
    # pathlib's import (a one-shot run need not pay for it).
    directory = os.path.realpath(start or os.getcwd())
    while True:
        for name in (*CONFIG_NAMES, "pyproject.toml"):  # the nearest directory wins
            candidate = os.path.join(directory, name)
            if _is_file(candidate):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _is_file(path: str) -> bool:
    """``Path(path).is_file()``: False where it does not exist, errors it does not ignore
    raised."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise
    except ValueError:
        return False


CONFIG_NAMES = ("textforensics.toml", ".textforensics.toml")
"""Files holding the settings at top level (the keys of ``[tool.textforensics]``)."""


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(
        f"[tool.textforensics] {key} must be a string or a list of strings, not {_shown(value)}"
    )


def _shown(value: Any) -> str:
    """A configuration value as the message shows it (clipped)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _inside_repository(file: str | os.PathLike[str], key: str, value: str) -> str:
    """``value`` (a path from the file at ``file``) resolved against the file's directory,
    refused when it leads outside that directory: a cloned repository's configuration must
    not make a run write elsewhere."""
    from pathlib import Path  # lazy: only a file that names a path needs it

    path = Path(file)
    base = path.parent.resolve()
    target = (base / value).resolve()
    if target != base and base not in target.parents:
        raise ConfigError(
            f"{path}: {key} = {_shown(value)} is outside the repository ({base}); "
            "use a path inside it"
        )
    return str(path.parent / value)


_KEYS = (
    "ignore",
    "allowed-scripts",
    "min-severity",
    "include",
    "exclude",
    "boilerplate",
    "baseline",
    "index",
    "dupes-min-score",
    "dupes-verdicts",
    "max-chars",
)


def load_config(path: str | os.PathLike[str] | None) -> Config:
    """Read ``[tool.textforensics]`` from ``path`` (defaults when None or absent).

    Relative paths in the file (baseline, index) are taken relative to its directory and
    must stay inside it. Every key has a type and a range: anything else (and a file that
    is not UTF-8 TOML) raises :class:`ConfigError` naming the key and the valid values.
    """
    if path is None:
        return Config()
    # tomllib only when there is a file to read (a one-shot run without one skips it).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            raw = f.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > _MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {_MAX_CONFIG_BYTES:,} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 (invalid byte at offset {exc.start}); TOML files are UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    if os.path.basename(os.fspath(path)) in CONFIG_NAMES:  # (Path(path).name)
        # textforensics.toml / .textforensics.toml: the settings at top level.
        section: Any = data
    else:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(
                f"{path}: tool must be a table ([tool.textforensics]), not {_shown(tool)}"
            )
        section = tool.get("textforensics")
    if section is None:
        return Config()
    if not isinstance(section, dict):
        raise ConfigError(
            f"{path}: tool.textforensics must be a table ([tool.textforensics]), "
            f"not {_shown(section)}"
        )
    values: dict[str, Any] = {"source": str(path)}
    for raw_key, value in section.items():
        key = raw_key.replace("-", "_")
        if key == "ignore":
            values["ignore"] = frozenset(_strings(raw_key, value))
        elif key == "allowed_scripts":
            values["allowed_scripts"] = frozenset(_strings(raw_key, value))
        elif key in ("include", "exclude"):
            values[key] = _strings(raw_key, value)
        elif key == "min_severity":
            if not isinstance(value, str) or value not in SEVERITIES:
                raise ConfigError(
                    f"{path}: min-severity must be one of {', '.join(SEVERITIES)}, "
                    f"not {_shown(value)}"
                )
            values[key] = value
        elif key == "boilerplate":
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: boilerplate must be true or false, not {_shown(value)}")
            values[key] = value
        elif key in ("baseline", "index"):
            if not isinstance(value, str) or not value or "\0" in value:
                raise ConfigError(
                    f"{path}: {raw_key} must be a path (a non-empty string), not {_shown(value)}"
                )
            values["index_path" if key == "index" else key] = _inside_repository(
                path, raw_key, value
            )
        elif key == "dupes_min_score":
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= 1
            ):
                raise ConfigError(
                    f"{path}: dupes-min-score must be a number in [0, 1], not {_shown(value)}"
                )
            values[key] = float(value)
        elif key == "dupes_verdicts":
            verdicts = _strings(raw_key, value)
            bad = [v for v in verdicts if v not in VERDICTS]
            if bad:
                raise ConfigError(
                    f"{path}: unknown verdict {bad[0]!r} in dupes-verdicts "
                    f"(valid: {', '.join(VERDICTS)})"
                )
            values[key] = verdicts
        elif key == "max_chars":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(
                    f"{path}: max-chars must be a positive integer, not {_shown(value)}"
                )
            values[key] = value
        else:
            raise ConfigError(
                f"{path}: unknown key {_shown(raw_key)} in [tool.textforensics] "
                f"(valid: {', '.join(_KEYS)})"
            )
    return Config(**values)


# --- inline comments -----------------------------------------------------------------------


@cache
def _ignore_re() -> regex.Pattern[str]:
    # Compiled when a line first mentions textforensics (two threads may compile it twice,
    # the same pattern: harmless).
    import regex

    return regex.compile(r"textforensics:\s*ignore(?:\[([^\]\n]{0,200})\])?", regex.I)


def inline_ignores(line: str) -> frozenset[str] | None:
    """Kinds/codes a ``textforensics: ignore[kind, ...]`` comment on ``line`` suppresses:
    None when there is no such comment, ``{"*"}`` for a bare ``textforensics: ignore``."""
    if "textforensics" not in line.lower():
        return None
    found: set[str] = set()
    for m in _ignore_re().finditer(line):
        inner = m.group(1)
        if inner is None:
            return frozenset({"*"})
        found.update(part.strip() for part in inner.split(",") if part.strip())
    return frozenset(found) if found else None


def is_inline_ignored(item: Located, line: str) -> bool:
    kinds = inline_ignores(line)
    if kinds is None:
        return False
    return "*" in kinds or item.kind in kinds or item.code in kinds
