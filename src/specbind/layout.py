"""Phase 3e, the client's layout: on which resource each operation's method lives and what it
is called there (``client.conversations.items.list``), the way the SDKs people pick are laid
out (openai-python, Stripe, Speakeasy, Fern).

Where an operation's resource comes from, the first source that says something winning:

1. ``[tool.specbind] resources``: operationId -> ``"resource.sub.method"`` (no dot: a method of
   the client itself);
2. the vendor extensions people already write: ``x-speakeasy-group`` (dotted) and
   ``x-speakeasy-name-override``; ``x-fern-sdk-group-name`` (a string or a list of strings) and
   ``x-fern-sdk-method-name``. A value of another type is a located warning and ignored;
3. tags (``layout = "auto"``, the default, or ``"tags"``): the operation's first tag, below its
   OpenAPI 3.2 ``parent`` chain. When the path names the tag (``/conversations/{id}/items``
   for ``Conversations``, ``/organization/audit_logs`` for ``Audit Logs``) the path below it
   gives sub-resources (``conversations.items``); otherwise the tag alone is the resource and
   the method is named after the operationId (``assistants.list_runs``). ``"tags"`` never
   nests by path;
4. the path (``layout = "path"`` starts here): its static segments, leaving out a leading
   version segment (``/v1``) and the parameters: ``/v1/customers/{customer}/sources`` ->
   ``customers.sources``.

A last static segment that nothing else in the document goes below is an *action*, a method
named after it rather than a sub-resource, when the operationId's verb is not a CRUD word
(``cancelRun`` on ``/threads/{t}/runs/{r}/cancel`` -> ``threads.runs.cancel``); for operationIds
that say nothing (none, or Stripe's ``<Method><Path>``), when the segment follows an item and
holds one POST, or one GET that is not a list (``/files/{id}/content`` -> ``files.content``), or
sits next to the collection's items and holds one operation (``/v1/customers/search`` next to
``/v1/customers/{customer}`` -> ``customers.search``).

The method's name: the action's segment; else the CRUD verb where the operation is CRUD-shaped
(by method, and whether the path ends at a collection or an item: ``list`` / ``create`` on a
collection, ``retrieve`` / ``update`` / ``delete`` on an item; a GET on a collection whose answer
is not a list is ``retrieve``); else the operationId's words less the resource's
(``cancelEvalRun`` on ``evals.runs`` -> ``cancel``). Names taken on a resource (its
sub-resources, ``with_raw_response`` / ``with_streaming_response``, the client's own attributes
such as ``close``) are never used: a method that wants one gets its operationId's name, else a
number, in document order after the configured names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from . import ir, naming
from .errors import Problem, SpecError
from .resolve import Parts

Rule = Literal["auto", "path", "tags"]
PathParameters = Literal["keyword", "positional"]

#: Names no method or sub-resource takes, on every resource: the SDK-style accessors a later
#: version adds (`client.conversations.with_raw_response.create(...)`), and the names every
#: class's signatures use (a member would shadow them there, for type checkers). Names only
#: some signatures use (`models`, `date`) are kept from the classes whose signatures do. `list`
#: is the exception, since the SDKs call a method that: a class with a `list` member writes
#: `builtins.list[...]` in its signatures.
RESERVED = frozenset(
    {
        "with_raw_response", "with_streaming_response", "str", "int", "float", "bool", "bytes", "tuple", "object",
        "httpx", "cached_property", "builtins",
    }
)  # fmt: skip
#: The client's own attributes and methods (its settings are added per document).
CLIENT_ATTRS = frozenset(
    {"close", "aclose", "base_url", "default_headers", "timeout", "max_retries", "array_format", "http_client"}
)
_VERSION = re.compile(r"v\d+(?:[._-]\d+)*(?:[a-z]+\d*)?", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMAT_SUFFIX = re.compile(r"\.(?:json|xml|csv|yaml|txt)$", re.IGNORECASE)
_HTTP_WORDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
_CRUD_WORDS = frozenset(
    {
        "list", "retrieve", "read", "fetch", "find", "show", "create", "add", "new", "insert", "update",
        "modify", "edit", "replace", "set", "upsert", "remove", "destroy",
    }
)  # fmt: skip
_RETRIEVE_WORDS = frozenset({"retrieve", "read", "fetch", "show"})
_EXTENSIONS = (
    ("x-speakeasy-group", "x-speakeasy-name-override"),
    ("x-fern-sdk-group-name", "x-fern-sdk-method-name"),
)


@dataclass(frozen=True)
class Options:
    """``[tool.specbind]``: ``layout``, ``path_parameters`` and the ``resources`` table."""

    rule: Rule = "auto"
    path_parameters: PathParameters = "keyword"
    table: tuple[tuple[str, str, int | None], ...] = ()  # (operationId, "resource.sub.method", line)
    source: str = "pyproject.toml"  # the file holding the table, as shown in errors
    pointer: str = "/tool/specbind/resources"


@dataclass
class _Placed:
    """One operation's place before names are made unique."""

    resource: tuple[str, ...]
    method: str  # wanted name
    fallback: str  # the operationId's name, used when `method` is taken
    reason: str
    configured: bool = False
    line: int | None = None
    original: tuple[str, ...] = ()  # `resource` before reserved names got their `_`


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    names: naming.NameTable = field(default_factory=naming.NameTable)
    used: set[str] = field(default_factory=set)  # names its methods' signatures use


