"""The Textual front end: screens over the same engine, store and backends as the CLI."""
