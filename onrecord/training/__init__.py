"""Training the models `onrecord.attribute` predicts with: tooling, behind the ``train`` extra.

- `onrecord.training.crf`: the attribution CRF (`train`) and the candidate filter
  (`train_filter`); the filter needs scikit-learn.
- `onrecord.training.transformer`: the transformer tagger (`train`); needs torch (the
  ``transformer`` extra).

Each takes a training compartment (its documents and gold attributions) and writes a
model file with a manifest beside it; ``onrecord train`` is the command over them. This
package sits above the library and the evaluation (it scores on dev with
`onrecord.eval`): nothing in the library imports it.
"""

from __future__ import annotations

INSTALL_HINT = "pip install 'onrecord[train]'"
