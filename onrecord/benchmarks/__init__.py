"""Benchmark scaffolding (``onrecord bench-store``): replicated articles and timed queries.

Not part of the library's surface; the commands import it lazily.
"""
