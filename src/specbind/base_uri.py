"""OpenAPI 3.2 `$self`: the document's own URI, the base its relative references resolve against.

Nothing is ever fetched and nothing outside the spec's folder is read, so `$self` is honoured
where it names the folder the spec is in: relative (`openapi.yaml`, `./api.yaml`), or absolute
(`https://example.com/api/openapi.yaml`), in which case that URL's folder *is* the spec's
folder. Then a `$ref` to the document's own URI (`https://example.com/api/openapi.yaml#/X`, or
`api.yaml#/X` for `$self: api.yaml`) names this document, and one below that folder
(`https://example.com/api/schemas/pet.yaml`) names the file there (`./schemas/pet.yaml`). A
`$self` naming another folder, holding a fragment, or in a document before 3.2 is a located
warning and references resolve against the file, as without it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from .errors import Problem
from .load import Document

#: Schemes whose URIs have folders (a `urn:` names a document, no folder around it).
_HIERARCHICAL = ("http", "https", "file")


@dataclass(frozen=True)
class Base:
    """The document's `$self`, honoured."""

    uri: str  # `$self` as written
    root: Path  # the spec file
    file: Path  # the file `$self` says the document is (in the spec's folder; may not exist)
    folder_url: str | None = None  # an absolute `$self`'s folder, which is the spec's: `https://example.com/api/`

    def file_of(self, target: Path) -> Path:
        """The file a reference names: the spec itself where it names the document by `$self`."""
        return self.root if target == self.file else target

    def localize(self, ref: str, written_in: Path) -> str:
        """``ref`` (written in ``written_in``) as a local reference when it names this document
        by its `$self`, or a file below an absolute `$self`'s folder; else as it is."""
        path, hash_, fragment = ref.partition("#")
        if path == self.uri and (written_in == self.root or urlsplit(self.uri).scheme):
            target = self.root  # a relative `$self` is relative to the spec: in another file it means another
        elif self.folder_url is not None and path.startswith(self.folder_url) and "?" not in path:
            target = self.file_of(self.root.parent / unquote(path[len(self.folder_url) :]))
        else:
            return ref
        if target == written_in:
            return "#" + fragment
        return quote(Path(os.path.relpath(target, written_in.parent)).as_posix()) + hash_ + fragment


def base_of(doc: Document, spec: Path) -> tuple[Base | None, list[Problem]]:
    """The document's `$self` as a ``Base``: None when it has none, or one not honoured (with
    the located warning saying why)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if "$self" not in data:
        return None, []
    value, root = data["$self"], spec.resolve()

    def ignored(why: str) -> tuple[None, list[Problem]]:
        message = f"{why}; ignored: references resolve against the file"
        return None, [Problem(*doc.locate(("$self",)), message, "warning")]

    minor = re.match(r"3\.(\d+)", str(data.get("openapi", "")))
    if minor is None or int(minor[1]) < 2:
        return ignored(f"`$self` is OpenAPI 3.2, and this document is {data.get('openapi')}")
    if not isinstance(value, str) or not value:
        return ignored("`$self` must be a URI reference (a string)")
    if "#" in value:
        return ignored(f"`$self` {value!r} holds a fragment, which OpenAPI forbids")
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme.lower() not in _HIERARCHICAL or parts.query:
            return Base(value, root, root), []  # a name for the document (`urn:`): references to it only
        folder = urljoin(value, ".")
        return Base(value, root, root.parent / (unquote(value[len(folder) :]) or root.name), folder), []
    named = (root.parent / unquote(value)).resolve()
    if named.parent != root.parent or parts.query or value.endswith("/"):
        return ignored(f"`$self` {value!r} names another folder than the spec's (nothing outside it is read)")
    return Base(value, root, named), []
