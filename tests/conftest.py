"""Shared fixtures and the hypothesis profiles.

Profiles: ``dev`` (default, quick), ``ci`` (selected when the ``CI`` environment variable
is set: more examples, derandomized so a CI run is reproducible, no deadline), and
``thorough`` (``HYPOTHESIS_PROFILE=thorough``, for long local runs), and ``seeded``
(random, for CI's second pass seeded from the commit).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
# CI's second pass over the property tests: random (seeded from the commit by scripts/test.sh,
# e.g. --hypothesis-seed=N), so a new failure surfaces in CI and replays with that seed.
settings.register_profile(
    "seeded",
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
_default_profile = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or _default_profile)


def _seed_texts() -> dict[str, str]:
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The four seed documents, keyed '000'..'003'."""
    return _seed_texts()


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS_DIR.glob("*.txt"))}


def shared_path(*parts: str) -> Path:
    """A path in ../shared; skips where it is absent (a user's checkout), fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, but CI always has ../shared beside the clone")
        pytest.skip(f"{path} is absent (../shared is only beside the project's own checkout)")
    return path
