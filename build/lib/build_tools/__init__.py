"""Walking backwards, checked: the build tools.

The stage packages, in the order data flows through them: records -> checks -> rating ->
pages -> site; `pipeline` ties the first four together. `editor` and `ops` are tools
beside the flow. Each stage imports only the stages before it (tests/test_layout.py).
"""
