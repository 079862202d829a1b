"""Multi-file documents: `$ref`s into other files of the spec's folder, bundled into one.

After load (and overlays), every `$ref` to another file (`./schemas/feedback.yaml`,
`other.yaml#/components/schemas/X`) is followed: the target is copied into the document under
`components/<section>/<name>` and the reference rewritten to point there, so every later phase
sees a single self-contained document. The section is the one the target's pointer names, else
the one its referrer implies (a parameter, a response, a header... never becomes a schema); a
path item under `paths` is copied in place. Inside a copied schema, local refs (`#/X`) mean that
file and relative paths are relative to it; both are followed the same way.

Names are deterministic and collision-free: a root component that is nothing but a `$ref` to
another file lends its own name to the target; otherwise the target's own name (the last
pointer token, or the file stem for a whole file), then `<stem>_<name>`, then a number.

What is never read: URLs (left for `resolve.check_refs` to refuse), absolute paths, and any
path that resolves (symlinks included) outside the folder holding the root spec. Every file
that was read is recorded (``Document.includes``) for the manifest, and every bundled location
remembers where it came from (``Document.origins``), so errors name the right file and line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import unquote

from .errors import Problem, SpecError
from .load import Document, load_file
from .resolve import Parts, lookup, parse_pointer, walk

#: `components` sections a target keeps when it is addressed as /components/<section>/<name>.
SECTIONS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    }
)
#: Where a `$ref` sits -> the `components` section its target is bundled into (the key of the
#: map or list holding the referring object), so that a parameter, a response or a path item
#: from another file never becomes a schema (and a model).
_CONTEXT_SECTIONS = frozenset(
    {"parameters", "responses", "headers", "examples", "links", "callbacks", "securitySchemes"}
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_remote(ref: str) -> bool:
    return ref.startswith("//") or (bool(_SCHEME.match(ref)) and not PureWindowsPath(ref).drive)


def is_external(ref: Any) -> bool:
    """A reference into another file (not `#...`, not a URL)."""
    return isinstance(ref, str) and not ref.startswith("#") and not is_remote(ref)


def section_for(referrer: Parts) -> str:
    """The components section for the target of a `$ref` found in the object at ``referrer``."""
    if referrer and referrer[-1] == "requestBody":
        return "requestBodies"
    if len(referrer) == 2 and referrer[0] in ("paths", "webhooks"):
        return "pathItems"
    in_property = len(referrer) >= 3 and referrer[-3] == "properties"
    if len(referrer) >= 2 and referrer[-2] in _CONTEXT_SECTIONS and not in_property:
        return str(referrer[-2])
    return "schemas"


def _mapping_ref(value: Any) -> bool:
    # A discriminator mapping value is a schema name or a reference; references hold `#` or `/`.
    return isinstance(value, str) and ("#" in value or "/" in value) and is_external(value)


class _Bundler:
    def __init__(self, root: Document, spec: Path, display: Callable[[Path], str]) -> None:
        self.root_doc = root
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
        self.data: dict[str, Any] = {}

    # -- references -----------------------------------------------------------------------
    def problem(self, doc: Document, at: Parts, message: str) -> None:
        problem = Problem(*doc.locate(at), message)
        if problem not in self.problems:  # a bare alias is looked at twice
            self.problems.append(problem)

    def rewrite(
        self, ref: str, file: Path, doc: Document, at: Parts, name: str | None = None, inline: bool = False
    ) -> str | None:
        """The bundled `#/...` form of ``ref`` written in ``file``; None after reporting a problem
        (or, with ``inline``, when the target is there to be copied in place)."""
        if is_remote(ref):
            return ref  # refused later, located, by check_refs; never fetched
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
        if target == self.root_file:
            return "#" + fragment
        if self.found(ref, target, parts, doc, at) is None or inline:
            return None
        key = (target, parts)
        if key not in self.placed:
            context = section_for(at[:-1]) if at and at[-1] == "$ref" else "schemas"
            self.placed[key] = self.place(target, parts, name, context)
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

    def inline(self, mapping: dict[str, Any], file: Path, doc: Document, at: Parts) -> None:
        """A path item in another file: its content replaces the `$ref` in place (the builder
        reads operations where they are), its own refs rewritten, its origin remembered."""
        ref = mapping["$ref"]
        before = len(self.problems)
        new = self.rewrite(ref, file, doc, at + ("$ref",), name=None, inline=True)
        if new is not None:  # a URL (refused later) or a ref back into the root document
            mapping["$ref"] = new
            return
        if len(self.problems) > before:
            return
        path_part, _, fragment = ref.partition("#")
        target = (file.parent / unquote(path_part)).resolve()
        parts = parse_pointer(unquote(fragment))
        source = self.docs[target]
        content = copy.deepcopy(lookup(source.data, parts))
        if not isinstance(content, dict):
            self.problem(doc, at + ("$ref",), f"$ref {ref!r}: a path item must be a mapping")
            return
        self.rewrite_tree(content, target, source, parts)
        siblings = {k: v for k, v in mapping.items() if k != "$ref"}
        mapping.clear()
        mapping.update(content)
        mapping.update(siblings)
        if file == self.root_file:
            self.origins[at] = (source, parts)

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
    def rewrite_tree(self, tree: Any, file: Path, doc: Document, origin: Parts) -> None:
        """Rewrite, in place, every `$ref` (and discriminator mapping value) below ``tree``."""
        for at, mapping in walk(tree):
            ref = mapping.get("$ref")
            if file == self.root_file and section_for(origin + at) == "pathItems" and is_external(ref):
                self.inline(mapping, file, doc, origin + at)
            elif isinstance(ref, str) and (file != self.root_file or is_external(ref)):
                new = self.rewrite(ref, file, doc, origin + at + ("$ref",))
                if new is not None:
                    mapping["$ref"] = new
            disc = mapping.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                for key, value in disc["mapping"].items():
                    if isinstance(value, str) and (
                        (file != self.root_file and value.startswith("#")) or _mapping_ref(value)
                    ):
                        new = self.rewrite(value, file, doc, origin + at + ("discriminator", "mapping", key))
                        if new is not None:
                            disc["mapping"][key] = new

    def run(self) -> Document:
        root = self.root_doc
        self.data = copy.deepcopy(root.data)
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        for name, schema in schemas.items():  # bare aliases first: they name their targets
            if isinstance(schema, dict) and list(schema) == ["$ref"] and is_external(schema["$ref"]):
                at = ("components", "schemas", name, "$ref")
                new = self.rewrite(schema["$ref"], self.root_file, root, at, name=name)
                if new is not None:
                    schema["$ref"] = new
        self.rewrite_tree(self.data, self.root_file, root, ())
        while self.todo:
            file, parts, where = self.todo.pop(0)
            doc = self.docs[file]
            content = copy.deepcopy(lookup(doc.data, parts))
            self.rewrite_tree(content, file, doc, parts)
            self.added[where] = content
            self.origins[where] = (doc, parts)
        if self.problems:
            raise SpecError(self.problems)
        components = self.data.setdefault("components", {})
        for (_, section, name), content in self.added.items():
            if not isinstance(components.get(section), dict):
                components[section] = {}
            components[section][str(name)] = content
        includes = tuple(
            sorted(
                (p.relative_to(self.folder).as_posix(), d.sha256) for p, d in self.docs.items() if p != self.root_file
            )
        )
        return Document(root.path, root.text, self.data, root.sha256, origins=self.origins, includes=includes)


def bundle(doc: Document, spec: Path, display: Callable[[Path], str]) -> Document:
    """``doc`` with every reference to another file followed and copied in (see the module doc)."""
    if not isinstance(doc.data, dict) or not _has_external(doc.data):
        return doc
    return _Bundler(doc, spec, display).run()


def _has_external(data: Any) -> bool:
    for _, mapping in walk(data):
        if is_external(mapping.get("$ref")):
            return True
        disc = mapping.get("discriminator")
        if (
            isinstance(disc, dict)
            and isinstance(disc.get("mapping"), dict)
            and any(map(_mapping_ref, disc["mapping"].values()))
        ):
            return True
    return False
