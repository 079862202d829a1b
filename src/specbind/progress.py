"""Feedback on long runs: one line per phase as it finishes, with counts and the time taken.

Three modes, chosen by the CLI: on a terminal (stderr is a tty) every phase prints to stderr
as it ends; to a pipe only the one summary line per job (stdout) is printed; `--quiet`
prints nothing but errors and warnings. The pipeline only calls ``Progress.phase``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    label: str = ""  # the job's output folder, as shown to the user
    enabled: bool = False
    stream: TextIO | None = None
    started: float = field(default_factory=time.perf_counter)

    def phase(self, what: str) -> None:
        """``what`` just finished: print it with the time since the previous phase."""
        now = time.perf_counter()
        if self.enabled:
            print(
                f"specbind: {self.label}: {what} in {now - self.started:.2f} s",
                file=self.stream or sys.stderr,
                flush=True,
            )
        self.started = now


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
