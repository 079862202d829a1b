"""A sample app whose bindings are generated at build time."""
