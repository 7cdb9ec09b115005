"""Records: the typed claim, study and source records, the safe YAML reader that remembers
where every value sits, problems, reading the record folders, and the per-file parse cache."""
