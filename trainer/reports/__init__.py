"""Reports and exports built from the store: tables, documents and xAPI statements."""
