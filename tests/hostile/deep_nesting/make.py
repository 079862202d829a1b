"""2,000 nested schemas."""

spec = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    A: '
DATA = (spec + "{properties: {x: " * 2000 + "{}" + "}}" * 2000 + "\n").encode()
