"""Multi-file documents: `$ref`s into other files of the spec's folder, bundled into one.

After load (and overlays), every `$ref` to another file (`./schemas/feedback.yaml`,
`other.yaml#/components/schemas/X`) is followed: the target is copied into the document under
`components/<section>/<name>` and the reference rewritten to point there, so every later phase
sees a single self-contained document. The section is the one the target's pointer names, else
the one its place implies (``places``: a parameter, a response, a header... never becomes a
schema); a path item under `paths`, and an operation anywhere, are copied in place. Inside a copied target, local refs
(`#/X`) mean that file and relative paths are relative to it; both are followed the same way.

Two patterns that real multi-file documents use (DigitalOcean's, with its authors' tooling) are
followed too, in any file, local refs included:
- a `$ref` where OpenAPI wants a string (`description: {$ref: 'intro.yml#/text'}`): the string
  is inlined, with a located warning saying so;
- a map of names given by reference (`properties: {$ref: 'attributes.yml#/ids'}`): a key `$ref`
  whose value is a string cannot be a schema (a property literally named `$ref` holds an object
  or a boolean), so it stands for the whole map, and the target's entries are merged in place.

Names are deterministic and collision-free: a root component that is nothing but a `$ref` to
another file lends its own name to the target; otherwise the target's own name (the last
pointer token, or the file stem for a whole file), then `<stem>_<name>`, then a number.

A 3.2 `$self` naming the spec's folder is the base of references (``base_uri``): a URL below it
is the file here, and the document's own URI is this document.

What is never read: URLs (left for `resolve.check_refs` to refuse), absolute paths, and any
path that resolves (symlinks included) outside the folder holding the root spec. Every file
that was read is recorded (``Document.includes``) for the manifest, and every bundled location
remembers where it came from (``Document.origins``), so errors name the right file and line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, NamedTuple
from urllib.parse import unquote

from .base_uri import Base, base_of
from .errors import Problem, SpecError, pointer_of
from .load import Document, load_file
from .places import (
    DATA,
    KIND_OF_SECTION,
    SECTION_OF,
    STRINGS,
    UNKNOWN_MAP,
    describe,
    is_map,
    kind_at,
    mismatch,
    walk_places,
)
from .places import child_kind as _child_kind
from .resolve import Parts, lookup, parse_pointer

#: `components` sections a target keeps when it is addressed as /components/<section>/<name>.
SECTIONS = frozenset(KIND_OF_SECTION)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_remote(ref: str) -> bool:
    return ref.startswith("//") or (bool(_SCHEME.match(ref)) and not PureWindowsPath(ref).drive)


def is_external(ref: Any) -> bool:
    """A reference into another file (not `#...`, not a URL)."""
    return isinstance(ref, str) and not ref.startswith("#") and not is_remote(ref)


def _mapping_ref(value: Any) -> bool:
    # A discriminator mapping value is a schema name or a reference; references hold `#` or `/`.
    return isinstance(value, str) and ("#" in value or "/" in value) and is_external(value)


def _string_ref(mapping: dict[str, Any], kind: str) -> str | None:
    """A keyword of ``mapping`` that wants a string and holds a `$ref` instead."""
    for key in STRINGS.get(kind, ()):
        value = mapping.get(key)
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            return key
    return None


class _Src(NamedTuple):
    """Where a node of the tree being rewritten was written: its file and its place there."""

    file: Path
    doc: Document
    at: Parts

    def child(self, key: str | int) -> _Src:
        return _Src(self.file, self.doc, (*self.at, key))


class _Target(NamedTuple):
    file: Path
    doc: Document
    parts: Parts
    value: Any


class _Bundler:
    def __init__(self, root: Document, spec: Path, display: Callable[[Path], str], base: Base | None = None) -> None:
        self.root_doc = root
        self.base = base  # the document's `$self` (3.2), honoured
        self.root_file = spec.resolve()
        self.folder = self.root_file.parent
        self.display = display
        self.docs: dict[Path, Document] = {self.root_file: root}
        self.placed: dict[tuple[Path, Parts], Parts] = {}  # target -> its location in the bundle
        self.taken: dict[str, set[str]] = {}
        self.todo: list[tuple[Path, Parts, Parts]] = []
        self.added: dict[Parts, Any] = {}
        self.origins: dict[Parts, tuple[Document, Parts]] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.inlining: set[tuple[Path, Parts]] = set()  # path items and operations being copied in
        self.data: dict[str, Any] = {}

    # -- references -----------------------------------------------------------------------
    def problem(self, doc: Document, at: Parts, message: str) -> None:
        problem = Problem(*doc.locate(at), message)
        if problem not in self.problems:  # a bare alias is looked at twice
            self.problems.append(problem)

    def where(self, target: _Target) -> str:
        """`file:line /pointer` of a target, for a message that names both ends of a `$ref`."""
        file, line, pointer = target.doc.locate(target.parts)
        return f"{file}:{line or 1} {pointer or '/'}"

    def target_file(self, ref: str, file: Path, doc: Document, at: Parts) -> tuple[Path, Parts] | None:
        """The file and pointer ``ref`` (written in ``file``) names; None after reporting a problem."""
        path_part, _, fragment = ref.partition("#")
        if not path_part:
            target = file
        else:
            raw = unquote(path_part)
            if raw.startswith(("/", "\\")) or PureWindowsPath(raw).drive:
                self.problem(
                    doc,
                    at,
                    f"external $ref {ref!r} refused: absolute paths are never read (use a path relative to the spec)",
                )
                return None
            target = (file.parent / raw).resolve()
            target = self.base.file_of(target) if self.base else target
            if not target.is_relative_to(self.folder):
                self.problem(
                    doc, at, f"external $ref {ref!r} refused: it leaves the spec's folder (nothing outside it is read)"
                )
                return None
        try:
            parts = parse_pointer(unquote(fragment))
        except ValueError as exc:
            self.problem(doc, at, f"$ref {ref!r}: {exc}")
            return None
        return target, parts

    def follow(self, ref: str, file: Path, doc: Document, at: Parts) -> _Target | None:
        """What ``ref`` points at, read where it is (any file, this one included); None after a problem."""
        if is_remote(ref):
            self.problem(doc, at, f"remote $ref {ref!r} refused: specbind never fetches anything")
            return None
        named = self.target_file(ref, file, doc, at)
        if named is None:
            return None
        target_doc = self.found(ref, *named, doc, at)
        if target_doc is None:
            return None
        return _Target(named[0], target_doc, named[1], lookup(target_doc.data, named[1]))

    def rewrite(
        self,
        ref: str,
        file: Path,
        doc: Document,
        at: Parts,
        name: str | None = None,
        inline: bool = False,
        kind: str = "schema",
    ) -> str | None:
        """The bundled `#/...` form of ``ref`` written in ``file`` at a place of ``kind``; None after
        reporting a problem (or, with ``inline``, when the target is there to be copied in place)."""
        if is_remote(ref):
            return ref  # refused later, located, by check_refs; never fetched
        named = self.target_file(ref, file, doc, at)
        if named is None:
            return None
        target, parts = named
        if target == self.root_file:
            return "#" + ref.partition("#")[2]
        target_doc = self.found(ref, target, parts, doc, at)
        if target_doc is None or inline:
            return None
        value = lookup(target_doc.data, parts)
        what = mismatch(kind, kind_at(target_doc.data, parts), value)
        if what is not None:  # said here, where the reference is still as written
            article = "an" if kind[0] in "aeiou" else "a"
            self.problem(
                doc,
                at,
                f"$ref {ref!r} points at {what} ({self.where(_Target(target, target_doc, parts, value))}), "
                f"where {article} {kind} is expected",
            )
            return None
        key = (target, parts)
        if key not in self.placed:
            self.placed[key] = self.place(target, parts, name, SECTION_OF.get(kind, "schemas"))
            self.todo.append((target, parts, self.placed[key]))
        return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in self.placed[key])

    def found(self, ref: str, target: Path, parts: Parts, doc: Document, at: Parts) -> Document | None:
        """The loaded file holding the target, if it is there (else a problem is reported)."""
        target_doc = self.load(target, doc, at, ref)
        if target_doc is None:
            return None
        try:
            lookup(target_doc.data, parts)
        except KeyError:
            self.problem(doc, at, f"dangling $ref {ref!r}: no such location in {target_doc.path}")
            return None
        return target_doc

    def inline(self, mapping: dict[str, Any], src: _Src, here: Parts, kind: str) -> None:
        """A path item under `paths` in another file, or an operation anywhere (OpenAPI has no
        section for operations): its content replaces the `$ref` in place (the builder reads
        operations where they are), its own refs rewritten, its origin remembered."""
        ref, at = mapping["$ref"], src.at + ("$ref",)
        if is_remote(ref):
            return  # refused later, located, by check_refs; never fetched
        target = self.follow(ref, src.file, src.doc, at)
        if target is None:
            return
        if kind == "pathItem" and target.file == self.root_file:
            mapping["$ref"] = "#" + ref.partition("#")[2]  # a path item of the root document stays a ref
            return
        if not isinstance(target.value, dict):
            self.problem(
                src.doc,
                at,
                f"$ref {ref!r}: {describe(kind, {})} must be a mapping, and it points at "
                f"{describe(None, target.value)} ({self.where(target)})",
            )
            return
        key = (target.file, target.parts)
        if key in self.inlining:
            self.problem(src.doc, at, f"$ref cycle through {ref!r}: {describe(kind, {})} that contains itself")
            return
        content = copy.deepcopy(target.value)
        self.inlining.add(key)
        self.rewrite_tree(content, _Src(target.file, target.doc, target.parts), kind, here)
        self.inlining.discard(key)
        siblings = {k: v for k, v in mapping.items() if k != "$ref"}
        mapping.clear()
        mapping.update(content)
        mapping.update(siblings)
        self.origins[here] = (target.doc, target.parts)

    def inline_string(self, mapping: dict[str, Any], key: str, src: _Src) -> None:
        """`description: {$ref: ...}` (any place that wants a string): the target's text, inlined."""
        holder = mapping[key]
        ref, at = holder["$ref"], src.at + (key, "$ref")
        target = self.follow(ref, src.file, src.doc, at)
        if target is None:
            return
        if not isinstance(target.value, str):
            self.problem(
                src.doc,
                at,
                f"`{key}` wants a string, but $ref {ref!r} points at {describe(None, target.value)} "
                f"({self.where(target)})",
            )
            return
        mapping[key] = target.value
        dropped = sorted(k for k in holder if k != "$ref")
        self.warnings.append(
            Problem(
                *src.doc.locate(at),
                f"`{key}` is given by $ref {ref!r}, where OpenAPI wants a string: the text it points at "
                f"({self.where(target)}) is inlined" + (f", its sibling keys {dropped} dropped" if dropped else ""),
                "warning",
            )
        )

    def expand_map(
        self, mapping: dict[str, Any], kind: str, src: _Src, here: Parts, seen: frozenset[tuple[Path, Parts]]
    ) -> list[tuple[str, Any, _Src]]:
        """The entries of a map of names, with a `$ref` standing for the whole map (its value is a
        string, so it cannot be a schema) replaced by the target map's entries, in place."""
        ref = mapping.get("$ref")
        if not isinstance(ref, str):
            return [(k, v, src.child(k)) for k, v in mapping.items()]
        at = src.at + ("$ref",)
        target = self.follow(ref, src.file, src.doc, at)
        entries: list[tuple[str, Any, _Src]] = []
        what = kind.removeprefix("map:")
        if target is not None and (target.file, target.parts) in seen:
            self.problem(src.doc, at, f"$ref cycle through {ref!r}: a map of names that refers back to itself")
        elif target is not None and not isinstance(target.value, dict):
            self.problem(
                src.doc,
                at,
                f"$ref {ref!r} stands for this whole map of {what} entries, but points at "
                f"{describe(None, target.value)} ({self.where(target)}), not a mapping",
            )
        elif target is not None:
            content = copy.deepcopy(target.value)
            tsrc = _Src(target.file, target.doc, target.parts)
            entries = self.expand_map(content, kind, tsrc, here, seen | {(target.file, target.parts)})
        merged: dict[str, Any] = {}
        out: list[tuple[str, Any, _Src]] = []
        for key, value in mapping.items():
            if key != "$ref":
                merged[key] = value
                out.append((key, value, src.child(key)))
                continue
            for name, entry, esrc in entries:
                if name in mapping:
                    self.problem(
                        src.doc,
                        src.at + (name,),
                        f"`{name}` is defined here and in the map $ref {ref!r} brings in "
                        f"({esrc.doc.path}:{esrc.doc.line_of(esrc.at) or 1} {pointer_of(esrc.at)}): one must go",
                    )
                    continue
                merged[name] = entry
                out.append((name, entry, esrc))
                self.origins[here + (name,)] = (esrc.doc, esrc.at)
        mapping.clear()
        mapping.update(merged)
        return out

    def load(self, path: Path, doc: Document, at: Parts, ref: str) -> Document | None:
        if path in self.docs:
            return self.docs[path]
        if not path.is_file():
            self.problem(doc, at, f"external $ref {ref!r}: no such file {self.display(path)}")
            return None
        try:
            loaded = load_file(path, self.display(path))
        except SpecError as exc:
            self.problems.extend(exc.problems)
            return None
        self.docs[path] = loaded
        return loaded

    def place(self, file: Path, parts: Parts, name: str | None, context: str) -> Parts:
        """A fresh, deterministic location for the target (file, parts): in the section its own
        pointer names (`/components/parameters/X`), else the one its referrer implies."""
        section = str(parts[1]) if len(parts) == 3 and parts[0] == "components" and parts[1] in SECTIONS else context
        taken = self.taken.setdefault(section, set((self.data.get("components") or {}).get(section) or {}))
        if name is not None:  # the root component that is only this $ref: the target takes its place
            return ("components", section, name)
        stem = PurePosixPath(file.name).stem
        own = str(parts[-1]) if parts else stem
        candidates = [own, f"{stem}_{own}"] if own != stem else [own]
        chosen = next((c for c in candidates if c not in taken), None)
        n = 2
        while chosen is None:
            chosen = f"{candidates[-1]}{n}" if f"{candidates[-1]}{n}" not in taken else None
            n += 1
        taken.add(chosen)
        return ("components", section, chosen)

    # -- the walk -------------------------------------------------------------------------
    def rewrite_tree(self, tree: Any, src: _Src, kind: str, here: Parts) -> None:
        """Rewrite, in place, every `$ref` (and discriminator mapping value) below ``tree``, which
        was written at ``src`` and sits at ``here`` in the bundle, a place of ``kind``."""
        stack: list[tuple[Any, str, _Src, Parts]] = [(tree, kind, src, here)]
        while stack:
            value, kind, src, here = stack.pop()
            if kind == DATA:
                continue
            if isinstance(value, list):
                element = kind[5:] if kind.startswith("list:") else "?" if is_map(kind) else kind
                stack.extend((v, element, src.child(i), here + (i,)) for i, v in reversed(list(enumerate(value))))
                continue
            if not isinstance(value, dict):
                continue
            if is_map(kind):
                if kind == UNKNOWN_MAP:  # names OpenAPI says nothing about: a `$ref` key may be one
                    entries = [(k, v, src.child(k)) for k, v in value.items()]
                else:
                    entries = self.expand_map(value, kind, src, here, frozenset({(src.file, src.at)}))
                element = _child_kind(kind, "", None)
                stack.extend((v, element, s, here + (k,)) for k, v, s in reversed(entries))
                continue
            while (key := _string_ref(value, kind)) is not None and isinstance(value[key], dict):
                self.inline_string(value, key, src)
                if isinstance(value[key], dict):  # refused, and reported
                    break
            self.localize(value, src.file)
            ref = value.get("$ref")
            path_item = src.file == self.root_file and len(here) == 2 and here[0] in ("paths", "webhooks")
            if (path_item and is_external(ref)) or (kind == "operation" and isinstance(ref, str)):
                self.inline(value, src, here, kind)
                continue
            if isinstance(ref, str) and (src.file != self.root_file or is_external(ref)):
                new = self.rewrite(ref, src.file, src.doc, src.at + ("$ref",), kind=kind)
                if new is not None:
                    value["$ref"] = new
            disc = value.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                for key, target in disc["mapping"].items():
                    if isinstance(target, str) and (
                        (src.file != self.root_file and target.startswith("#")) or _mapping_ref(target)
                    ):
                        new = self.rewrite(target, src.file, src.doc, src.at + ("discriminator", "mapping", key))
                        if new is not None:
                            disc["mapping"][key] = new
            stack.extend(
                (v, _child_kind(kind, k, v), src.child(k), here + (k,)) for k, v in reversed(list(value.items()))
            )

    def localize(self, value: dict[str, Any], file: Path) -> None:
        """The references of ``value`` that name a file by the document's `$self` made local."""
        if self.base is None:
            return
        if isinstance(value.get("$ref"), str):
            value["$ref"] = self.base.localize(value["$ref"], file)
        disc = value.get("discriminator")
        if isinstance(disc, dict):
            named = disc["mapping"] if isinstance(disc.get("mapping"), dict) else {}
            for key, target in named.items():
                if isinstance(target, str):
                    named[key] = self.base.localize(target, file)
            if isinstance(disc.get("defaultMapping"), str):
                disc["defaultMapping"] = self.base.localize(disc["defaultMapping"], file)

    def run(self) -> Document:
        root = self.root_doc
        self.data = copy.deepcopy(root.data)
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        for name, schema in schemas.items():  # bare aliases first: they name their targets
            if isinstance(schema, dict):
                self.localize(schema, self.root_file)
            if isinstance(schema, dict) and list(schema) == ["$ref"] and is_external(schema["$ref"]):
                at = ("components", "schemas", name, "$ref")
                new = self.rewrite(schema["$ref"], self.root_file, root, at, name=name)
                if new is not None:
                    schema["$ref"] = new
        self.rewrite_tree(self.data, _Src(self.root_file, root, ()), "document", ())
        while self.todo:
            file, parts, where = self.todo.pop(0)
            doc = self.docs[file]
            content = copy.deepcopy(lookup(doc.data, parts))
            self.rewrite_tree(content, _Src(file, doc, parts), KIND_OF_SECTION.get(str(where[1]), "schema"), where)
            self.added[where] = content
            self.origins[where] = (doc, parts)
        if self.problems:
            raise SpecError(self.problems)
        components = self.data.setdefault("components", {}) if self.added else {}
        for (_, section, name), content in self.added.items():
            if not isinstance(components.get(section), dict):
                components[section] = {}
            components[section][str(name)] = content
        includes = tuple(
            sorted(
                (p.relative_to(self.folder).as_posix(), d.sha256) for p, d in self.docs.items() if p != self.root_file
            )
        )
        return Document(
            root.path,
            root.text,
            self.data,
            root.sha256,
            lines=root.lines,
            origins=self.origins,
            includes=includes,
            warnings=(*root.warnings, *self.warnings),
        )


def bundle(doc: Document, spec: Path, display: Callable[[Path], str]) -> Document:
    """``doc`` with every reference to another file followed and copied in, and the strings and
    maps of names given by reference inlined (see the module doc)."""
    if not isinstance(doc.data, dict):
        return doc
    base, said = base_of(doc, spec)
    if base is None and not _needs_bundling(doc.data):
        return replace(doc, warnings=(*doc.warnings, *said)) if said else doc
    bundled = _Bundler(doc, spec, display, base).run()
    return replace(bundled, warnings=(*bundled.warnings, *said)) if said else bundled


def _needs_bundling(data: Any) -> bool:
    for _, kind, mapping in walk_places(data):
        if is_map(kind):
            if kind != UNKNOWN_MAP and isinstance(mapping.get("$ref"), str):
                return True
            continue
        ref = mapping.get("$ref")
        if is_external(ref) or _string_ref(mapping, kind) is not None or (kind == "operation" and ref is not None):
            return True
        disc = mapping.get("discriminator")
        if (
            isinstance(disc, dict)
            and isinstance(disc.get("mapping"), dict)
            and any(map(_mapping_ref, disc["mapping"].values()))
        ):
            return True
    return False
