"""kerasspec: declarative Keras Sequential models, linted and analysed without TensorFlow.

The pipeline, one module per stage (``api`` runs the first four)::

    loader     text -> plain data with a line and column for every value   (KS1xx)
    validate   data -> spec.Spec, the pydantic models of the spec language  (KS2xx)
    analysis   shapes and parameter counts, with the pure rules of shapes   (KS3xx)
    semantics  loss vs labels, activations vs from_logits, budgets          (KS4xx, KS5xx)
    build      spec -> compiled keras.Sequential                            (imports Keras)
    data, training, predict, report, plots: data sources, runs and their artefacts
    space      search spaces in a spec, analysed as a whole (check, summary)
    tune       KerasTuner over a spec's spaces (``from kerasspec.tune import tune``; imports Keras)
    reporters, summary, diagram, schema, reference, importer: outputs; cli: the command

The lint path (``load_spec``, ``check``, ``summarize``) imports no TensorFlow;
``build_model`` and ``train`` import Keras when they are called.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

# Importing the package allocates some 50,000 objects (pydantic, the layer and object
# classes), none of them garbage: with the default threshold the collector runs about 80
# times over them, a tenth of a fresh `check`. It is held off while the modules load and
# restored after, so the host process keeps its own settings.
_gc_threshold = gc.get_threshold()
gc.set_threshold(1_000_000, *_gc_threshold[1:])
try:
    from .api import Options, check, load_spec, summarize
    from .diagnostics import RULES, Diagnostic, Severity, SpecError
    from .semantics import Budget
    from .spec import Spec
    from .summary import Summary
finally:
    gc.set_threshold(*_gc_threshold)
    del _gc_threshold

if TYPE_CHECKING:
    from .build import build_model
    from .training import train

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Budget",
    "Diagnostic",
    "Options",
    "Severity",
    "Spec",
    "SpecError",
    "Summary",
    "__version__",
    "build_model",
    "check",
    "load_spec",
    "summarize",
    "train",
]


def __getattr__(name: str) -> Any:
    # Keras is imported only when these are first used, so `import kerasspec` stays light.
    if name == "build_model":
        from .build import build_model

        return build_model
    if name == "train":
        from .training import train

        return train
    raise AttributeError(f"module 'kerasspec' has no attribute {name!r}")
