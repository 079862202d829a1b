"""Property tests: any text round-trips exactly through the `docstring` and `comment` filters,
before and after black (which strips, re-indents and pads docstrings), and ruff writes the
same bytes as black. A description with escapes and a trailing backslash or quote once made
generate fail with "rendered code is not valid Python"."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from specbind.fmt import _black, format_files
from specbind.render import comment, docstring

# Characters that have broken docstrings before, mixed with anything at all.
TRICKY = st.sampled_from(list(" \"'\\\t\n\r\x00\x0b\x0c\x1c\x85\xa0\u2028\u3000{}uxN0é\U0001f600"))
TEXT = st.text(TRICKY, max_size=24) | st.text(max_size=24)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def layout(text: str, indent: int) -> str:
    """The value the filter promises: ``text``, plus (when a line after the first has text)
    ``indent`` spaces before each non-empty continuation line and a closing newline + indent."""
    lines = text.split("\n")
    if not any(lines[1:]):
        return text
    pad = " " * indent
    return "\n".join(pad + line if i and line else line for i, line in enumerate(lines)) + "\n" + pad


def _module(literal: str, indent: int) -> str:
    return f"class A:\n    {literal}\n\n    x: int\n" if indent else f"{literal}\n"


def _value(source: str, indent: int) -> str:
    node = ast.parse(source).body[0]
    if indent:
        assert isinstance(node, ast.ClassDef)
        node = node.body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    value = node.value.value
    assert isinstance(value, str)
    return value


@SETTINGS
@given(text=TEXT, indent=st.sampled_from([0, 4]))
@example(text="ends with an escape \\n and a backslash \\", indent=4)
@example(text='"""', indent=0)
@example(text='"', indent=4)
@example(text="a\n  indented\n  block", indent=4)
@example(text=" \t ", indent=0)
@example(text="a\n\n", indent=4)
def test_any_text_round_trips_through_the_docstring_filter(text: str, indent: int) -> None:
    literal = docstring(text, indent)
    source = _module(literal, indent)
    assert _value(source, indent) == layout(text, indent)
    formatted = _black(source)  # black must parse it and must not change the value
    assert _value(formatted, indent) == layout(text, indent)
    assert _ruff(source) == formatted


def _ruff(source: str) -> str:
    return format_files({"m.py": source}, "ruff", use_cache=False)["m.py"]


_COMMENT_ESCAPE = re.compile(r"\\(\\|t|r|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def _uncomment(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return {"\\": "\\", "t": "\t", "r": "\r"}.get(code) or chr(int(code[1:], 16))

    return _COMMENT_ESCAPE.sub(one, text)


@SETTINGS
@given(text=TEXT)
@example(text="a\\nb")
@example(text=" spaced ")
def test_any_text_round_trips_through_the_comment_filter(text: str) -> None:
    line = comment(text)
    assert line.isprintable()
    assert _uncomment(line) == text
    source = f"x = 1  # from {line} (sha256 ...)\n"  # as in the generated header
    assert _black(source) == source
    assert _ruff(source) == source


@pytest.mark.parametrize("text", ["plain text", "a\n\nb", "uses `code`, 'quotes' and \"quotes\" inside"])
def test_ordinary_text_stays_readable(text: str) -> None:
    assert docstring(text, 4).count("\\") == 0
