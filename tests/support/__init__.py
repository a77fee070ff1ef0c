"""Helpers the tests share: document builders, the captured Google fixtures, raw-JSON witnesses.

Nothing here imports the product's parser: a test that needs to find a section or a
heading in a document does it from the raw `documents.get` JSON with these helpers, so
the code under test is never its own witness.
"""
