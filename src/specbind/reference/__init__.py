"""Reference implementation of the generated `ConversationsService`, backed by SQLite.

Hand-written and outside `generated/`: regeneration never touches it. `specbind serve` runs it.
"""
