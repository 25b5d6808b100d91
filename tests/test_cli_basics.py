"""Command-line machinery: usage errors, configuration, rendering, SARIF shape."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import run
from conftest import ROOT, shared_path
from textforensics.app.baseline import Baseline
from textforensics.app.config import ConfigError, inline_ignores, load_config
from textforensics.app.render import caret_lines, safe, use_color
from textforensics.app.report import RULES, assign_fingerprints, describe_char, locate
from textforensics.app.sarif import FINGERPRINT_KEY, render_sarif
from textforensics.cli import Progress


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys)
    assert r.code == 2
    assert "usage:" in r.err
    r = run(capsys, "frobnicate")
    assert r.code == 2
    assert "invalid choice" in r.err
    r = run(capsys, "scan")
    assert r.code == 2
    assert "required" in r.err
    r = run(capsys, "scan", "x", "--format", "xml")
    assert r.code == 2
    r = run(capsys, "scan", "-", "-")
    assert r.code == 2
    assert "only once" in r.err
    assert "Traceback" not in r.err


def test_version_and_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "textforensics", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("textforensics ")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'textforensics = "textforensics.cli:main"' in pyproject


def test_config_from_pyproject(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        "[tool.textforensics]\n"
        'ignore = ["mixed_numbers", "TF104"]\n'
        'allowed-scripts = ["Greek"]\n'
        'min-severity = "info"\n'
        'exclude = ["vendor/"]\n'
        'baseline = "base.json"\n'
        "dupes-min-score = 0.3\n",
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert cfg.ignores("mixed_numbers", "TF106")
    assert cfg.ignores("invisible", "TF104")
    assert not cfg.ignores("confusable", "TF101")
    assert cfg.allowed_scripts == {"Greek"}
    assert cfg.min_severity == "info"
    assert cfg.exclude == ("vendor/",)
    assert cfg.baseline == str(tmp_path / "base.json")
    assert cfg.dupes_min_score == 0.3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.textforensics]\nfrobs = 1\n", "unknown key 'frobs'"),
        ('[tool.textforensics]\nmin-severity = "loud"\n', "min-severity"),
        ("[tool.textforensics]\nignore = 3\n", "ignore must be"),
        ("[tool.textforensics\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)
    (tmp_path / "a.txt").write_text("plain\n")
    r = run(capsys, "dupes", str(tmp_path / "a.txt"), "--config", str(path))
    assert r.code == 2
    assert message in r.err


def test_inline_ignore_comment_parsing() -> None:
    assert inline_ignores("plain line") is None
    assert inline_ignores("x  # textforensics: ignore") == {"*"}
    assert inline_ignores("x  // textforensics: ignore[confusable, TF105]") == {
        "confusable",
        "TF105",
    }
    assert inline_ignores("textforensics rocks") is None


def test_color_auto_never_on_pipes_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert use_color("auto", Tty())  # type: ignore[arg-type]
    assert not use_color("auto", sys.stdout) or sys.stdout.isatty()
    assert not use_color("never", Tty())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", Tty())  # type: ignore[arg-type]
    assert use_color("always", Tty())  # type: ignore[arg-type]


@given(st.text(max_size=80))
def test_rendered_excerpts_cannot_reorder_or_hide_text(text: str) -> None:
    shown = safe(text)
    for ch in shown:
        assert unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp") or ch == "\t"
    shown, caret = caret_lines(text, 0, len(text))
    assert "\u202e" not in shown
    assert "\u200b" not in shown
    assert set(caret) <= {" ", "^"}


def test_caret_under_wide_and_hidden_characters() -> None:
    shown, caret = caret_lines("中文 V\u0435r", 3, 5)
    assert shown == "中文 Vеr"
    assert caret == "     ^^"
    shown, caret = caret_lines("ab\u202ecd", 2, 3)
    assert shown == "ab<U+202E>cd"
    assert caret == "  ^^^^^^^^"


def test_rule_codes_agree_with_the_detector() -> None:
    import textforensics as tf

    for kind, code in tf.HOMOGLYPH_CODES.items():
        assert RULES[code].kind == kind


def test_describe_char() -> None:
    info = describe_char("\u0435")
    assert info.describe() == 'U+0435 CYRILLIC SMALL LETTER IE (Cyrillic), looks like "e"'
    assert describe_char("\u200b").name == "ZERO WIDTH SPACE"
    assert describe_char("\ud800").name == "SURROGATE"


def _located(text: str, word: str, path: str = "doc.txt", kind: str = "confusable") -> object:
    start = text.index(word)
    return locate(
        path=path,
        text=text,
        base_offset=0,
        base_line=1,
        base_column=1,
        start=start,
        end=start + len(word),
        kind=kind,
        severity="warning",
        message=f"odd word {word}",
    )


def test_fingerprints_ignore_line_numbers_but_not_content() -> None:
    a = _located("one\ntwo V\u0435rshinin said\n", "V\u0435rshinin")
    b = _located("new line\n\none\ntwo V\u0435rshinin said\n", "V\u0435rshinin")
    c = _located("one\ntwo V\u0435rshinin wrote\n", "V\u0435rshinin")
    for item in (a, b, c):  # three versions of one file
        assign_fingerprints([item])  # type: ignore[list-item]
    assert a.line == 2
    assert b.line == 4
    assert a.fingerprint == b.fingerprint  # type: ignore[attr-defined]
    assert a.fingerprint != c.fingerprint  # type: ignore[attr-defined]


def test_baseline_is_a_multiset_by_fingerprint(tmp_path: Path) -> None:
    text = "x V\u0435r y\nx V\u0435r y\n"
    first = locate(
        path="d.txt",
        text=text,
        base_offset=0,
        base_line=1,
        base_column=1,
        start=2,
        end=5,
        kind="confusable",
        severity="warning",
        message="m",
    )
    second = locate(
        path="d.txt",
        text=text,
        base_offset=0,
        base_line=1,
        base_column=1,
        start=12,
        end=15,
        kind="confusable",
        severity="warning",
        message="m",
    )
    assign_fingerprints([first, second])
    assert first.fingerprint != second.fingerprint  # occurrence numbers differ
    path = tmp_path / "b.json"
    path.write_text(Baseline.from_items([first]).to_json(), encoding="utf-8")
    loaded = Baseline.load(str(path))
    loaded.mark([first, second])
    assert first.baselined
    assert not second.baselined
    path.write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a textforensics baseline"):
        Baseline.load(str(path))


def test_sarif_of_synthetic_findings_validates() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    items = [
        _located("a V\u0435rshinin b\n", "V\u0435rshinin", path="dir/a file.txt"),
        _located("x\u202ey\n", "\u202e", kind="bidi"),
        _located("x\u202ey\n", "\u202e", kind="something_new"),
    ]
    assign_fingerprints(items)  # type: ignore[arg-type]
    log = render_sarif(items, tool_version="0", errors=[("bad.txt", "invalid UTF-8")])  # type: ignore[arg-type]
    jsonschema.validate(log, schema)
    run_ = log["runs"][0]
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert ids == sorted(set(ids))
    assert set(RULES) <= set(ids)
    first = run_["results"][0]
    assert (
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir/a%20file.txt"
    )
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 3, 12)
    assert FINGERPRINT_KEY in first["partialFingerprints"]
    assert run_["results"][1]["level"] == "warning"
    assert run_["invocations"][0]["executionSuccessful"] is False


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_long_work() -> None:
    tty = _Tty()
    bar = Progress(tty, 10, "reading", enabled=True)
    bar.update(1)
    assert tty.getvalue() == ""  # short work stays silent
    bar.started -= 1.0
    bar.update(5, 10, "comparing")
    assert "comparing" in tty.getvalue()
    assert "5/10" in tty.getvalue()
    assert "#" * 15 in tty.getvalue()
    bar.close()
    assert tty.getvalue().endswith("\r")
    pipe = io.StringIO()
    quiet = Progress(pipe, 10, "reading", enabled=True)
    quiet.started -= 1.0
    quiet.update(5)
    quiet.close()
    assert pipe.getvalue() == ""


def test_a_terminal_that_cannot_encode_gets_escapes_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "textforensics", "scan", str(ROOT / "seeds")],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert b"V\\u0435rshinin" in done.stdout


def test_rules_take_codes_kinds_and_fixable_from_the_vocabulary() -> None:
    from textforensics.app.sarif import render_sarif as sarif
    from textforensics.vocab import BOILERPLATE_CODE, FIXABLE_KINDS, HOMOGLYPH_CODES

    by_kind = {rule.kind: rule for rule in RULES.values()}
    assert {k: by_kind[k].code for k in HOMOGLYPH_CODES} == HOMOGLYPH_CODES
    assert by_kind["boilerplate"].code == BOILERPLATE_CODE
    assert {r.kind for r in RULES.values() if r.fixable} == set(FIXABLE_KINDS)
    levels = {
        r["id"]: r["defaultConfiguration"]["level"]
        for r in sarif([], tool_version="0")["runs"][0]["tool"]["driver"]["rules"]
    }
    assert levels[HOMOGLYPH_CODES["bidi"]] == "error"
    assert levels[BOILERPLATE_CODE] == "note"
    assert set(levels) == set(RULES)


_NAMED_SCRIPTS = ("Latin", "Cyrillic", "Greek", "Han", "Canadian_Aboriginal", "Common")


@given(st.integers(min_value=0, max_value=0x10FFFF).filter(lambda c: not 0xD800 <= c < 0xE000))
def test_script_of_agrees_with_the_unicode_script_property(cp: int) -> None:
    import regex

    from textforensics.app.report import script_of

    char = chr(cp)
    name = script_of(char)
    for script in _NAMED_SCRIPTS:
        assert (name == script) == bool(regex.match(rf"\p{{Script={script}}}", char))
    if not regex.match(r"\p{Assigned}", char):
        assert name == "Unknown"


@given(st.text(alphabet="ab\u0435\r\n ", max_size=60), st.data())
def test_locate_with_a_shared_line_index_equals_locate_alone(
    text: str, data: st.DataObject
) -> None:
    from textforensics.text import LINE_BREAK_RE, LineIndex

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))

    def at(index: LineIndex | None) -> dict[str, object]:
        item = locate(
            path="f",
            text=text,
            base_offset=7,
            base_line=3,
            base_column=5,
            start=start,
            end=end,
            kind="confusable",
            severity="warning",
            message="m",
            index=index,
        )
        assert item.line >= 3
        assert item.end_line >= item.line
        return item.to_dict()

    shared = at(LineIndex(text))
    assert at(None) == shared
    if text[start - 1 : start + 1] != "\r\n":  # a plain reference: count the breaks
        head = text[:start]
        breaks = LINE_BREAK_RE.findall(head)
        assert shared["line"] == 3 + len(breaks)
        column = len(head) - (head.rfind(breaks[-1]) + len(breaks[-1])) + 1 if breaks else start + 5
        assert shared["column"] == column


def test_every_json_output_starts_with_the_same_header(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from textforensics.app.output import JSON_SCHEMA_VERSION, json_header

    doc = tmp_path / "a.txt"
    doc.write_text("Hello world, this is a plain text.\n", encoding="utf-8")
    header = json_header("x")
    assert header["version"] == JSON_SCHEMA_VERSION
    for argv in (
        ("scan", str(doc)),
        ("fix", "--diff", str(doc)),
        ("strip", str(doc)),
        ("compare", str(doc), str(doc)),
        ("dupes", str(doc)),
    ):
        got = run(capsys, *argv, "--format", "json").json()
        assert list(got)[:4] == list(header)
        assert {k: got[k] for k in header} == {**header, "command": argv[0]}
