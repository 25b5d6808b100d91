"""NameGuard: protected names, the look-alike techniques, save/load, threads, the CLI."""

from __future__ import annotations

import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import run
from textforensics import NameGuard, NameMatch
from textforensics.homoglyphs import NameGuardFileError, name_keys
from textforensics.tables import confusable_prototypes
from textforensics.vocab import NAME_MATCH_KINDS

PROTECTED = [
    "paypal",
    "microsoft",
    "google",
    "megadata",
    "sara",
    "stripe",
    "ibm",
    "github",
    "wikipedia",
    "adobe",
]


@pytest.fixture(scope="module")
def guard() -> NameGuard:
    return NameGuard(PROTECTED)


MUST_MATCH = [
    ("p\u0430ypal", "paypal", "skeleton", ((1, 2),)),
    ("paypa1", "paypal", "ascii_lookalike", ((5, 6),)),
    ("paypaI", "paypal", "ascii_lookalike", ((5, 6),)),
    ("pay\u202epal", "paypal", "bidi", ((3, 4),)),
    ("pay\u200bpal", "paypal", "invisible", ((3, 4),)),
    ("rnicrosoft", "microsoft", "ascii_lookalike", ((0, 2),)),
    ("micr0soft", "microsoft", "ascii_lookalike", ((4, 5),)),
    ("m1crosoft", "microsoft", "ascii_lookalike", ((1, 2),)),
    ("MICROSOFT", "microsoft", "case_width", ((0, 9),)),
    ("g00gle", "google", "ascii_lookalike", ((1, 3),)),
    ("\u0440\u0430\u0443\u0440\u0430l", "paypal", "skeleton", ((0, 5),)),
    ("\uff50\uff41\uff59\uff50\uff41\uff4c", "paypal", "case_width", ((0, 6),)),
    ("pay-pal", "paypal", "separator", ((3, 4),)),
    ("pay_pal", "paypal", "separator", ((3, 4),)),
    ("p4ypal", "paypal", "leet", ((1, 2),)),
    ("pa\u0301ypal", "paypal", "combining_mark", ((2, 3),)),
    ("gi\u0301thub", "github", "combining_mark", ((2, 3),)),
    ("\u017ftripe", "stripe", "nfkc", ((0, 1),)),
    ("\u2111bm", "ibm", "nfkc", ((0, 1),)),
    ("vvikipedia", "wikipedia", "ascii_lookalike", ((0, 2),)),
    ("aclobe", "adobe", "ascii_lookalike", ((1, 3),)),
]


@pytest.mark.parametrize(("name", "protected", "kind", "spans"), MUST_MATCH)
def test_impersonations_are_matched(
    guard: NameGuard, name: str, protected: str, kind: str, spans: tuple[tuple[int, int], ...]
) -> None:
    matches = guard.check(name)
    assert [(m.protected, m.kind, m.spans) for m in matches] == [(protected, kind, spans)]
    m = matches[0]
    assert m.name == name
    assert PROTECTED[m.protected_id] == protected
    assert (m.start, m.end) == (spans[0][0], spans[-1][1])
    assert protected in m.message
    assert m.message.startswith("'")
    assert json.loads(json.dumps(m.to_dict()))["kind"] == kind


@pytest.mark.parametrize(
    "name", ["megadeth", "sarah", "algae-labs", "goggle", "paypals", "microsoftt", "gihub", "ibn"]
)
def test_names_resembling_in_spelling_only_are_safe(guard: NameGuard, name: str) -> None:
    assert guard.check(name) == ()


def test_exact_name_is_taken_not_impersonating(guard: NameGuard) -> None:
    (m,) = guard.check("paypal")
    assert (m.kind, m.spans, m.start, m.end) == ("exact", (), 0, 6)
    assert "itself" in m.message


def test_several_techniques_and_several_protected_names() -> None:
    g = NameGuard(["paypal", "pay-pal", "PayPal"])
    kinds = {(m.protected, m.kind) for m in g.check("p4y\u200bpa1")}
    assert kinds >= {("paypal", "leet"), ("paypal", "invisible"), ("paypal", "ascii_lookalike")}
    assert {m.protected for m in g.check("paypal")} == {"paypal", "pay-pal", "PayPal"}
    # The protected name has a separator the checked one lacks: matched, no span to show.
    assert [(m.kind, m.spans) for m in g.check("paypal") if m.protected == "pay-pal"] == [
        ("separator", ())
    ]


