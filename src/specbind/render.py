"""Phase 4, render: IR -> {relative path: text}. Nothing here writes output: the templates are
read, and kept compiled in the cache folder (caches.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from . import ir
from .resources import templates_dir
from .template_cache import template_cache


@dataclass(frozen=True)
class OutputFile:
    """A row of the output table."""

    path: str  # with `{name}` when `each` is set
    template: str | None  # None: an empty file
    when: str | None = None  # the IR flag that must hold for it to be written (None: always)
    #: An IR sequence: one file per item, `{name}` its name; the template sees it as `module`.
    each: str | None = None


#: The output table: every file of a generated package and the template that renders it.
PACKAGE_FILES: tuple[OutputFile, ...] = (
    OutputFile("__init__.py", "__init__.py.jinja"),
    OutputFile("_base.py", "_base.py.jinja"),
    OutputFile("_dispatch.py", "_dispatch.py.jinja", when="uses_dispatch"),
    OutputFile("_http.py", "_http.py.jinja"),
    OutputFile("_response.py", "_response.py.jinja"),
    OutputFile("_streams.py", "_streams.py.jinja", when="streams"),
    OutputFile("client.py", "client.py.jinja"),
    OutputFile("errors.py", "errors.py.jinja"),
    OutputFile("models/__init__.py", "models_init.py.jinja"),
    OutputFile("models/{name}.py", "models.py.jinja", each="model_modules"),
    OutputFile("server.py", "server.py.jinja"),
    OutputFile("webhooks.py", "webhooks.py.jinja", when="webhooks"),
    OutputFile("py.typed", None),
)


@dataclass(frozen=True)
class GeneratorInfo:
    version: str
    formatter: str  # what the bytes are: fmt.description()


_NAMED_ESCAPES = {"\t": "\\t", "\r": "\\r", "\\": "\\\\"}


def _escape(ch: str) -> str:
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _docstring_line(line: str, first: bool, last: bool) -> str:
    plain = line.isprintable() and '"' not in line and "\\" not in line
    if plain and not line.endswith(" ") and not (first and line.startswith(" ")):
        return line  # most lines: nothing to escape (the loop was a tenth of a whole-OpenAI run)
    out = []
    for i, ch in enumerate(line):
        if ch == '"':
            if last and i == len(line) - 1:
                out.append("\\x22")  # black pads a final quote with a space
            elif (first and i == 0) or '""' in line[max(i - 1, 0) : i + 2]:
                out.append('\\"')  # no run of quotes, no quote just after the opening ones
            else:
                out.append(ch)
        elif ch == "\\" or not ch.isprintable() or (ch == " " and i == len(line) - 1):
            out.append(_escape(ch))  # tabs too (black expands them); trailing spaces (stripped)
        else:
            out.append(ch)
    if first and line.startswith(" "):
        out[0] = "\\x20"  # black strips the first line
    return "".join(out)


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted literal that reads back as ``text`` exactly, also after black, whatever
    it contains. Layout: continuation lines are indented by ``indent`` spaces (empty ones are
    left empty) and a multi-line text is followed by a newline and that indentation, so the
    value is ``text`` with the indentation added; a text whose lines after the first are all
    empty is written on one line with `\\n` escapes. `tests/test_docstring_filter.py` pins it.

    black strips and re-indents docstring lines, pads a final quote or odd backslash with a
    space and expands tabs: every character it would touch is written as an escape."""
    lines = text.split("\n")
    out = [_docstring_line(line, i == 0, i == len(lines) - 1) for i, line in enumerate(lines)]
    rest = [i for i, line in enumerate(out) if i and line]
    if not rest:  # nothing after the first line but newlines: black would drop them
        return '"""' + "\\n".join(out) + '"""'
    if all(out[i].startswith(" ") for i in rest):
        # black removes the indentation that all continuation lines share: keep one line at
        # exactly `indent` so that it removes ours only.
        out[rest[0]] = "\\x20" + out[rest[0]][1:]
    pad = " " * indent
    body = "\n".join(pad + line if i and line else line for i, line in enumerate(out))
    if len(lines) > 1:
        body += "\n" + pad
    return '"""' + body + '"""'


def comment(text: str) -> str:
    """Text safe inside a one-line `#` comment, and readable back exactly: backslashes,
    newlines, other non-printables and edge spaces (black strips them) are escaped."""
    out = [_escape(ch) if ch == "\\" or not ch.isprintable() else ch for ch in text]
    if text.startswith(" "):
        out[0] = "\\x20"
    if text.endswith(" "):
        out[-1] = "\\x20"
    return "".join(out)


@cache
def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache(),
    )
    env.filters["pyrepr"] = repr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    return env


def render_package(api: ir.Api, gen: GeneratorInfo, root: Path | None = None) -> dict[str, str]:
    env = environment(root or templates_dir())
    out: dict[str, str] = {}
    for row in PACKAGE_FILES:
        if row.when is not None and not getattr(api, row.when):
            continue
        if row.template is None:
            out[row.path] = ""
            continue
        template = env.get_template(row.template)
        if row.each is None:
            out[row.path] = template.render(api=api, gen=gen)
        else:
            for item in getattr(api, row.each):
                out[row.path.format(name=item.name)] = template.render(api=api, gen=gen, module=item)
    return out
