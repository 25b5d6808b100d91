"""Import the ``textforensics`` package of a given source tree, for benchmarks that time
two versions in one process (``ab_homoglyphs.py``, ``ab_boilerplate.py``).

Without ``alias``, the modules of a tree imported before stay referenced by what the
caller kept, and the next tree is imported fresh under the same package name. That does
not keep two trees apart: a name the package resolves when first read (``lazy.py``) or a
module imported inside a function (``from .. import strip_boilerplate``) is looked up in
``sys.modules`` when called, and finds the tree imported last. With ``alias`` the tree is
imported under that package name instead, so that every relative import of its modules
stays inside it (the package data, ``textforensics.data``, is read from the tree imported
under the real name; it must be the same in both)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def import_tree(src: str, alias: str | None = None) -> ModuleType:
    """The ``textforensics`` package of the source tree ``src`` (exits when the package
    was found elsewhere), imported as ``alias`` when given."""
    if alias is not None:
        init = Path(src).resolve() / "textforensics" / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            alias, init, submodule_search_locations=[str(init.parent)]
        )
        if spec is None or spec.loader is None:
            raise SystemExit(f"no textforensics package in {src}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[alias] = module
        spec.loader.exec_module(module)
        return module
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
