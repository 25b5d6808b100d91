"""One-shot start-up: the generated homoglyph tables file (current, safe to load, the same
tables the builder computes) and the lazy imports that keep ``textforensics scan FILE``
fast (no numpy, no file lock, no other subcommand's modules for a short text)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from textforensics.homoglyphs.data import (
    B_CONF,
    B_GENUINE,
    FILE_MAGIC,
    NCP,
    TABLES_FILE,
    conf_bits,
    confusable_with,
    decode_tables,
    lut,
    reverse_skeleton,
    reverse_skeletons_reference,
    tables,
)
from textforensics.homoglyphs.data_build import build_tables, encode_tables
from textforensics.tables import read_data


@pytest.fixture(scope="module")
def built() -> object:
    return build_tables()


def test_shipped_tables_equal_the_built_ones(built: object) -> None:
    # A stale data/homoglyph_tables.bin (Unicode data, exemplars or the build changed
    # without running scripts/generate_unicode_tables.py) fails here.
    assert tables() == built
    assert decode_tables(encode_tables(tables())) == tables()


def test_stored_reverse_skeletons_equal_the_reference() -> None:
    # Order included: lookalike keeps the first of equally ranked suggestions.
    reference = reverse_skeletons_reference()
    for sk, options in reference.items():
        assert reverse_skeleton(sk) == options
    assert tables().twin_skeletons.split("\0") == list(reference)
    assert reverse_skeleton("a")[-1] == "a"
    assert "\u0430" in reverse_skeleton("a")
    assert reverse_skeleton("no such skeleton") == ()


def test_benign_ranges_equal_the_reference() -> None:
    from textforensics.homoglyphs.data import benign_ranges, benign_ranges_reference

    assert benign_ranges() == benign_ranges_reference()
    assert len(benign_ranges()) > 5


def test_tables_file_is_small_and_not_pickle() -> None:
    raw = read_data(TABLES_FILE)
    assert raw.startswith(FILE_MAGIC)
    assert len(raw) < 200_000
    assert b"\x80\x04\x95" not in raw[:64]  # no pickle protocol header


def _parts(raw: bytes) -> tuple[dict[str, object], bytes]:
    at = len(FILE_MAGIC)
    size = struct.unpack("<I", raw[at : at + 4])[0]
    return json.loads(raw[at + 4 : at + 4 + size]), zlib.decompress(raw[at + 4 + size :])


def _pack(header: dict[str, object], payload: bytes) -> bytes:
    head = json.dumps(header).encode("ascii")
    return FILE_MAGIC + struct.pack("<I", len(head)) + head + zlib.compress(payload)


def test_damaged_tables_file_is_refused() -> None:
    raw = read_data(TABLES_FILE)
    header, payload = _parts(raw)
    with pytest.raises(ValueError, match="not a textforensics tables file"):
        decode_tables(b"\x80\x04\x95" + raw)
    with pytest.raises(ValueError, match="not a textforensics tables file"):
        decode_tables(FILE_MAGIC[:-1])
    with pytest.raises(zlib.error):
        decode_tables(raw[:-10])  # truncated: zlib notices
    with pytest.raises(ValueError, match="damaged"):
        decode_tables(_pack(header, payload[:-256]))  # the end cut off
    twin_bytes = header["twin_bytes"]
    assert isinstance(twin_bytes, list)
    # one more group of characters than there are skeletons
    more = dict(header, twin_bytes=[twin_bytes[0], twin_bytes[1] + 2])
    with pytest.raises(ValueError, match="damaged"):
        decode_tables(_pack(more, payload + b"\0x"))
    index_bytes = 2 * (NCP // 256) * 11
    bad_index = b"\xff\xff" + payload[2:index_bytes] + payload[index_bytes:]
    with pytest.raises(ValueError, match="damaged"):
        decode_tables(_pack(header, bad_index))  # an index past the pool


_DOMINANTS = ("Latn", "Cyrl", "Grek", "Arab", "Hani", "Armn")
# Look-alikes of the dominant scripts' letters and the letters of their blocks, where the
# bits are set, besides any code point.
_NEAR = sorted(
    set().union(*(confusable_with(tables().script_id[n]) for n in _DOMINANTS))
    | set(range(0x370, 0x530))
)


@given(st.sampled_from(_DOMINANTS), st.one_of(st.integers(0, NCP - 1), st.sampled_from(_NEAR)))
def test_conf_bits_agree_with_the_lut(name: str, cp: int) -> None:
    # The sparse scan's per-character test and the vectorised scan's table are one rule.
    dominant = tables().script_id[name]
    assert conf_bits(dominant, cp) == int(lut(dominant)[cp]) & (B_CONF | B_GENUINE)


def test_conf_bits_known_look_alikes() -> None:
    latin, cyrillic = tables().script_id["Latn"], tables().script_id["Cyrl"]
    assert conf_bits(latin, 0x0430) == B_CONF  # Cyrillic а looks like Latin a
    assert conf_bits(latin, 0x0434) == B_GENUINE  # д does not
    assert conf_bits(cyrillic, 0x0061) == 0  # Latin letters are everyday code-mixing
    assert conf_bits(0, 0x0430) == 0


_PROBE = """
import sys
before = set(sys.modules)  # (what the interpreter's start-up imported is not ours)
from textforensics.cli import main
code = main(["scan", "-q", "--no-config", sys.argv[1]])
heavy = sorted(m for m in ("numpy", "regex", "filelock", "datasketch", "scipy",
    "importlib.resources",
    "textforensics.app.fix", "textforensics.app.sarif", "textforensics.app.baseline",
    "textforensics.homoglyphs.names", "textforensics.homoglyphs.data_build",
    "textforensics.homoglyphs.fix", "textforensics.results_duplicates",
    "textforensics.results_boilerplate", "textforensics.results_homoglyphs",
    "hashlib", "tomllib", "shutil", "pathlib", "dataclasses", "inspect")
    if m in sys.modules and m not in before)
