"""Benchmarks of onrecord: tooling beside the package, not installed with it.

Each runs from the repository root as ``python -m benchmarks.<name>`` (the Makefile's
targets pass the data paths):

- `extract` (``make bench``): extraction against a bare spaCy parse of the same texts.
- `store` (``make bench-store``): replicated articles ingested, timed queries (SQLite, PostgreSQL).
- `linking` (``make bench-link``): speaker canonicalisation and claim clustering on synthetic data.
- `serve` (``make bench-serve``): concurrent clients against ``onrecord serve`` (needs aiohttp: the
  ``dev`` extra).

Figures are printed, never asserted: machines are shared and noisy.
"""
