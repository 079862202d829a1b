"""Small helpers over annotation text (``Annotated[...]``, ``A | B``), shared by the operation
and body builders."""

from __future__ import annotations


def strip_constraints(annotation: str) -> str:
    """``Annotated[X, Field(...)]`` -> ``X``: argument types say what to pass; the models
    enforce the constraints when the request is validated."""
    out: list[str] = []
    i = 0
    while True:
        j = annotation.find("Annotated[", i)
        if j < 0:
            return "".join(out) + annotation[i:]
        out.append(annotation[i:j])
        depth, k, comma = 0, j + len("Annotated["), -1
        start = k
        while k < len(annotation):
            ch = annotation[k]
            if ch == "[":
                depth += 1
            elif ch == "]":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0 and comma < 0:
                comma = k
            k += 1
        out.append(strip_constraints(annotation[start : comma if comma >= 0 else k]))
        i = k + 1


def union_members(annotation: str) -> list[str]:
    """The top-level members of a ``A | B[C | D]`` annotation (brackets and quotes respected)."""
    members, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(annotation):
        if quote:
            quote = "" if c == quote and annotation[i - 1] != "\\" else quote
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "|" and depth == 0:
            members.append(annotation[start:i].strip())
            start = i + 1
    return [*members, annotation[start:].strip()]


def or_none(annotation: str) -> str:
    """``annotation | None``, unless None is already one of its members (ruff PYI016)."""
    return annotation if "None" in union_members(annotation) else f"{annotation} | None"
