"""Corpus deduplication on Ray Data: :mod:`textforensics.duplicates.ray`, under the name
the documentation and users import (``from textforensics.ray import find_duplicates``).

Needs the extra: ``pip install 'textforensics[ray]'``. ``import textforensics`` never
imports this module (nor Ray).
"""

from __future__ import annotations

from .duplicates.ray import (
    OUTPUT_COLUMNS,
    RayDedupStats,
    find_duplicates,
    find_duplicates_with_stats,
)

__all__ = ["OUTPUT_COLUMNS", "RayDedupStats", "find_duplicates", "find_duplicates_with_stats"]
