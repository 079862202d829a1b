"""Where ruff format 0.17.6 departs from black 26.10.1 on specbind's output, and how its output
is brought back to black's, byte for byte.

ruff formats like black except, on what specbind generates, in three places that no ruff
setting changes (tests/test_formatters.py formats every corpus document and the whole OpenAI
document both ways and requires identical bytes, and pins each case):

1. A parameter annotation with a `|` that does not fit its line: black wraps it in
   parentheses, ruff splits it bare at the `|`. ruff keeps parentheses it is given, so the
   rendered text gets them (`name: (A | B | None) = NOT_GIVEN,`) and ruff runs again.
2. An annotated assignment whose first line stays too long (`VeryLongAliasName: TypeAlias =
   ...`, `field: VeryLongTypeName = "auto"`): black wraps the annotation in parentheses, ruff
   removes any it is given. Those statements, taken from the rendered text, are formatted by
   black itself (one small statement each) and put in ruff's place.
3. A docstring whose last line is full: black puts the closing quotes on a line of their own.

The work is done per top-level definition (the generator puts two blank lines before each,
and so do both formatters) and, in big classes, per member: a cheap line scan of ruff's output
picks the few stretches where a case can occur, and only those are parsed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

LINE_LENGTH = 88

#: A top-level definition, which the generator always precedes with two blank lines (and so
#: do both formatters), and a class member after a blank line.
BOUNDARY = re.compile(r"\n\n\n(?=(?:class |[A-Za-z_][A-Za-z0-9_]*(?:: TypeAlias)? = ))")
_MEMBER = re.compile(r"\n\n(?=    (?:async def |def |@))")
_KEY = re.compile(r"\s*(?:class |async def |def |@)?[A-Za-z_][A-Za-z0-9_]*")
#: A class worth cutting into members: the clients are one class each, of a megabyte or so.
MEMBERS_FROM = 20_000


@dataclass
class Part:
    """A stretch of a module, rendered and as ruff formatted it, and what goes before it."""

    raw: str
    out: str
    before: str  # "" (the first), "\n\n" (a top-level definition) or "\n" (a class member)

    @property
    def member(self) -> bool:
        """Cut out of its class: parsed and formatted inside a `class _:` of its own."""
        return self.before == "\n"


def _cut(text: str, boundary: re.Pattern[str]) -> list[str]:
    out, start = [], 0
    for m in boundary.finditer(text):
        out.append(text[start : m.start() + 1])
        start = m.end()
    out.append(text[start:])
    return out


def _key(piece: str) -> str:
    m = _KEY.match(piece)
    return m.group().strip() if m else ""


def _align(raw: list[str], out: list[str], joint: str) -> list[tuple[str, str]] | None:
    """Pair the raw stretches with ruff's. ruff may add a blank line before a definition (so
    cut there too) but never removes one: its extra cuts are joined back, matching definitions
    by name. None when they do not line up."""
    if len(raw) == len(out):
        return list(zip(raw, out, strict=True))
    pairs: list[tuple[str, str]] = []
    j = 0
    for i, piece in enumerate(raw):
        if j >= len(out) or (i and _key(out[j]) != _key(piece)):
            return None
        group = [out[j]]
        j += 1
        following = _key(raw[i + 1]) if i + 1 < len(raw) else None
        while j < len(out) and _key(out[j]) != following:
            group.append(out[j])
            j += 1
        pairs.append((piece, joint.join(group)))
    return pairs if j == len(out) else None


def parts(raw: str, formatted: str) -> list[Part]:
    """The module cut at its top-level definitions, and big classes at their members, so that
    only the few stretches where a case may be are parsed. One part if the cuts do not line up."""
    top = _align(_cut(raw, BOUNDARY), _cut(formatted, BOUNDARY), "\n\n")
    if top is None:
        return [Part(raw, formatted, "")]
    out: list[Part] = []
    for a, b in top:
        before = "\n\n" if out else ""
        members = (
            _align(_cut(a, _MEMBER), _cut(b, _MEMBER), "\n")
            if a.startswith("class ") and len(a) > MEMBERS_FROM
            else None
        )
        if members is None:
            out.append(Part(a, b, before))
        else:
            out += [Part(x, y, before if k == 0 else "\n") for k, (x, y) in enumerate(members)]
    return out


def recut(raws: list[str], formatted: str, member: bool) -> list[str] | None:
    """ruff's output for ``raws`` formatted together (joined as `join` would, members inside
    one `class _:`), cut back into one text per raw; None when the cuts do not line up."""
    if member:
        formatted = unwrap(formatted, True)
    aligned = _align(raws, _cut(formatted, _MEMBER if member else BOUNDARY), "\n" if member else "\n\n")
    return None if aligned is None else [out for _, out in aligned]


def together(texts: list[str], member: bool) -> str:
    """Texts (unwrapped) as one module for ruff, which `recut` cuts back."""
    return wrap("\n".join(texts), True) if member else "\n\n".join(texts)


def join(parts: list[Part]) -> str:
    return "".join(p.before + p.out for p in parts)


_CLASS = "class _:\n"


def wrap(text: str, member: bool) -> str:
    return _CLASS + text if member else text


def unwrap(text: str, member: bool) -> str:
    if not member:
        return text
    assert text.startswith(_CLASS), "the formatter moved a class member"
    return text[len(_CLASS) :]


#: What ruff's output looks like where a case may be: a bare `|` continuation line (not a
#: Markdown table row in a docstring); an over-long first line of an annotated assignment, or
#: closing line of a multi-line docstring.
_BARE = re.compile(r"^ +\| .*[^|\s]$", re.MULTILINE)
_LONG = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.MULTILINE)
_ANNOTATED = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_.]*: .* = ")


def suspects(formatted: str) -> tuple[bool, bool]:
    """(case 1 may be there, cases 2 or 3 may be there): what is worth a parse."""
    bare = _BARE.search(formatted) is not None
    for m in _LONG.finditer(formatted):
        line = m.group()
        if _ANNOTATED.match(line) or (line.endswith('"""') and not line.lstrip().startswith('"""')):
            return bare, True
    return bare, False


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, at any depth, in a fixed order (expressions are not entered)."""
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        inner: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            inner += getattr(node, name, [])
        for handler in getattr(node, "handlers", []):
            inner += handler.body
        for case in getattr(node, "cases", []):
            inner += case.body
        stack += reversed(inner)


