"""What the format phase promises, without the phase itself: the pinned formatters, the bytes
they write (`description`) and its errors. The command line and `check` need only this (fmt.py
imports the formatters' machinery)."""

from __future__ import annotations

BLACK_VERSION = "26.10.1"
RUFF_VERSION = "0.17.6"
LINE_LENGTH = 88
TARGET = "py311"
DEFAULT = "ruff"


def description() -> str:
    """What the bytes are, whichever formatter ran: printed in every header ("Formatted by
    ...") and recorded in the manifest."""
    return (
        f"black {BLACK_VERSION} or ruff format {RUFF_VERSION}, the same bytes "
        f"(line-length {LINE_LENGTH}, target {TARGET}, no preview)"
    )


class FormatError(Exception):
    """The formatter could not parse rendered output: a bug in specbind or its templates, not the spec."""


class FormatterUnavailable(FormatError):
    """The chosen formatter is missing or not the pinned version: the user's environment, exit 2."""
