"""Outputs people and tools read: the JSON contract and its Markdown and HTML renderings."""
