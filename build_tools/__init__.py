"""Evidence review of claims about walking backwards: load -> validate -> rate -> render."""
