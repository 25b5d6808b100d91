"""``textforensics compare``: two files, one verdict, the aligned passages."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Comparison, JSONValue
from .config import Config
from .output import json_header

__all__ = ["FileComparison", "compare_texts"]


@dataclass(frozen=True, slots=True)
class FileComparison:
    """The comparison of files ``a`` and ``b``; ``duplicate`` when the configuration
    counts its verdict and score as a duplicate (exit code 1)."""

    a: str
    b: str
    result: Comparison
    duplicate: bool

    def to_json(self) -> dict[str, JSONValue]:
        return {
            **json_header("compare"),
            "a": self.a,
            "b": self.b,
            "comparison": self.result.to_dict(),
        }


def compare_texts(a: str, b: str, text_a: str, text_b: str, cfg: Config) -> FileComparison:
    """Compare the texts of files ``a`` and ``b``."""
    from ..duplicates import compare  # lazy: one-shot scan/fix runs never need it

    result = compare(text_a, text_b)
    duplicate = str(result.verdict) in cfg.dupes_verdicts and (
        float(result.score) >= cfg.dupes_min_score
    )
    return FileComparison(a=a, b=b, result=result, duplicate=duplicate)
