"""Errors a user can act on: each names a file, a line, a JSON pointer and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: How many problems one run reports before it stops collecting.
MAX_REPORTED = 20


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    pointer: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        line = self.line if self.line is not None else 1
        pointer = self.pointer or "/"
        return f"specbind: {self.severity}: {self.file}:{line}: {pointer}: {self.message}"

    def as_error(self) -> Problem:
        return Problem(self.file, self.line, self.pointer, self.message, "error")


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


@dataclass
class Diagnostics:
    """Warnings collected over one run: what a real spec gets wrong but a generator survives.

    Each warning says what was done instead (a default left out, an operation skipped).
    ``strict`` turns them into errors at the end of the build (``finish``).
    """

    strict: bool = False
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, file: str, line: int | None, pointer: str, message: str) -> None:
        problem = Problem(file, line, pointer, message, "warning")
        if problem not in self.warnings:
            self.warnings.append(problem)

    def finish(self) -> None:
        if self.strict and self.warnings:
            raise SpecError([w.as_error() for w in self.warnings])


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(parts: tuple[str | int, ...] | list[str | int]) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)
