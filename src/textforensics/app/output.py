"""What every command of the application layer shares: the JSON output header, usage
errors, and the interface through which input problems reach the command line (which
alone prints them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from .. import __version__
from .files import InputError

if TYPE_CHECKING:
    from ..results import JSONValue

__all__ = [
    "GITHUB_LEVELS",
    "JSON_SCHEMA_VERSION",
    "Reporter",
    "UsageError",
    "github_annotation",
    "json_header",
    "parse_selectors",
    "selectors",
    "statistics_lines",
]

JSON_SCHEMA_VERSION = 1
"""The ``version`` field of ``--format json`` output; bumped on incompatible changes."""


class UsageError(Exception):
    """A bad command line or configuration: exit 2."""


class Reporter(Protocol):
    """Receives input problems as they happen (the command line prints them at once)."""

    def input_error(self, exc: InputError) -> None:
        """An unreadable, binary or badly encoded input (fatal or skipped)."""

    def error(self, path: str, reason: str, message: str) -> None:
        """A fatal problem with one file that is not an :class:`InputError`."""


def json_header(command: str) -> dict[str, JSONValue]:
    """The first fields of every ``--format json`` document."""
    return {
        "version": JSON_SCHEMA_VERSION,
        "tool": "textforensics",
        "tool_version": __version__,
        "command": command,
    }


# --- ruff-like output control ------------------------------------------------------------


def selectors() -> tuple[str, ...]:
    """Every value ``--select``/``--ignore`` accept: rule codes, finding kinds and
    boilerplate kinds (from the vocabulary, so a new kind is accepted at once)."""
    from ..vocab import BOILERPLATE_KINDS, HOMOGLYPH_KINDS
    from .report import RULES

    return tuple(sorted(RULES)) + tuple(HOMOGLYPH_KINDS) + ("boilerplate", *BOILERPLATE_KINDS)


def parse_selectors(option: str, values: Sequence[str] | None) -> frozenset[str]:
    """The codes/kinds of repeated, comma-separated ``values``; a :class:`UsageError`
    naming the valid values for anything unknown (a typo must not silently select
    nothing)."""
    found = frozenset(v.strip() for raw in values or () for v in raw.split(",") if v.strip())
    valid = selectors()
    bad = sorted(found - set(valid))
    if bad:
        raise UsageError(
            f"{option}: unknown code or kind {', '.join(map(repr, bad))}; "
            f"valid values: {', '.join(valid)}"
        )
    return found


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_annotation(
    path: str,
    line: int,
    column: int,
    message: str,
    *,
    title: str = "",
    level: str = "warning",
    end_line: int | None = None,
    end_column: int | None = None,
) -> str:
    """One GitHub Actions workflow command (``::warning file=…,line=…,col=…::message``),
    escaped as the runner expects."""
    props = [f"file={_gh_escape(path, prop=True)}", f"line={line}", f"col={column}"]
    if end_line is not None:
        props.append(f"endLine={end_line}")
    if end_column is not None:
        props.append(f"endColumn={end_column}")
    if title:
        props.append(f"title={_gh_escape(title, prop=True)}")
    return f"::{level} {','.join(props)}::{_gh_escape(message)}"


GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
"""Finding severity -> workflow command."""


def statistics_lines(counts: Mapping[tuple[str, str], int]) -> list[str]:
    """``--statistics``: one line per (code, kind), most frequent first, as ruff does."""
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(str(n)) for n in counts.values()), default=1)
    return [f"{n:>{width}}\t{code}\t{kind}" for (code, kind), n in rows]
