"""SARIF 2.1.0 rendering of command-line findings, as GitHub code scanning accepts it.

- ``tool.driver.rules``: every rule (stable ids ``TF101``...) with short and full
  descriptions, help text (plain and Markdown) and a default level.
- Each result: ``ruleId``/``ruleIndex``, ``level``, a message, one physical location with a
  region (``startLine``, ``startColumn``, ``endLine``, ``endColumn``; columns count Unicode
  code points, declared by ``columnKind``) and ``partialFingerprints`` computed from the
  rule and the flagged content, never from line numbers.
- Input problems (unreadable files, bad encodings) become tool execution notifications.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from ..results import JSONValue, Severity, Span
from ..vocab import BOILERPLATE_CODE, DUPLICATE_CODE, HOMOGLYPH_CODES, HOMOGLYPH_KINDS
from .compare import FileComparison
from .dupes import Cluster
from .report import RULES, Located, Rule

__all__ = [
    "DUPES_RULE",
    "FINGERPRINT_KEY",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "render_compare_sarif",
    "render_dupes_sarif",
    "render_sarif",
]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "textforensics/v1"
"""The ``partialFingerprints`` key: a hash of rule, flagged text and its neighbourhood."""

_LEVELS: dict[Severity, str] = {"info": "note", "warning": "warning", "error": "error"}
# A rule's default level: bidi controls are an attack pattern (Trojan Source), the other
# homoglyph kinds likely disguises, boilerplate a note.
_DEFAULT_LEVEL: dict[str, str] = {
    **{HOMOGLYPH_CODES[kind]: "warning" for kind in HOMOGLYPH_KINDS},
    HOMOGLYPH_CODES["bidi"]: "error",
    BOILERPLATE_CODE: "note",
}
_SECURITY_SEVERITY = {"note": "2.0", "warning": "5.0", "error": "8.0"}


def _tool(tool_version: str, rules: list[JSONValue]) -> dict[str, JSONValue]:
    """The ``tool`` object of a run: this program and the rules its results refer to."""
    return {
        "driver": {
            "name": "textforensics",
            "version": tool_version,
            "semanticVersion": tool_version,
            "informationUri": "https://pypi.org/project/textforensics/",
            "rules": rules,
        }
    }


def _uri(path: str) -> str:
    if path == "-":
        return "stdin"
    posix = Path(path).as_posix()
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(posix.removeprefix("./"), safe="/")


def _rule(rule: Rule) -> dict[str, JSONValue]:
    level = _DEFAULT_LEVEL.get(rule.code, "warning")
    tags = ["security"] if rule.code.startswith("TF1") else ["maintainability"]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.help},
        "help": {
            "text": rule.help,
            "markdown": f"**{rule.short}** (`{rule.kind}`)\n\n{rule.help}",
        },
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": [*tags, rule.kind],
            "precision": "high",
            "security-severity": _SECURITY_SEVERITY[level],
        },
    }


def _result(item: Located, rule_index: int) -> dict[str, JSONValue]:
    end_column = item.end_column + 1 if item.end > item.start else item.column
    message = item.message
    if item.suggestion and item.suggestion not in message:
        message += f' Suggestion: "{item.suggestion}".'
    region: dict[str, JSONValue] = {
        "startLine": item.line,
        "startColumn": item.column,
        "endLine": item.end_line,
        "endColumn": end_column,
        "charOffset": item.start,
        "charLength": item.end - item.start,
        "snippet": {"text": item.excerpt},
    }
    result: dict[str, JSONValue] = {
        "ruleId": item.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[item.severity],
        "kind": "fail",
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": _uri(item.path),
                        **({} if os.path.isabs(item.path) else {"uriBaseId": "%SRCROOT%"}),
                    },
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: item.fingerprint},
        "properties": {
            "kind": item.kind,
            "severity": item.severity,
            "text": item.flagged,
            "suggestion": item.suggestion,
            "characters": [c.describe() for c in item.characters],
        },
    }
    if item.baselined:
        result["baselineState"] = "unchanged"
        result["suppressions"] = [{"kind": "external", "justification": "in the baseline file"}]
    return result


def render_sarif(
    items: Sequence[Located],
    *,
    tool_version: str,
    errors: Sequence[tuple[str, str]] = (),
    root: str | None = None,
) -> dict[str, JSONValue]:
    """A SARIF 2.1.0 log of ``items``. ``errors`` are ``(path, message)`` input problems,
    reported as error notifications; ``root`` is the directory relative paths start from."""
    by_code = {rule.code: rule for rule in (*RULES.values(), *(i.rule for i in items))}
    rules = sorted(by_code.values(), key=lambda r: r.code)
    index = {rule.code: n for n, rule in enumerate(rules)}
    base = Path(root or os.getcwd()).resolve().as_uri().rstrip("/") + "/"
    notifications: list[JSONValue] = [
        {
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}}}],
        }
        for path, message in errors
    ]
    run: dict[str, JSONValue] = {
        "tool": _tool(tool_version, [_rule(rule) for rule in rules]),
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": [_result(item, index[item.code]) for item in items],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


DUPES_RULE: dict[str, JSONValue] = {
    "id": DUPLICATE_CODE,
    "name": "NearDuplicate",
    "shortDescription": {"text": "Near-duplicate or rewritten file"},
    "fullDescription": {
        "text": "A file whose text is a copy, near-copy or rewrite of another file's; keep "
        "the cluster's representative, drop or merge the others, or accept the cluster in "
        "the dupes baseline (or mark the file 'textforensics: ignore-duplicate')."
    },
    "defaultConfiguration": {"level": "warning"},
    "properties": {"tags": ["maintainability", "duplicates"]},
}


def _file_location(path: str, message: str | None = None) -> dict[str, JSONValue]:
    location: dict[str, JSONValue] = {
        "physicalLocation": {
            "artifactLocation": {
                "uri": _uri(path),
                **({} if os.path.isabs(path) else {"uriBaseId": "%SRCROOT%"}),
            }
        }
    }
    if message:
        location["message"] = {"text": message}
    return location


def render_dupes_sarif(
    clusters: Sequence[Cluster],
    *,
    tool_version: str,
    errors: Sequence[tuple[str, str]] = (),
    root: str | None = None,
) -> dict[str, JSONValue]:
    """A SARIF 2.1.0 log of duplicate clusters: one result per file that is not its
    cluster's representative, with the file it duplicates as a related location."""
    results: list[JSONValue] = []
    for cluster in clusters:
        for a, b, verdict, score in cluster.pairs:
            for path, other in ((a, b), (b, a)):
                if path == cluster.representative:
                    continue
                results.append(
                    {
                        "ruleId": DUPLICATE_CODE,
                        "ruleIndex": 0,
                        "level": "warning",
                        "message": {
                            "text": f"{verdict} of [{other}](1) (score {score:.3f}); "
                            f"the cluster's representative is {cluster.representative}."
                        },
                        "locations": [_file_location(path)],
                        "relatedLocations": [{"id": 1, **_file_location(other, other)}],
                        "properties": {
                            "verdict": verdict,
                            "score": score,
                            "representative": cluster.representative,
                            "cluster": list(cluster.keys),
                        },
                    }
                )
    base = Path(root or os.getcwd()).resolve().as_uri().rstrip("/") + "/"
    notifications: list[JSONValue] = [
        {"level": "error", "message": {"text": message}, "locations": [_file_location(path)]}
        for path, message in errors
    ]
    run: dict[str, JSONValue] = {
        "tool": _tool(tool_version, [DUPES_RULE]),
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
        "invocations": [
            {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
        ],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _span_location(path: str, span: Span, message: str | None = None) -> dict[str, JSONValue]:
    location = _file_location(path, message)
    physical = location["physicalLocation"]
    assert isinstance(physical, dict)
    physical["region"] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column + 1 if span.end > span.start else span.column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }
    return location


def render_compare_sarif(
    cmp: FileComparison, *, tool_version: str, root: str | None = None
) -> dict[str, JSONValue]:
    """A SARIF 2.1.0 log of one comparison: when it counts as a duplicate, one result per
    aligned passage, located in ``b`` with the passage of ``a`` as a related location."""
    results: list[JSONValue] = []
    verdict = str(cmp.result.verdict)
    if cmp.duplicate:
        for passage in cmp.result.evidence:
            results.append(
                {
                    "ruleId": DUPLICATE_CODE,
                    "ruleIndex": 0,
                    "level": "warning",
                    "message": {
                        "text": f"passage of a {verdict} of [{cmp.a}](1) "
                        f"(similarity {passage.similarity:.3f}; score {cmp.result.score:.3f})"
                    },
                    "locations": [_span_location(cmp.b, passage.b)],
                    "relatedLocations": [{"id": 1, **_span_location(cmp.a, passage.a, cmp.a)}],
                    "properties": {"verdict": verdict, "similarity": passage.similarity},
                }
            )
    base = Path(root or os.getcwd()).resolve().as_uri().rstrip("/") + "/"
    run: dict[str, JSONValue] = {
        "tool": _tool(tool_version, [DUPES_RULE]),
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
