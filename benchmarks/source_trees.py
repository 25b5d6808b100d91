"""Import the ``textforensics`` package of a given source tree, for benchmarks that time
two versions in one process (``ab_homoglyphs.py``, ``ab_boilerplate.py``): the modules
of a tree imported before stay referenced by what the caller kept, and the next tree is
imported fresh under the same package name."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType


def import_tree(src: str) -> ModuleType:
    """The ``textforensics`` package of the source tree ``src`` (exits when the package
    was found elsewhere)."""
    for key in [k for k in sys.modules if k == "textforensics" or k.startswith("textforensics.")]:
        del sys.modules[key]
    sys.path.insert(0, src)
    try:
        module = importlib.import_module("textforensics")
    finally:
        sys.path.remove(src)
    if not str(Path(module.__file__ or "")).startswith(str(Path(src).resolve())):
        raise SystemExit(f"textforensics was not imported from {src}: {module.__file__}")
    return module