def _parameters(tree: ast.Module) -> Iterator[ast.arg]:
    for node in _statements(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            a = node.args
            yield from (*a.posonlyargs, *a.args, *((a.vararg,) if a.vararg else ()), *a.kwonlyargs)
            if a.kwarg:
                yield a.kwarg


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _char(lines: list[str], lineno: int, col: int) -> int:
    """ast's (line, UTF-8 byte column) as a character index into the line."""
    line = lines[lineno - 1]
    return col if line.isascii() else len(line.encode()[:col].decode())


def _parenthesized(lines: list[str], lineno: int, col: int) -> bool:
    return lines[lineno - 1][: _char(lines, lineno, col)].rstrip().endswith("(")


def parenthesize_parameters(part: Part) -> str | None:
    """The part's rendered text (wrapped if a member) with parentheses around every parameter
    annotation that ruff split bare at a `|` (case 1), or None when there is none."""
    if not suspects(part.out)[0] or "def " not in part.out:
        return None
    raw, formatted = wrap(part.raw, part.member), wrap(part.out, part.member)
    raw_lines, out_lines = _lines(raw), _lines(formatted)
    found, found_out = _signatures(raw_lines), _signatures(out_lines)
    if found is None or found_out is None or len(found[0].body) != len(found_out[0].body):
        found, found_out = _whole(raw_lines), _whole(out_lines)  # not cut where expected
    tree, at = found_out
    wanted = [
        isinstance(a, ast.BinOp)
        and isinstance(a.op, ast.BitOr)
        and a.end_lineno != a.lineno
        and not _parenthesized(out_lines, at[a.lineno], a.col_offset)
        for a in (p.annotation for p in _parameters(tree))
        if a is not None
    ]
    if not any(wanted):
        return None
    starts = [0]
    for line in raw_lines:
        starts.append(starts[-1] + len(line))
    tree, at = found
    annotations = [p.annotation for p in _parameters(tree) if p.annotation is not None]
    assert len(annotations) == len(wanted), "the formatter changed the parameters"
    cuts: list[tuple[int, str]] = []
    for a, want in zip(annotations, wanted, strict=True):
        if want:
            assert a.end_lineno is not None and a.end_col_offset is not None
            first, last = at[a.lineno], at[a.end_lineno]
            cuts.append((starts[first - 1] + _char(raw_lines, first, a.col_offset), "("))
            cuts.append((starts[last - 1] + _char(raw_lines, last, a.end_col_offset), ")"))
    out, done = [], 0
    for cut, paren in sorted(cuts):
        out += [raw[done:cut], paren]
        done = cut
    return "".join(out) + raw[done:]


_DEF = re.compile(r" *(?:async )?def ")


def _whole(lines: list[str]) -> tuple[ast.Module, list[int]]:
    return ast.parse("".join(lines)), list(range(len(lines) + 1))


def _signatures(lines: list[str]) -> tuple[ast.Module, list[int]] | None:
    """Every `def` line's signature, without the bodies and docstrings (far cheaper to parse),
    one statement each, and the line of the text each line of the parsed source is (ast's line
    numbers are 1-based; 0 for a line added). A signature ends at the first line that ends
    with `:` or `: ...` (a string in it ends with a quote, and neither formatter puts a comment
    there); None when they do not parse or one holds another `def`, and the caller parses the
    whole text. A `def` line inside a docstring is a function whose annotations the formatter
    did not split, in both texts alike."""
    source: list[str] = []
    at = [0]
    end = -1
    for i, line in enumerate(lines):
        m = _DEF.match(line) if "def " in line else None
        if m is None:
            continue
        if i <= end:  # a `def` inside the signature before: not cut where expected
            return None
        end = next((j for j in range(i, len(lines)) if lines[j].rstrip().endswith((":", ": ..."))), len(lines))
        if end == len(lines):
            return None
        indent = m.group().index("d")
        if indent:  # inside `if 1:`, an indented signature keeps its own columns
            source.append("if 1:\n")
            at.append(0)
        source += lines[i : end + 1]
        at += range(i + 1, end + 2)
        if not lines[end].rstrip().endswith("..."):
            source.append(" " * (indent + 4) + "...\n")
            at.append(0)
    try:
        return ast.parse("".join(source)), at
    except SyntaxError:
        return None


def _docstring(node: ast.AST) -> ast.Expr | None:
    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            return first
    return None


@dataclass
class Finish:
    """What a part needs for cases 2 and 3: statements for black, then line replacements."""

    part: Part
    lines: list[str]  # ruff's output, wrapped if a member
    edits: list[tuple[int, int, list[str]]]  # replace lines[start:end]
    statements: list[tuple[int, int, str, int]]  # (start, end, source, depth): black formats these

    def apply(self, formatted: list[str]) -> None:
        """Put black's formatting of ``statements`` (in order) and the edits in place."""
        edits = self.edits + [(a, b, _lines(new)) for (a, b, _, _), new in zip(self.statements, formatted, strict=True)]
        for start, end, replacement in sorted(edits, reverse=True):
            self.lines[start:end] = replacement
        self.part.out = unwrap("".join(self.lines), self.part.member)


def plan(part: Part) -> Finish | None:
    """Cases 2 and 3 in the part's ruff output, or None when there is neither."""
    if not suspects(part.out)[1]:
        return None
    raw, formatted = wrap(part.raw, part.member), wrap(part.out, part.member)
    out_lines = _lines(formatted)
    tree = ast.parse(formatted)
    statements = list(_statements(tree))
    assigns = [n for n in statements if isinstance(n, ast.AnnAssign)]
    redo = [i for i, n in enumerate(assigns) if n.value is not None and _too_long(out_lines[n.lineno - 1])]
    todo: list[tuple[int, int, str, int]] = []
    if redo:
        raw_lines = _lines(raw)
        raw_assigns = [n for n in _statements(ast.parse(raw)) if isinstance(n, ast.AnnAssign)]
        assert len(raw_assigns) == len(assigns), "the formatter changed the assignments"
        for i in redo:
            src, out = raw_assigns[i], assigns[i]
            assert src.end_lineno is not None and src.end_col_offset is not None and out.end_lineno is not None
            # Whole lines, so that a trailing comment goes with its statement, as in ruff's lines.
            text = "".join(raw_lines[src.lineno - 1 : src.end_lineno])[_char(raw_lines, src.lineno, src.col_offset) :]
            todo.append((out.lineno - 1, out.end_lineno, text.rstrip("\r\n"), out.col_offset // 4))
    edits: list[tuple[int, int, list[str]]] = []
    for doc in (d for d in map(_docstring, [tree, *statements]) if d is not None):
        assert doc.end_lineno is not None
        line = out_lines[doc.end_lineno - 1]
        body = line.rstrip("\r\n")
        if doc.lineno != doc.end_lineno and len(body) > LINE_LENGTH and body.endswith('"""') and body.strip() != '"""':
            indent = " " * doc.col_offset
            edits.append((doc.end_lineno - 1, doc.end_lineno, [body[:-3] + "\n", indent + '"""' + line[len(body) :]]))
    return Finish(part, out_lines, edits, todo) if todo or edits else None


def _too_long(line: str) -> bool:
    return len(line.rstrip("\r\n")) > LINE_LENGTH
