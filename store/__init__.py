"""The store: everything the app and the CLI keep, in SQLite or PostgreSQL, behind one service layer.

Start with `store.bootstrap.open_store()` (migrates, loads the demo into an empty database) or
`store.services.Services`; records and enums are in `store.records`, errors in `store.errors`.
See store/README.md for the API.
"""
