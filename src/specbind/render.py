"""Phase 4, render: IR -> {relative path: text}. Pure: nothing here touches the disk."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from . import ir
from .resources import templates_dir

#: The output table: every file of a generated package, the template that renders it, and
#: the IR flag that must hold for it to be written (None: always).
PACKAGE_FILES: tuple[tuple[str, str | None, str | None], ...] = (
    ("__init__.py", "__init__.py.jinja", None),
    ("_base.py", "_base.py.jinja", None),
    ("_dispatch.py", "_dispatch.py.jinja", "uses_dispatch"),
    ("_http.py", "_http.py.jinja", None),
    ("client.py", "client.py.jinja", None),
    ("models.py", "models.py.jinja", None),
    ("server.py", "server.py.jinja", None),
    ("py.typed", None, None),
)


@dataclass(frozen=True)
class GeneratorInfo:
    version: str
    formatter: str  # e.g. "black 26.10.1 (line-length 88, py311)"


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted literal that reads back as ``text`` exactly, whatever it contains."""
    out = []
    for ch in text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"'):
        if ch in "\n\t" or ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    body = "".join(out)
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    pad = " " * indent
    body = "\n".join((pad + line if line.strip() else "") if i else line for i, line in enumerate(body.split("\n")))
    if "\n" in body:
        body += "\n" + pad
    return '"""' + body + '"""'


def comment(text: str) -> str:
    """Text safe inside a one-line `#` comment: newlines and other non-printables escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


@cache
def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pyrepr"] = repr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    return env


def render_package(api: ir.Api, gen: GeneratorInfo, root: Path | None = None) -> dict[str, str]:
    env = environment(root or templates_dir())
    out: dict[str, str] = {}
    for path, template, flag in PACKAGE_FILES:
        if flag is not None and not getattr(api, flag):
            continue
        out[path] = "" if template is None else env.get_template(template).render(api=api, gen=gen)
    return out
