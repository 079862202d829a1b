"""Phase 1, load: bytes -> plain Python data, safely, with a way back to line numbers.

Nothing in a document is executed: YAML goes through the safe loader only, with
timestamps kept as strings (a date in an example must round-trip), duplicate keys
refused, and alias expansion bounded (a "billion laughs" document is refused
before it is built). The YAML loader notes each mapping's and list's lines as it builds
them (a light index, not the parser's node graph: looking up a line must not parse the
document again); JSON text is parsed again as YAML for its lines, lazily, only when an error
needs one.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .errors import Diagnostics, Problem, SpecError, pointer_of

try:  # the C parser is ~10x faster; fall back quietly where libyaml is missing
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

#: Expanded node count above which a document is refused (alias bombs).
MAX_EXPANDED_NODES = 5_000_000
#: Nesting depth above which a document is refused (no real spec comes close).
MAX_DEPTH = 256
#: Input size above which a document is refused outright.
MAX_BYTES = 64 * 1024 * 1024


_SCALAR_TAGS: dict[str, str] = {}
_STR = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader: no timestamps, no duplicate keys; it indexes lines and counts aliases."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines = LineIndex()
        self.repeats: list[yaml.Node] = []
        self.edges = 0  # children of the mappings and lists built (keys count)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # The same few thousand scalars ("string", "object", "type", ...) recur all over a big
        # spec: their implicit tag is a pure function of the value, so it is looked up once.
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _SCALAR_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_SCALAR_TAGS) < 200_000:
                    _SCALAR_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects and not isinstance(node, yaml.ScalarNode):
            self.repeats.append(node)  # an alias of a mapping or list (or one inside itself)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
                key = key_node.value  # the common case, without constructing the key twice
            else:
                key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, f"unhashable mapping key {key!r}", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_yaml_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        data.update(self.construct_mapping(node))
        # One pair per key, in order: duplicate keys are refused, merge keys (`<<`) are not YAML 1.2.
        self.edges += 2 * len(node.value)
        at = array("I", [value.start_mark.line for _, value in node.value])
        self.lines.entries[id(data)] = (data, node.start_mark.line, tuple(data), at)

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        data.extend(self.construct_sequence(node))
        self.edges += len(node.value)
        self.lines.entries[id(data)] = (
            data,
            node.start_mark.line,
            None,
            array("I", [v.start_mark.line for v in node.value]),
        )


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)


@dataclass
class LineIndex:
    """Where each mapping and list of a loaded YAML document starts, and each of its values
    (0-based lines), by the object's id. Each entry holds its object, so no id is reused while
    the index lives; keys are kept as they were loaded, so a later change to the data (bundling
    adds components) does not shift the lines of what was there."""

    entries: dict[int, tuple[Any, int, tuple[Any, ...] | None, array[int]]] = field(default_factory=dict)
    root: Any = None  # the data as loaded (a Document's `data` may be a changed copy)

    def line_of(self, parts: tuple[str | int, ...] | list[str | int]) -> int | None:
        """1-based line of the deepest value that exists along ``parts``; None when the root is
        not indexed."""
        root = self.root
        entry = self.entries.get(id(root))
        if entry is None or entry[0] is not root:
            return None
        line, node = entry[1], root
        for part in parts:
            entry = self.entries.get(id(node))
            if entry is None or entry[0] is not node:
                break
            _, _, keys, lines = entry
            if keys is None:  # a list
                i = int(part) if str(part).isdigit() else len(lines)
                if i >= len(lines) or i >= len(node):
                    break
                node = node[i]
            else:
                found = _position(keys, part)
                if found is None or keys[found] not in node:
                    break
                i, node = found, node[keys[found]]
            line = lines[i]
        return line + 1


def _position(keys: tuple[Any, ...], part: str | int) -> int | None:
    try:
        return keys.index(part)
    except ValueError:  # a key YAML did not load as a string (`200:`), asked for by its text
        return next((i for i, key in enumerate(keys) if str(key) == str(part)), None)


@dataclass
class Document:
    """A loaded spec (or overlay) plus what is needed to point back into it."""

    path: str
    text: str
    data: Any
    sha256: str
    _nodes: yaml.Node | None = field(default=None, repr=False)
    #: The lines of the data as loaded (YAML only; ``data`` may be a changed copy of it).
    lines: LineIndex | None = field(default=None, repr=False)
    #: Bundled locations (components/<section>/<name>, paths/<path>) -> the file and pointer they came from.
    origins: dict[tuple[str | int, ...], tuple[Document, tuple[str | int, ...]]] = field(
        default_factory=dict, repr=False
    )
    #: Other files read for this document: (path relative to the spec's folder, sha256).
    includes: tuple[tuple[str, str], ...] = ()
    #: What bundling survived and did instead (a string given by `$ref`, inlined), for the build to say.
    warnings: tuple[Problem, ...] = ()

    def line_of(self, parts: tuple[str | int, ...] | list[str | int]) -> int | None:
        """1-based line of the deepest node that exists along ``parts``."""
        if self.lines is not None:
            line = self.lines.line_of(parts)
            if line is not None:
                return line
        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):
                return None
        node = self._nodes
        line = node.start_mark.line + 1 if node is not None else None
        for part in parts:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        nxt = value
                        break
            elif isinstance(node, yaml.SequenceNode) and str(part).isdigit() and int(part) < len(node.value):
                nxt = node.value[int(part)]
            if nxt is None:
                break
            node = nxt
            line = node.start_mark.line + 1
        return line

    def locate(self, parts: tuple[str | int, ...] | list[str | int]) -> tuple[str, int | None, str]:
        """(file, line, pointer) of a location, in the file it came from when it was bundled (the
        longest bundled prefix: components/<section>/<name>, paths/<path>, an entry merged in)."""
        for size in range(len(parts), 0, -1) if self.origins else ():
            origin = self.origins.get(tuple(parts[:size]))
            if origin is not None:
                source, at = origin
                inner = (*at, *parts[size:])
                return source.path, source.line_of(inner), pointer_of(inner)
        return self.path, self.line_of(parts), pointer_of(parts)

    def error(self, parts: tuple[str | int, ...] | list[str | int], message: str) -> SpecError:
        file, line, pointer = self.locate(parts)
        return SpecError.one(file, pointer, message, line)

    def warn(self, diagnostics: Diagnostics, parts: tuple[str | int, ...] | list[str | int], message: str) -> None:
        diagnostics.warn(*self.locate(parts), message)


class _Recursive(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _expanded_size(root: yaml.Node, memo: dict[int, int] | None = None) -> int:
    """Node count of ``root`` with every alias expanded, computed on the DAG without expanding
    it (``memo``: the counts of nodes already seen, shared between calls).

    Scalars count one each and are never pushed: only mappings and lists are visited, once.
    Raises _Recursive for an alias inside the node it names (`a: &x {b: *x}`): that graph
    is a cycle and would never finish expanding."""
    memo = {} if memo is None else memo
    open_: set[int] = set()  # nodes whose children are still being counted: the current path
    scalar = yaml.ScalarNode
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, scalar):
            memo[id(node)] = 1
            continue
        items = node.value if isinstance(node, yaml.SequenceNode) else [c for pair in node.value for c in pair]
        if done:
            memo[id(node)] = min(1 + sum(memo.get(id(c), 1) for c in items), MAX_EXPANDED_NODES + 1)
            open_.discard(id(node))
            continue
        if id(node) in memo:
            continue
        if id(node) in open_:
            raise _Recursive(node)
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in items if not isinstance(c, scalar) and id(c) not in memo)
    return memo[id(root)]


def _too_deep(data: Any) -> list[str | int] | None:
    """The path to the first value nested deeper than MAX_DEPTH. The depth is counted first,
    iteratively and without paths (a document is nearly always shallow); the path is built
    only for a document that is refused."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if depth >= MAX_DEPTH and children:
            return _path_too_deep(data)
        stack.extend((v, depth + 1) for v in children if isinstance(v, dict | list))
    return None


