"""The link stage: pure functions over records, persisted by the store.

- `speakers`: raw speaker keys per attribution, canonical speakers across articles.
- `claims`: statements that make the same claim (clusters of sentence vectors).
- `contradictions`: pairs of statements of one claim that oppose.
- `polarity`: whether a statement affirms or negates what it states (negations, a denial).
- `sides`: the members of one claim for and against its representative proposition.
- `embeddings`: sentence vectors from the packaged encoder (`onrecord.encoder`) in numpy; the ``claims`` extra.

Nothing here touches a database: ``onrecord.store`` reads the inputs and writes the results.
"""
