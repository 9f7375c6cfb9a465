"""Engines run the per-document stage over many documents; results keep input order."""
