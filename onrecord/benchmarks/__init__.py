"""Benchmarks behind ``onrecord bench`` (`extract`: extraction against a bare spaCy parse),
``onrecord bench-store`` (`store`: replicated articles and timed queries) and ``onrecord
bench-serve`` (`serve`: concurrent clients against ``onrecord serve``).

Not part of the library's surface; the commands import them lazily.
"""
