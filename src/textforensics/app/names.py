"""``textforensics names``: check names against a list of protected names (NameGuard)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..homoglyphs.names import NameGuard, NameGuardFileError
from ..results import JSONValue, NameMatch
from .files import InputError, read_text
from .output import UsageError, json_header

__all__ = ["NameCheck", "NameReport", "check_names", "load_guard", "split_names"]


def split_names(text: str) -> list[str]:
    """One name per line; line ends and surrounding whitespace removed, blank lines and
    lines starting with ``#`` skipped."""
    names = (line.strip() for line in text.splitlines())
    return [name for name in names if name and not name.startswith("#")]


def load_guard(path: str, *, max_chars: int | None = None) -> NameGuard:
    """The guard of ``path``: a guard saved by :meth:`NameGuard.save`, or a text file of
    protected names, one per line. :class:`UsageError` when it cannot be read."""
    try:
        if zipfile.is_zipfile(path):
            return NameGuard.load(path)
        text, _ = read_text(path, max_chars=max_chars)
    except NameGuardFileError as exc:
        raise UsageError(str(exc)) from None
    except InputError as exc:
        raise UsageError(f"{exc.path}: {exc.detail}") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    return NameGuard(split_names(text))


@dataclass(frozen=True, slots=True)
class NameCheck:
    """One checked name and its matches (empty when safe)."""

    name: str
    matches: tuple[NameMatch, ...]


@dataclass(frozen=True, slots=True)
class NameReport:
    """Every checked name, in input order."""

    protect: str
    protected: int
    checks: tuple[NameCheck, ...]

    @property
    def found(self) -> bool:
        return any(c.matches for c in self.checks)

    def to_json(self) -> dict[str, JSONValue]:
        return {
            **json_header("names"),
            "protect": self.protect,
            "protected": self.protected,
            "names": [
                {"name": c.name, "matches": [m.to_dict() for m in c.matches]} for c in self.checks
            ],
        }


def check_names(guard: NameGuard, protect: str, names: Iterable[str]) -> NameReport:
    """Check ``names`` against ``guard`` (built from the file ``protect``)."""
    todo: Sequence[str] = list(names)
    results = guard.check_many(todo)
    checks = tuple(NameCheck(n, m) for n, m in zip(todo, results, strict=True))
    return NameReport(protect=protect, protected=len(guard), checks=checks)
