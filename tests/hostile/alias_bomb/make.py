"""A "billion laughs": nine levels of ten aliases each (10^9 nodes if expanded)."""

lines = ["openapi: 3.1.0", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
DATA = ("\n".join(lines) + "\n").encode()
