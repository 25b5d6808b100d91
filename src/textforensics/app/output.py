"""What every command of the application layer shares: the JSON output header, usage
errors, and the interface through which input problems reach the command line (which
alone prints them)."""

from __future__ import annotations

from typing import Protocol

from .. import __version__
from ..results import JSONValue
from .files import InputError

__all__ = ["JSON_SCHEMA_VERSION", "Reporter", "UsageError", "json_header"]

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