def _path_too_deep(data: Any) -> list[str | int] | None:
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, at = stack.pop()
        if len(at) > MAX_DEPTH:
            return at
        if isinstance(value, dict):
            stack.extend((v, [*at, str(k)]) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, [*at, i]) for i, v in enumerate(value))
    return None


def _decode(path: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError.one(path, "", f"not valid UTF-8 (byte {exc.start})", line) from None
    return text.removeprefix("\ufeff")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_text(path: str, text: str) -> Any:
    """Parse JSON or YAML text; errors carry the line the parser stopped at."""
    return parse_indexed(path, text)[0]


def parse_indexed(path: str, text: str) -> tuple[Any, LineIndex | None]:
    """`parse_text`, and the lines of what YAML text built (None for JSON text)."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text, object_pairs_hook=_reject_duplicates), None
        except json.JSONDecodeError as exc:
            raise SpecError.one(path, "", f"invalid JSON: {exc.msg}", exc.lineno) from None
        except ValueError as exc:  # duplicate key
            raise SpecError.one(path, "", f"invalid JSON: {exc}") from None
        except RecursionError:
            raise SpecError.one(path, "", "invalid JSON: nesting too deep") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError.one(path, "", "the document is empty", 1)
        # Building the DAG is linear (an alias gives the same object again); expanding it is
        # not, and every later walk expands it. So the expansion is counted: each node once as
        # built, plus, for each alias of a mapping or list, what that node expands to (counted
        # on the nodes that aliases reach only; a recursive alias is one too).
        data = loader.construct_document(node)
        loader.lines.root = data
        if not loader.repeats:
            return data, loader.lines
        try:
            memo: dict[int, int] = {}
            size = 1 + loader.edges + sum(_expanded_size(again, memo) - 1 for again in loader.repeats)
        except _Recursive as exc:
            raise SpecError.one(
                path,
                "",
                "refused: an alias occurs inside the node its anchor names (a recursive structure)",
                exc.node.start_mark.line + 1,
            ) from None
        if size > MAX_EXPANDED_NODES:
            raise SpecError.one(path, "", f"refused: aliases expand to more than {MAX_EXPANDED_NODES:,} nodes", 1)
        return data, loader.lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        raise SpecError.one(path, "", f"invalid YAML: {what}", line) from None
    except yaml.YAMLError as exc:
        raise SpecError.one(path, "", f"invalid YAML: {exc}") from None
    except RecursionError:
        raise SpecError.one(path, "", "invalid YAML: nesting too deep") from None
    finally:
        loader.dispose()


def load_bytes(path: str, raw: bytes) -> Document:
    if len(raw) > MAX_BYTES:
        raise SpecError.one(path, "", f"refused: larger than {MAX_BYTES:,} bytes")
    if not raw.strip():
        raise SpecError.one(path, "", "the document is empty", 1)
    text = _decode(path, raw)
    data, lines = parse_indexed(path, text)
    doc = Document(
        path=path,
        text=text,
        data=data,
        sha256=hashlib.sha256(raw).hexdigest(),
        lines=lines,
    )
    deep = _too_deep(data)
    if deep is not None:
        raise SpecError.one(path, pointer_of(deep[:8]) + "/...", f"refused: nested deeper than {MAX_DEPTH} levels")
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError.one(shown, "", f"cannot read: {exc.strerror or exc}") from None
    return load_bytes(shown, raw)
