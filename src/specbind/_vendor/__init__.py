"""The generated packages specbind serves itself (`specbind serve`), imported as
``specbind._vendor.conversations`` and ``specbind._vendor.conversations_azure``.

A wheel ships copies of ``generated/`` here; in a source checkout this package's search path
also covers the repository's ``generated/`` folder. The generated code uses relative imports
only, so it works under any parent package.
"""

from pathlib import Path

_checkout = Path(__file__).resolve().parents[3] / "generated"
if _checkout.is_dir():
    __path__.append(str(_checkout))
