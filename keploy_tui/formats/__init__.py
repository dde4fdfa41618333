"""Reading and writing suite files; no HTTP and no UI here."""