print("HEAVY", heavy, "EXIT", code)
"""


def test_scan_of_a_short_file_imports_nothing_heavy(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "small.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("Pay the invoice with your p\u0430ypal account, zero\u200bwidth.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, path], capture_output=True, text=True, env=env, check=False
    )
    assert "TF101" in done.stdout, done.stderr
    assert "TF104" in done.stdout, done.stderr
    assert done.stdout.strip().endswith("HEAVY [] EXIT 1"), done.stdout


_CLEAN_PROBE = """
import sys
from textforensics.cli import main
code = main(["scan", "-q", "--no-config", *sys.argv[1:]])
print("LOADED", sorted(m for m in ("regex", "dataclasses", "textforensics.results",
    "textforensics.homoglyphs.scan") if m in sys.modules), "EXIT", code)
"""


@pytest.mark.parametrize(
    ("content", "loaded"),
    [
        ("Pay the invoice with your paypal account.\n", "[]"),
        ("Réglez la facture à Genève.\nΚαλημέρα κόσμε.\n", "[]"),  # two files, each clean
        # a finding: the detector and its result classes, still neither ``regex`` nor
        # ``dataclasses`` (the result classes are records, see textforensics.results)
        (
            "Pay with your p\u0430ypal account.\n",
            "['textforensics.homoglyphs.scan', 'textforensics.results']",
        ),
    ],
)
def test_scan_of_clean_files_loads_no_detector(tmp_path: object, content: str, loaded: str) -> None:
    # A file in ASCII, or whose letters are of one script with nothing suspect, is
    # screened without the detector, ``regex`` or the result dataclasses.
    paths = []
    for k, line in enumerate(content.splitlines(keepends=True)):
        paths.append(os.path.join(str(tmp_path), f"f{k}.txt"))
        with open(paths[-1], "w", encoding="utf-8") as f:
            f.write(line)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _CLEAN_PROBE, *paths],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert f"LOADED {loaded}" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().endswith("EXIT 0" if loaded == "[]" else "EXIT 1"), done.stdout


_SCREEN_ALPHABET = (
    "aZ é\u0430\u0435\u043e\u03bf\u03b1\u05d0\u0627\u4e00\u3042\u200b\u202e\u0301"
    "\u0661\u0967\uff41\u017f\u2110\U0001fbf0\u0131\u0130 .,\n"
)


@given(st.text(alphabet=_SCREEN_ALPHABET, max_size=40))
def test_certainly_clean_means_no_finding(text: str) -> None:
    # The command line's screen (fast table alone) never hides a finding, and it is the
    # detector's own test of a short text.
    from textforensics.homoglyphs import find_homoglyphs
    from textforensics.homoglyphs.data import certainly_clean
    from textforensics.homoglyphs.scan import clean_short_reference

    clean = certainly_clean(text)
    assert clean == clean_short_reference(text, tables().fast)
    if clean:
        assert find_homoglyphs(text) == []


@pytest.mark.parametrize("command", ["scan", "fix", "compare", "dupes", "strip", "names", "report"])
def test_each_subcommand_parses_alone(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # main() builds only the named subcommand's parser: each must be complete on its own,
    # and its help the same as the whole parser's.
    from textforensics.cli import main
    from textforensics.cli_args import build_parser

    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    alone = capsys.readouterr().out
    whole = build_parser()
    sub = next(a for a in whole._actions if isinstance(getattr(a, "choices", None), dict))
    assert alone == sub.choices[command].format_help()  # type: ignore[union-attr]


def test_results_of_other_detectors_are_exported_on_first_use() -> None:
    # results.py creates the classes every scan needs; the others come from their own
    # modules when first read, and are the same objects under every public path.
    import textforensics as tf
    from textforensics import results, results_boilerplate, results_duplicates, results_homoglyphs

    moved = {
        results_duplicates: results_duplicates.__all__,
        results_boilerplate: results_boilerplate.__all__,
        results_homoglyphs: results_homoglyphs.__all__,
    }
    for module, names in moved.items():
        for name in names:
            assert getattr(results, name) is getattr(module, name)
            assert getattr(tf, name) is getattr(module, name)
            assert name in dir(results)
    for name in results.__all__:
        assert hasattr(results, name), name
    with pytest.raises(AttributeError):
        results.NoSuchResult  # noqa: B018


def test_config_file_still_read_with_tomllib(tmp_path: object) -> None:
    # tomllib is imported only when a configuration file exists, and then it is used.
    directory = str(tmp_path)
    with open(os.path.join(directory, "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[tool.textforensics]\nignore = ["TF101"]\n')
    path = os.path.join(directory, "small.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("Pay with your p\u0430ypal account, zero\u200bwidth.\n")
    probe = (
        "import sys; before = 'pathlib' in sys.modules;"
        "from textforensics.cli import main; main(['scan', '-q', sys.argv[1]]);"
        "print('PATHLIB', 'pathlib' in sys.modules and not before)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", probe, path],
        capture_output=True,
        text=True,
        env=env,
        cwd=directory,
        check=False,
    )
    assert "TF104" in done.stdout, done.stderr
    assert "TF101" not in done.stdout, done.stdout
    assert "PATHLIB False" in done.stdout  # a configuration file found needs no pathlib


@pytest.mark.parametrize("columns", [None, "", "0", "-3", "abc", "1", "57", "100", "400"])
def test_parser_width_is_shutils(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The parser computes argparse's default width without importing shutil: the same.
    import shutil

    from textforensics.cli_args import _terminal_columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _terminal_columns() == shutil.get_terminal_size().columns


def _find_with_pathlib(start: str) -> str | None:
    from pathlib import Path

    here = Path(start).resolve()
    for directory in (here, *here.parents):
        for name in ("textforensics.toml", ".textforensics.toml", "pyproject.toml"):
            if (directory / name).is_file():
                return str(directory / name)
    return None


def test_find_pyproject_is_the_pathlib_walk(tmp_path: object) -> None:
    # find_pyproject walks with os.path (no pathlib): the same answer as the walk with
    # Path.resolve, .parents and .is_file, nearest directory first.
    from textforensics.app.config import find_pyproject

    top = os.path.join(str(tmp_path), "top")
    deep = os.path.join(top, "a", "b", "c")
    os.makedirs(deep)
    os.symlink(deep, os.path.join(str(tmp_path), "link"))
    starts = [deep, os.path.join(top, "a"), os.path.join(str(tmp_path), "link")]
    for name, where in [
        (None, None),
        ("pyproject.toml", top),
        (".textforensics.toml", os.path.join(top, "a")),
        ("pyproject.toml", os.path.join(top, "a", "b")),
        ("textforensics.toml", os.path.join(top, "a", "b")),
    ]:
        if name is not None and where is not None:
            with open(os.path.join(where, name), "w", encoding="utf-8") as f:
                f.write("")
        for start in starts:
            assert find_pyproject(start) == _find_with_pathlib(start), (name, start)
    os.makedirs(os.path.join(deep, "pyproject.toml"))  # a directory is not a file
    assert find_pyproject(deep) == _find_with_pathlib(deep)