def test_accented_protected_name_and_empty_keys() -> None:
    g = NameGuard(["café", "---", ""])
    assert [(m.kind, m.spans) for m in g.check("cafe")] == [("combining_mark", ((3, 4),))]
    assert [m.kind for m in g.check("café")] == ["exact"]
    assert g.check("") == ()
    assert g.check("...") == ()
    assert len(g) == 3
    assert list(g) == ["café", "---", ""]


def test_name_keys() -> None:
    assert name_keys("paypal") == ("paypal",)
    assert name_keys("PAYPAL") == ("paypal",)
    assert name_keys("MICROSOFT") == ("rnlcrosoft", "rnicrosoft")
    assert name_keys("- _ .") == ()


def test_kinds_come_from_the_vocabulary(guard: NameGuard) -> None:
    for name, *_ in MUST_MATCH:
        assert all(m.kind in NAME_MATCH_KINDS for m in guard.check(name))


# --- property tests ------------------------------------------------------------------------

_BY_LETTER: dict[str, list[str]] = {}
for _src, _proto in confusable_prototypes().items():
    if len(_proto) == 1 and _proto.isascii() and _proto.isalnum() and len(_src) == 1:
        _BY_LETTER.setdefault(_proto, []).append(_src)
_LETTERS = "".join(sorted(c for c in _BY_LETTER if c.islower()))

_base_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12)


@given(_base_names, st.data())
def test_any_single_table_confusable_is_matched(base: str, data: st.DataObject) -> None:
    """A protected name with one letter replaced by any character the UTS #39 table maps
    to that letter is matched, and the match points at the replaced character."""
    positions = [i for i, c in enumerate(base) if c in _BY_LETTER]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    sub = data.draw(st.sampled_from(_BY_LETTER[base[i]]))
    name = base[:i] + sub + base[i + 1 :]
    matches = NameGuard([base]).check(name)
    assert matches, (base, name)
    assert all(m.protected == base for m in matches)
    if sub != base[i]:
        assert any(m.start <= i < m.end for m in matches)


@given(st.lists(st.text(max_size=8), max_size=8), st.lists(st.text(max_size=8), max_size=8))
def test_offsets_valid_and_deterministic(protected: list[str], names: list[str]) -> None:
    g = NameGuard(protected)
    first = g.check_many(names)
    assert first == [g.check(n) for n in names]
    for name, matches in zip(names, first, strict=True):
        for m in matches:
            assert 0 <= m.start <= m.end <= len(name)
            assert all(m.start <= a < b <= m.end for a, b in m.spans)
            assert protected[m.protected_id] == m.protected
            assert m.kind in NAME_MATCH_KINDS
        # A name collides with itself when it is protected and has a key.
        if name in protected and name_keys(name):
            assert any(m.kind == "exact" for m in matches)


@given(st.lists(st.text(max_size=10), max_size=10), st.lists(st.text(max_size=10), max_size=6))
def test_save_load_round_trip(protected: list[str], names: list[str]) -> None:
    g = NameGuard(protected)
    with _tmpdir() as tmp:
        path = tmp / "g.npz"
        g.save(path)
        h = NameGuard.load(path)
    assert list(h) == list(g)
    for name in [*names, *protected]:
        assert h.check(name) == g.check(name)


def test_threads_agree_with_sequential() -> None:
    g = NameGuard([*PROTECTED, *(f"name{i}" for i in range(500))])
    names = [n for n, *_ in MUST_MATCH] * 20 + [f"narne{i}" for i in range(200)]
    expected = [g.check(n) for n in names]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(g.check, names))
    assert got == expected
    assert sum(1 for m in got if m) == len(MUST_MATCH) * 20 + 200


# --- the file format -----------------------------------------------------------------------


class _tmpdir:
    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        return Path(self._dir.name)

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


