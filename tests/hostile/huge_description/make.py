"""A 5 MB description: valid, odd; must generate within the time and memory bounds."""

body = ("All work and no play. " * 240_000)[:5_000_000]
DATA = (
    'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n'
    f'      description: "{body}"\n      properties:\n        x: {{type: string}}\n'
).encode()