def _tokens(path: str) -> tuple[str, ...]:
    """Path segments with parameters as ``{}``, a leading version segment (`v1`, Twilio's
    `2010-04-01`) left out, and a format suffix (`Calls.json`) dropped: it names no resource."""
    parts = [s for s in path.split("/") if s]
    if parts and (_VERSION.fullmatch(parts[0]) or _DATE.fullmatch(parts[0])):
        parts = parts[1:]
    return tuple("{}" if "{" in s else _FORMAT_SUFFIX.sub("", s) or s for s in parts)


def _same_word(a: str, b: str) -> bool:
    wa, wb = naming.words(a), naming.words(b)
    return len(wa) == len(wb) and all(naming.singular(x) == naming.singular(y) for x, y in zip(wa, wb, strict=True))


def _less(words: list[str], drop: Iterable[str]) -> list[str]:
    gone = {naming.singular(w) for d in drop for w in naming.words(d)}
    return [w for w in words if naming.singular(w) not in gone]


def _word_set(names: Iterable[str]) -> set[str]:
    return {naming.singular(w) for n in names for w in naming.words(n)}


def _joined(words: list[str]) -> str:
    return naming.method_name("_".join(words)) if words else ""


class Layout:
    def __init__(
        self,
        data: dict[str, Any],
        options: Options,
        warn: Callable[[Parts, str], None],
        list_like: Callable[[ir.Operation], bool],
        client_attrs: Iterable[str] = (),
    ) -> None:
        self.data = data
        self.options = options
        self.warn = warn
        self.list_like = list_like
        self.client_attrs = CLIENT_ATTRS | frozenset(client_attrs)
        self.problems: list[Problem] = []
        paths: dict[Any, Any] = data["paths"] if isinstance(data.get("paths"), dict) else {}
        self.methods: dict[tuple[str, ...], set[str]] = {}  # the methods each path answers
        self.below: set[tuple[str, ...]] = set()  # has a longer path under it
        self.item_parents: set[tuple[str, ...]] = set()  # has a `{param}` child
        for path, item in paths.items():
            toks = _tokens(str(path))
            answered = {k.upper() for k, v in item.items() if k in _METHODS and isinstance(v, dict)}
            self.methods.setdefault(toks, set()).update(answered if isinstance(item, dict) else ())
            for i in range(len(toks)):
                self.below.add(toks[:i])
                if toks[i] == "{}":
                    self.item_parents.add(toks[:i])
        self.tag_parent = self._tag_parents()
        self.getters: dict[tuple[str, ...], ir.Operation] = {}  # the GET of each path, set by `assign`

    # -- sources ------------------------------------------------------------------------------
    def _tag_parents(self) -> dict[str, str]:
        """OpenAPI 3.2: a tag's `parent` names its parent tag."""
        tags: list[Any] = self.data["tags"] if isinstance(self.data.get("tags"), list) else []
        names = {t["name"] for t in tags if isinstance(t, dict) and isinstance(t.get("name"), str)}
        out: dict[str, str] = {}
        for i, t in enumerate(tags):
            if not isinstance(t, dict) or "parent" not in t:
                continue
            parent = t["parent"]
            if not isinstance(parent, str):
                self.warn(("tags", i, "parent"), "a tag's `parent` must be a string (a tag's name); ignored")
            elif parent not in names:
                self.warn(("tags", i, "parent"), f"parent {parent!r} is not the name of a tag; ignored")
            elif isinstance(t.get("name"), str):
                out[t["name"]] = parent
        return out

    def _tag_chain(self, raw: dict[str, Any], at: Parts) -> list[str] | None:
        tags = raw.get("tags")
        first = tags[0] if isinstance(tags, list) and tags else None
        if not isinstance(first, str) or not naming.resource_name(first):
            return None
        chain, seen = [first], {first}
        while chain[0] in self.tag_parent:
            parent = self.tag_parent[chain[0]]
            if parent in seen:
                self.warn(at + ("tags", 0), f"tag {first!r}: its `parent` chain loops at {parent!r}; cut there")
                break
            seen.add(parent)
            chain.insert(0, parent)
        return chain

    def _extension(self, raw: dict[str, Any], at: Parts) -> tuple[tuple[str, ...] | None, str | None, list[str]]:
        """(group, method, which extension) from the vendor extensions, Speakeasy before Fern."""
        group: tuple[str, ...] | None = None
        method: str | None = None
        said = ["", ""]  # which extension gave the group, and the method
        for group_key, method_key in _EXTENSIONS:
            if group is None and group_key in raw:
                value = raw[group_key]
                parts = value.split(".") if isinstance(value, str) else value if isinstance(value, list) else None
                names = [naming.resource_name(p) for p in parts or [] if isinstance(p, str)]
                if not parts or not all(isinstance(p, str) for p in parts) or not all(names):
                    self.warn(
                        at + (group_key,),
                        f"`{group_key}` must be a string naming a group"
                        + (" (or a list of them)" if group_key.startswith("x-fern") else "")
                        + f", not {value!r}; ignored",
                    )
                else:
                    group = tuple(names)
                    said[0] = f"`{group_key}: {value}`"
            if method is None and method_key in raw:
                value = raw[method_key]
                if not isinstance(value, str) or not naming.snake(value):
                    self.warn(
                        at + (method_key,), f"`{method_key}` must be a string naming a method, not {value!r}; ignored"
                    )
                else:
                    method = naming.method_name(value)
                    said[1] = f"`{method_key}: {value}`"
        return group, method, said

    # -- one operation ------------------------------------------------------------------------
    def _is_action(self, toks: tuple[str, ...], op: ir.Operation, verb: str) -> bool:
        if len(toks) < 2 or toks[-1] == "{}" or toks in self.below or not naming.resource_name(toks[-1]):
            return False
        if verb == "verb":
            return True
        if verb == "crud" or len(self.methods.get(toks, ())) != 1:
            return False
        if toks[-2] == "{}":
            return op.method == "POST" or (op.method == "GET" and not self.list_like(op))
        # next to the collection's items (`/customers/search`), or under an object that answers
        # itself (`/charges/{charge}/dispute/close`, `/charges/{charge}/dispute` has methods)
        parent = toks[:-1]
        return op.method in ("GET", "POST") and (parent in self.item_parents or bool(self.methods.get(parent)))

    def _crud(self, toks: tuple[str, ...], op: ir.Operation, first: str) -> tuple[str, str] | None:
        """(verb, why) for a CRUD-shaped operation."""
        item = bool(toks) and toks[-1] == "{}"
        where = "an item" if item else "a collection"
        if op.method == "GET" and first == "list":
            return "list", f"GET on {where}, a list by its operationId"
        if op.method == "GET" and first in _RETRIEVE_WORDS:
            return "retrieve", f"GET on {where}, one object by its operationId"
        if op.method == "GET" and item:
            return "retrieve", f"GET on {where}"
        if op.method == "GET":
            if self.list_like(op):
                return "list", "GET on a collection, answered with a list"
            return "retrieve", "GET on a collection that answers with one object"
        getter = self.getters.get(toks)
        if op.method == "POST" and not item and toks not in self.item_parents and getter and not self.list_like(getter):
            return "update", "POST on a single object (its GET answers one object; no items below)"
        if op.method == "POST":
            return ("update" if item else "create"), f"POST on {where}"
        if op.method in ("PUT", "PATCH"):
            return "update", f"{op.method} on {where}"
        if op.method == "DELETE":
            return "delete", f"DELETE on {where}"
        return None

    def place(
        self, op: ir.Operation, raw: dict[str, Any], at: Parts, configured: dict[str, tuple[str, int | None]]
    ) -> _Placed:
        # Without an operationId, `operations` names it `<method>_<path>`: words to fall back on.
        op_words = naming.words(op.operation_id)
        first = op_words[0] if op_words and isinstance(raw.get("operationId"), str) else ""
        toks = _tokens(op.path)
        path_words = _word_set(t for t in toks if t != "{}")

        def kind(resource_words: set[str]) -> str:
            """What the operationId's first word says: nothing (none, an HTTP method, or the
            resource itself: `admin-api-keys-get`, `inviteUser` on `invites`), a CRUD verb, or a verb."""
            if not first or first in _HTTP_WORDS or naming.singular(first) in resource_words:
                return "generic"
            return "crud" if first in _CRUD_WORDS else "verb"

        def from_id(resource: tuple[str, ...]) -> str:
            return _joined(_less(op_words, resource))

        if op.operation_id in configured:
            target, line = configured[op.operation_id]
            *where, method = target.split(".")
            return _Placed(tuple(where), method, "", f"configured ({self.options.pointer})", True, line)

        group, ext_method, said = self._extension(raw, at)
        # The candidate action segment is not a resource word (`runGrader` on `.../graders/run`).
        action = self._is_action(toks, op, kind(_word_set(t for t in toks[:-1] if t != "{}")))
        statics = [t for t in (toks[:-1] if action else toks) if t != "{}" and naming.resource_name(t)]
        names = [naming.resource_name(t) for t in statics]

        def verb_for(resource: tuple[str, ...], nested: bool, source: str) -> _Placed:
            if ext_method:
                return _Placed(resource, ext_method, from_id(resource), f"{source}; name from {said[1]}")
            if action and nested:
                name = naming.method_name(naming.resource_name(toks[-1]))
                return _Placed(resource, name, from_id(resource), f"{source}; action segment `{toks[-1]}`")
            crud = self._crud(toks, op, first) if nested and resource else None
            if crud and kind(path_words | _word_set(resource)) != "verb":
                return _Placed(resource, crud[0], from_id(resource), f"{source}; {crud[1]}")
            if from_id(resource):
                return _Placed(
                    resource, from_id(resource), "", f"{source}; the operationId's words less the resource's"
                )
            if crud:  # the operationId only repeats the resource's words
                return _Placed(resource, crud[0], "", f"{source}; {crud[1]} (the operationId names only the resource)")
            name = naming.method_name(op.method.lower())
            return _Placed(resource, name, "", f"{source}; named after its HTTP method")

        if group is not None:
            nested = bool(names) and _same_word(names[-1], group[-1])
            return verb_for(group, nested, f"resource from {said[0]}")
        if self.options.rule != "path":
            chain = self._tag_chain(raw, at)
            if chain is not None:
                tag_names = [naming.resource_name(t) for t in chain]
                match = next((i for i in range(len(names) - 1, -1, -1) if _same_word(names[i], chain[-1])), None)
                if match is not None and self.options.rule == "auto":
                    resource = (*tag_names[:-1], *names[match:])
                    return verb_for(tuple(resource), True, f"tag `{chain[-1]}`, path below it")
                # the tag alone; CRUD verbs still where the path ends at the tag's own collection
                nested = match is not None and match == len(names) - 1
                return verb_for(tuple(tag_names), nested, f"tag `{chain[-1]}`")
        return verb_for(tuple(names), True, "path")

    # -- all operations -------------------------------------------------------------------------
    def assign(self, ops: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
        configured = self._configured(ops)
        self.getters = {_tokens(op.path): op for op in ops if op.method == "GET" and not op.stream_of}
        paths = self.data.get("paths") or {}
        placed: dict[int, _Placed] = {}
        for i, op in enumerate(ops):
            if op.stream_of:
                continue
            raw = paths.get(op.path, {}).get(op.method.lower(), {})
            placed[i] = self.place(op, raw, ("paths", op.path, op.method.lower()), configured)
        # Names each resource's signatures use (`models`, `date`...): no member of it takes one.
        used: dict[tuple[str, ...], set[str]] = {}
        placed_at = {op.name: placed[i].resource for i, op in enumerate(ops) if i in placed}
        for i, op in enumerate(ops):
            used.setdefault(placed[i].resource if i in placed else placed_at[op.stream_of], set()).update(
                _signature_names(op)
            )
        root = _Node()
        for p in placed.values():
            p.resource = self._add(root, p, used)
        if self.problems:
            raise SpecError(self.problems)
        for p in placed.values():
            _find(root, p.resource).used = used.get(p.original, set())
        for node in _nodes(root):
            node.names = naming.NameTable(
                RESERVED | node.used | set(node.children) | (self.client_attrs if node is root else set())
            )
        done: dict[int, tuple[tuple[str, ...], str, str]] = {}
        for i in sorted(placed, key=lambda i: not placed[i].configured):  # configured names first
            p = placed[i]
            table = _find(root, p.resource).names
            if p.configured:
                if p.method in table:
                    self._config_problem(ops[i].operation_id, p.line, f"`{p.method}` is taken on this resource")
                    continue
                name = table.claim(p.method)
            elif p.method not in table:
                name = table.claim(p.method)
            elif p.fallback and p.fallback not in table:
                name = table.claim(p.fallback)
                p.reason += f"; `{p.method}` was taken: the operationId's name"
            else:
                name = table.claim(p.method)
                p.reason += f"; `{p.method}` was taken: numbered"
            done[i] = (p.resource, name, p.reason)
        if self.problems:
            raise SpecError(self.problems)
        out: list[ir.Operation] = []
        by_flat = {ops[i].name: v for i, v in done.items()}
        switches = {op.name: op.stream_switch for op in ops if op.stream_switch}
        for i, op in enumerate(ops):
            if op.stream_of:  # the streaming twin sits next to the method it streams
                resource, origin, _ = by_flat[op.stream_of]
                if op.stream_of in switches:  # called by `origin(stream=True)`: private
                    name = _find(root, resource).names.claim(f"_{origin}_stream")
                    done[i] = (resource, name, f"`{origin}(stream=True)` calls it")
                else:
                    name = _find(root, resource).names.claim(origin + "_stream")
                    done[i] = (resource, name, f"the text/event-stream twin of `{origin}`")
            resource, name, reason = done[i]
            out.append(replace(op, resource_path=resource, method_name=name, layout_reason=reason))
        calls = {op.stream_of: op.method_name for op in out if op.stream_of in switches}
        return tuple(replace(op, stream_call=calls[op.name]) if op.name in calls else op for op in out)

    def _configured(self, ops: tuple[ir.Operation, ...]) -> dict[str, tuple[str, int | None]]:
        known = {op.operation_id for op in ops}
        out: dict[str, tuple[str, int | None]] = {}
        seen: dict[str, str] = {}
        for op_id, target, line in self.options.table:
            if op_id not in known:
                self._config_problem(op_id, line, f"no operation has operationId {op_id!r}")
            elif target in seen:
                self._config_problem(op_id, line, f"{target!r} is already the place of {seen[target]!r}")
            else:
                seen[target] = op_id
                out[op_id] = (target, line)
        if self.problems:
            raise SpecError(self.problems)
        return out

    def _config_problem(self, op_id: str, line: int | None, message: str) -> None:
        pointer = self.options.pointer + "/" + op_id.replace("~", "~0").replace("/", "~1")
        self.problems.append(Problem(self.options.source, line, pointer, message))

    def _add(self, root: _Node, p: _Placed, used: dict[tuple[str, ...], set[str]]) -> tuple[str, ...]:
        """Adds the resource to the tree; a derived name the client or a resource reserves
        gets a trailing `_` (a configured one is an error)."""
        node, path = root, []
        p.original = p.resource
        for n, part in enumerate(p.resource):
            reserved = RESERVED | used.get(p.resource[:n], set()) | (self.client_attrs if node is root else frozenset())
            if part in reserved:
                if p.configured:
                    message = f"`{part}` is reserved ({'a client attribute' if part in self.client_attrs else 'SDK'})"
                    self.problems.append(Problem(self.options.source, p.line, self.options.pointer, message))
                part += "_"
            node = node.children.setdefault(part, _Node())
            path.append(part)
        return tuple(path)


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_NAME = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?<![\w.])[a-z_][a-z0-9_]*""")


def _signature_names(op: ir.Operation) -> set[str]:
    """Lower-case names an operation's signature reads (`models`, `dict`, `date`), but `list`,
    which a class with a `list` member writes `builtins.list` (see `client_tree`)."""
    texts = [p.annotation for p in op.params] + [b.param_annotation for b in op.body_fields]
    texts += [op.body_annotation, op.response or "", op.item_type or ""]
    found = {m.group(0) for t in texts for m in _NAME.finditer(t) if m.group(0)[:1] not in "'\""}
    return found - {"list", "None"}


def _nodes(root: _Node) -> list[_Node]:
    out, todo = [], [root]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(node.children.values())
    return out


def _find(root: _Node, path: tuple[str, ...]) -> _Node:
    node = root
    for part in path:
        node = node.children[part]
    return node
