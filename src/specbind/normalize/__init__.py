"""Phase 2b, normalize: a resolved OpenAPI 3.0, 3.1 or 3.2 document -> one internal dialect.

load -> overlay -> bundle -> resolve -> **normalize** -> build IR -> render -> format -> write.

After it, the builders read JSON Schema 2020-12 only (``schema``), find any schema by its
location in a table, read every parameter, request body, response, header and path item where
it is used (``openapi`` follows the references), and get the operations of every method in one
list with their parameters merged (``document``). They never look at `openapi:` and never
resolve a `$ref` themselves. Every location stays a pointer into the original document.
"""

from __future__ import annotations

from .document import Incoming, Normalized, Operation, Parameter
from .openapi import IGNORED_HEADERS, METHODS, normalize

__all__ = ["IGNORED_HEADERS", "METHODS", "Incoming", "Normalized", "Operation", "Parameter", "normalize"]
