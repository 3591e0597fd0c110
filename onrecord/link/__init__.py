"""The link stage: pure functions over records, persisted by the store.

- `speakers`: raw speaker keys per attribution, canonical speakers across articles.
- `claims`: statements that make the same claim (clusters of sentence vectors).
- `contradictions`: pairs of statements of one claim that oppose.
- `embeddings`: the sentence encoder (all-MiniLM-L6-v2 in numpy; the ``claims`` extra).

Nothing here touches a database: ``onrecord.store`` reads the inputs and writes the results.
"""
