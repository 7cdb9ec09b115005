"""Checks: the rules a record must pass: its JSON Schema and text rules (each file on its
own) and the rules that span fields and records (references, ids, dates)."""
