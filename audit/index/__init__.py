"""The persistent corpus index: documents, LSH bands and candidate pairs across runs, in SQLite.

`schema` (the file and its tables), `store` (documents, problems, runs, block
statistics), `bands` and `pairs` (band rows, shingle counts, candidate pairs),
`assemble` (the whole comparison from stored pieces), `identity` (what makes a
document unchanged or stale) and `batch` (one run's changes). audit/incremental.py
drives them; docs/index.md explains the guarantees.
"""
