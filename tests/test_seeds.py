"""The seed documents are the project's fixed reference inputs."""

from __future__ import annotations

import hashlib

from conftest import SEEDS_DIR, SHARED


def test_four_seeds_present(seeds: dict[str, str]) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003"]


def test_seeds_are_verbatim_copies() -> None:
    # Byte-for-byte equal to ../shared/seeds where it exists, and to recorded digests always.
    shared = SHARED / "seeds"
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        data = path.read_bytes()
        if shared.exists():
            assert data == (shared / path.name).read_bytes(), path.name
        assert hashlib.sha256(data).hexdigest() == RECORDED[path.name], path.name


RECORDED: dict[str, str] = {
    "000_e24c687f99629c40.txt": "0595033c8781974c8481d50d5fd2151ca2f544e6c941d42a3da31f1169e3012d",
    "001_2afef02959bb14f6.txt": "9c008074687a8744452578629b4bf1e246d732d036c7eaa70a645e5e8359500b",
    "002_9f7163c5ebb98ed7.txt": "300039f4cfcfc71b4ede41bfdf18fbd2943594e685ea707bc0a00f1987dae279",
    "003_6e31b260f6370446.txt": "885c6171a121069e0bcaf4f634489e5d7a0487dbc0e32be635e4d0f4e147d7db",
}