def _rewrite(path: Path, **changes: np.ndarray) -> None:
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays.update(changes)
    with path.open("wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]


def test_saved_file_is_plain_arrays_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "g.npz"
    NameGuard(PROTECTED).save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["g.npz"]  # no temporary left
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == sorted(
            f"{n}.npy" for n in ("header", "names_blob", "name_offsets", "keys_blob", "key_ids")
        )
    with np.load(path, allow_pickle=False) as npz:
        header = json.loads(npz["header"].tobytes())
    assert header["format"] == "textforensics-nameguard"
    assert header["version"] == 1
    assert header["names"] == len(PROTECTED)


def test_damaged_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "g.npz"
    NameGuard(PROTECTED).save(path)
    _rewrite(path, key_ids=np.zeros(1, dtype=np.uint32))
    with pytest.raises(NameGuardFileError, match=r"g\.npz.*(count|checksum)"):
        NameGuard.load(path)
    NameGuard(PROTECTED).save(path)
    with np.load(path, allow_pickle=False) as npz:
        blob = npz["names_blob"].copy()
    blob[0] ^= 1
    _rewrite(path, names_blob=blob)
    with pytest.raises(NameGuardFileError, match="checksum"):
        NameGuard.load(path)
    header = json.dumps({"format": "textforensics-nameguard", "version": 99}).encode()
    _rewrite(path, header=np.frombuffer(header, dtype=np.uint8))
    with pytest.raises(NameGuardFileError, match="version 99"):
        NameGuard.load(path)
    path.write_bytes(b"not a zip")
    with pytest.raises(NameGuardFileError, match=r"g\.npz"):
        NameGuard.load(path)
    obj = io.BytesIO()
    np.save(obj, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path, "w") as z:
        for n in ("header", "names_blob", "name_offsets", "keys_blob", "key_ids"):
            z.writestr(f"{n}.npy", obj.getvalue())
    with pytest.raises(NameGuardFileError, match=r"g\.npz"):
        NameGuard.load(path)


def test_other_key_version_is_rekeyed(tmp_path: Path) -> None:
    path = tmp_path / "g.npz"
    NameGuard(PROTECTED).save(path)
    with np.load(path, allow_pickle=False) as npz:
        header = json.loads(npz["header"].tobytes())
    header["key_version"] = 0
    _rewrite(path, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
    assert NameGuard.load(path).check("paypa1")[0].protected == "paypal"


# --- command line --------------------------------------------------------------------------


def test_cli_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    protect = tmp_path / "protected.txt"
    protect.write_text("# brands\npaypal\nmicrosoft\n\ngoogle\n", encoding="utf-8")
    r = run(capsys, "names", "--protect", str(protect), "paypa1", "sarah", "pay\u202epal")
    assert r.code == 1
    assert "paypa1: ascii_lookalike paypal [5-6]" in r.out
    assert "pay<U+202E>pal: bidi paypal [3-4]" in r.out
    assert "sarah" not in r.out
    r = run(capsys, "names", "--protect", str(protect), "--format", "json", "g00gle", "ok")
    doc = r.json()
    assert r.code == 1
    assert doc["command"] == "names"
    assert doc["protected"] == 3
    assert [len(n["matches"]) for n in doc["names"]] == [1, 0]
    assert doc["names"][0]["matches"][0]["kind"] == "ascii_lookalike"
    r = run(capsys, "names", "--protect", str(protect), "safe", "names")
    assert (r.code, r.out) == (0, "")
    r = run(capsys, "names", "--protect", str(protect), "--exit-zero", "g00gle")
    assert r.code == 0


def test_cli_names_stdin_and_saved_guard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    protect = tmp_path / "protected.txt"
    protect.write_text("paypal\ngoogle\n", encoding="utf-8")
    saved = tmp_path / "guard.npz"
    r = run(capsys, "names", "--protect", str(protect), "--save", str(saved))
    assert r.code == 0
    assert saved.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("g00gle\nfine\n\u0440\u0430\u0443\u0440\u0430l\n"))
    r = run(capsys, "names", "--protect", str(saved), "-q")
    assert r.code == 1
    assert r.out.splitlines() == [
        "g00gle: ascii_lookalike google [1-3]",
        "\u0440\u0430\u0443\u0440\u0430l: skeleton paypal [0-5]",
    ]


def test_cli_names_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "names", "--protect", str(tmp_path / "missing.txt"), "x")
    assert r.code == 2
    assert "missing.txt" in r.err
    r = run(capsys, "names", "x")
    assert r.code == 2
    assert "--protect" in r.err
    bad = tmp_path / "bad.npz"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("header.npy", b"junk")
    r = run(capsys, "names", "--protect", str(bad), "x")
    assert r.code == 2
    assert "bad.npz" in r.err


def test_name_match_is_frozen() -> None:
    (m,) = NameGuard(["paypal"]).check("paypa1")
    assert isinstance(m, NameMatch)
    with pytest.raises(AttributeError):
        m.kind = "exact"  # type: ignore[misc]


def test_marks_of_other_scripts_are_letters_not_disguises() -> None:
    """Only marks on Latin (ASCII) letters are folded away: in Devanagari, Cyrillic or
    Han a mark changes the name, so names differing by one stay apart."""
    g = NameGuard(["\u0939\u093f\u0902\u0926\u0940", "\u0434\u043e\u043c"])  # हिंदी, дом
    assert g.check("\u0939\u093f\u0926\u0940") == ()  # हिदी: no anusvara
    assert g.check("\u0434\u0301\u043e\u043c") == ()
    assert [m.kind for m in g.check("\u0434\u043e\u043c")] == ["exact"]
