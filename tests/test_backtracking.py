"""Every regular expression of the generator runs in linear time on the worst text it can meet
(issue 26, class 3).

A pattern that backtracks takes time to the square (or cube) of its input: the importer's
decision pattern took 25 s on a step of 80 KB of repeated "jika", the NIP pattern 220 s on
3,000 spaces after "NIP". Each pattern written in ``generator/`` (compiled at module level,
or a literal handed to a ``re`` function) is fed texts built to make it backtrack: long runs
of each word and sign it names, of spaces, digits, letters and brackets, ended by a
character that makes the match fail. Each must finish in :data:`LIMIT` seconds on
:data:`LENGTH` characters, where a pattern linear in its input takes milliseconds.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import generator

LENGTH = 30_000
"""Characters of each adversarial text (a cell may hold 20,000; a YAML value far more)."""

LIMIT = 0.25
"""Seconds a pattern may take on one text (linear patterns take a few milliseconds)."""

METHODS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
"""The ``re`` functions whose first argument is a pattern."""

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(generator.__path__, "generator.") if info.name != "generator.__main__"
)


class _TooSlow(Exception):
    pass


def _interrupt(*_: object) -> None:
    raise _TooSlow


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _flags(call: ast.Call) -> int:
    """The flags of a ``re.<fn>(...)`` call when they are written as ``re.I | re.S``."""
    candidates = [kw.value for kw in call.keywords if kw.arg == "flags"]
    if call.func.attr in {"compile", "search", "match", "fullmatch", "findall", "finditer"} and len(call.args) > 2:  # type: ignore[attr-defined]
        candidates.append(call.args[2])
    if call.func.attr == "compile" and len(call.args) > 1:  # type: ignore[attr-defined]
        candidates.append(call.args[1])
    for candidate in candidates:
        try:
            value = eval(compile(ast.Expression(candidate), "<flags>", "eval"), {"re": re})  # re.I | re.S
        except Exception:  # not written with re's constants: no flags
            continue
        if isinstance(value, int):
            return value
    return 0


def _is_re_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and node.func.attr in METHODS
    )


def _nested(value: object, name: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield name, value
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            yield from _nested(item, f"{name}[{key!r}]", depth + 1)
    elif depth < 3 and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _nested(item, f"{name}[{index}]", depth + 1)


def patterns(module: ModuleType) -> list[tuple[str, re.Pattern[str], str]]:
    """Each pattern written in ``module``: its name (or line), the compiled pattern, and how it
    is applied (``match`` when every use of it is anchored at the start, else ``search``)."""
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    assigned: set[str] = set()
    uses: dict[str, set[str]] = {}
    found: dict[tuple[str, int], tuple[str, re.Pattern[str], str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and any(_is_re_call(n) for n in ast.walk(node)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assigned |= {t.id for t in targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            uses.setdefault(node.value.id, set()).add(node.attr)
        if _is_re_call(node):
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            text = _literal(node.args[0]) if node.args else None
            if text is None:
                continue
            try:
                compiled = re.compile(text, _flags(node))
            except re.error:
                continue
            how = "match" if node.func.attr in {"match", "fullmatch"} else "search"
            found.setdefault((compiled.pattern, compiled.flags), (f"line {node.lineno}", compiled, how))
    for name in sorted(assigned):
        for label, compiled in _nested(getattr(module, name, None), name):
            used = uses.get(name, set()) & {
                "search",
                "match",
                "fullmatch",
                "sub",
                "subn",
                "split",
                "findall",
                "finditer",
            }
            how = "match" if used and used <= {"match", "fullmatch"} else "search"
            found.setdefault((compiled.pattern, compiled.flags), (label, compiled, how))
    return list(found.values())


def adversarial_texts(pattern: str, length: int = LENGTH) -> Iterator[str]:
    """Texts that make a backtracking pattern slow: long runs of the words and signs the
    pattern names (alone, spaced, capitalised, after one of its words), of spaces, digits,
    letters and brackets, each ended by what makes the match fail ("!", a NUL, a new line)."""
    plain = re.sub(r"\\[a-zA-Z]", " ", pattern)
    words = sorted({word for word in re.findall(r"[A-Za-z]{2,}", plain)})[:12]
    signs = sorted({char for char in plain if char in ".,;:/-()|*#[]{}<>&@!?'\"=+_%$"})
    runs = [
        " ",
        "a",
        "A",
        "1",
        "-",
        ".",
        "a ",
        "A ",
        "1 ",
        "1.",
        "1. ",
        "\t",
        "\n",
        "ab ",
        "a-",
        "a.",
        "A.",
        " \n",
        "é",
    ]
    for word in words:
        runs += [word + " ", word, word.upper() + " ", word.capitalize() + " "]
    for sign in signs:
        runs += [sign, sign + " ", " " + sign, "a" + sign]
    for run in dict.fromkeys(runs):
        body = run * max(length // len(run), 1)
        yield body + "!"
        yield body + "\x00 x"
        yield body + "\n!"
    starts = [start for word in words[:4] for start in (word + " ", word.upper() + " ")]
    starts += [start for sign in signs[:6] for start in (sign * 3, f"{sign}--{sign}")]
    for start in starts:
        for run in (" ", "a ", "A ", "1 ", "a", "A", "-", "."):
            yield start + run * (length // len(run)) + "!"


def slowest(compiled: re.Pattern[str], how: str, limit: float = LIMIT) -> tuple[float, str]:
    """The longest time ``compiled`` takes on one adversarial text, and the start of that text
    (a pattern still running at twice the limit is stopped)."""
    previous = signal.signal(signal.SIGALRM, _interrupt)
    worst = (0.0, "")
    try:
        for text in adversarial_texts(compiled.pattern):
            start = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, limit * 2)
            try:
                if how == "match":
                    compiled.match(text)
                else:
                    for _ in compiled.finditer(text):
                        pass
            except _TooSlow:
                pass
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - start
            if took > worst[0]:
                worst = (took, repr(text[:24]) + "..." + repr(text[-4:]))
            if took > limit:
                break
    finally:
        signal.signal(signal.SIGALRM, previous)
    return worst


@pytest.mark.parametrize("module_name", MODULES)
def test_every_pattern_runs_in_linear_time(module_name: str) -> None:
    module = importlib.import_module(module_name)
    slow = []
    for name, compiled, how in patterns(module):
        took, text = slowest(compiled, how)
        if took > LIMIT:
            slow.append(f"{name} {compiled.pattern!r} ({how}): {took:.2f} s on {text}")
    assert not slow, "\n".join(slow)


@pytest.mark.parametrize(
    "old",
    [
        # The patterns issue 26 found, as they were: the test must catch each.
        r"\b(?:apabila|jika|bila|kalau)\b.*\b(?:tidak|belum|ditolak)\b",  # the decision (25 s at 80 KB)
        r"\bNIP\.?\s*:?\s*([\d ]*\d)",  # sibling: a NIP after many spaces (cubic)
        r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$",  # sibling: the Markdown table separator
    ],
)
def test_the_check_catches_the_patterns_that_were_slow(old: str) -> None:
    took, _text = slowest(re.compile(old, re.I), "match" if old.startswith("^") else "search")
    assert took > LIMIT
