"""Errors a user can act on: each names a file, a line, a JSON pointer and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

#: How many problems one run reports before it stops collecting.
MAX_REPORTED = 20


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    pointer: str
    message: str

    def __str__(self) -> str:
        line = self.line if self.line is not None else 1
        pointer = self.pointer or "/"
        return f"specbind: error: {self.file}:{line}: {pointer}: {self.message}"


class SpecError(Exception):
    """One or more problems with the input; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_REPORTED]
        self.truncated = len(problems) - len(self.problems)
        super().__init__("\n".join(map(str, self.problems)))

    @classmethod
    def one(cls, file: str, pointer: str, message: str, line: int | None = None) -> SpecError:
        return cls([Problem(file, line, pointer, message)])

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.truncated:
            out.append(f"specbind: error: ... and {self.truncated} more problems")
        return out


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(parts: tuple[str | int, ...] | list[str | int]) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)
