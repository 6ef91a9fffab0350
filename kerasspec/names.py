"""Names Keras resolves from strings: activations, optimizers, losses, metrics, initializers...

These are copies of what Keras 3 accepts (``keras.activations.get`` and friends),
kept here so that the lint path needs no TensorFlow. ``tests/test_objects.py``
checks every list against the installed Keras both ways (every name resolves, every
name Keras resolves is listed or left out for a stated reason), so they cannot drift.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

ACTIVATIONS: tuple[str, ...] = (
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid",
    "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
    "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink",
    "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink",
)  # fmt: skip

#: Activations ``keras.activations.get`` resolves but a layer cannot call: it calls them with the
#: tensor alone. Refused with the reason.
UNCALLABLE_ACTIVATIONS: dict[str, str] = {
    "threshold": "Keras's `threshold(x, threshold, default_value)` needs two arguments a layer does not pass, "
    "and fails when the layer is called",
}

#: Activations that change the shape: glu splits the last axis in two halves and gates one by the
#: other. A layer's ``compute_output_shape`` ignores its activation, so Keras builds the next layer
#: for the whole axis and fails when the model runs.
HALVING_ACTIVATIONS: frozenset[str] = frozenset({"glu"})

#: Optimizer names ``keras.optimizers.get`` resolves. Keras lower-cases them first, so any
#: case works. Left out: ``optimizer`` (the abstract base), ``lossscaleoptimizer`` (needs an
#: inner optimizer), ``multioptimizer`` and ``optimizermap`` (need a map of layers).
OPTIMIZERS: tuple[str, ...] = (
    "adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "muon",
    "nadam", "rmsprop", "schedulefreeadamw", "sgd",
)  # fmt: skip

#: Loss names ``keras.losses.get`` resolves (case-sensitive), minus the abstract bases and
#: ``ctc`` (it takes sequences of label ids with lengths, not one label per output).
#: ``Model.compile`` also takes ``crossentropy`` and ``ce`` in any case (:data:`ANY_CASE_LOSSES`):
#: it picks binary, sparse or categorical crossentropy from the labels and outputs.
LOSSES: tuple[str, ...] = (
    "binary_crossentropy", "bce", "BCE", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "mean_squared_error", "mse", "MSE",
    "mean_absolute_error", "mae", "MAE", "mean_absolute_percentage_error", "mape", "MAPE",
    "mean_squared_logarithmic_error", "msle", "MSLE", "huber", "hinge", "squared_hinge",
    "categorical_hinge", "kl_divergence", "kld", "KLD", "poisson", "log_cosh",
    "cosine_similarity", "dice", "tversky", "circle",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "MeanSquaredError",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
    "Huber", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
    "LogCosh", "CosineSimilarity", "Dice", "Tversky", "Circle",
    "crossentropy", "ce",
)  # fmt: skip
ANY_CASE_LOSSES: tuple[str, ...] = ("crossentropy", "ce")

#: Metric names ``Model.compile`` resolves (``keras.metrics.get``, case-sensitive), minus the
#: bases (``Metric``, ``Mean``, ``Sum``, ``MeanMetricWrapper``: not a (labels, predictions)
#: metric) and the classes with required arguments (``IoU``, ``MeanIoU``, ``OneHotIoU``,
#: ``OneHotMeanIoU``, ``PrecisionAtRecall``, ``RecallAtPrecision``, ``SensitivityAtSpecificity``,
#: ``SpecificityAtSensitivity``: objects only). ``accuracy`` and ``acc`` are taken in any case
#: (:data:`ANY_CASE_METRICS`): Keras picks the variant from the loss and the output shape.
#: The history key of a metric given by name is the name as written.
METRICS: tuple[str, ...] = (
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy",
    "sparse_categorical_accuracy", "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy", "binary_crossentropy", "bce", "BCE",
    "categorical_crossentropy", "sparse_categorical_crossentropy", "mean_absolute_error",
    "mae", "MAE", "mean_squared_error", "mse", "MSE", "mean_absolute_percentage_error", "mape",
    "MAPE", "mean_squared_logarithmic_error", "msle", "MSLE", "root_mean_squared_error", "auc",
    "precision", "recall", "true_positives", "false_positives", "true_negatives",
    "false_negatives", "f1_score", "f_beta_score", "binary_io_u", "kl_divergence", "poisson",
    "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity", "log_cosh_error",
    "r2_score", "pearson_correlation", "concordance_correlation",
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "AUC", "Precision", "Recall",
    "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives", "F1Score",
    "FBetaScore", "BinaryIoU", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "R2Score",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge",
    "CosineSimilarity", "LogCoshError", "PearsonCorrelation", "ConcordanceCorrelation",
)  # fmt: skip
ANY_CASE_METRICS: tuple[str, ...] = ("accuracy", "acc")

#: Initializer names ``keras.initializers.get`` resolves (case-sensitive): each class's name,
#: its snake case and the aliases Keras lists (``normal``, ``uniform``, ``one``, ``zero``,
#: ``IdentityInitializer``...). Left out: ``Initializer``/``initializer``, the abstract base
#: (Keras fails when the layer builds), and ``constant``/``Constant``: Keras resolves the name
#: through ``Constant.from_config({})``, which fails for want of `value` (write
#: ``{type: Constant, value: 0.5}``).
INITIALIZERS: tuple[str, ...] = (
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
    "lecun_uniform", "ones", "zeros", "orthogonal", "random_normal",
    "random_uniform", "truncated_normal", "variance_scaling", "identity", "stft", "normal",
    "uniform", "one", "zero",
    "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform",
    "Ones", "Zeros", "Orthogonal", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "Identity", "STFT", "IdentityInitializer",
    "OrthogonalInitializer", "STFTInitializer",
)  # fmt: skip

#: Regularizer names ``keras.regularizers.get`` resolves. Left out: ``Regularizer``/``regularizer``,
#: the base class (its penalty is a Python float, on which Keras fails in the first training step).
#: ``keras.regularizers.l1_l2`` is a function, not a name ``get`` resolves.
REGULARIZERS: tuple[str, ...] = (
    "l1", "l2", "l1l2", "orthogonal_regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer",
)  # fmt: skip

#: Constraint names ``keras.constraints.get`` resolves; ``constraint`` is the base class, a no-op.
CONSTRAINTS: tuple[str, ...] = (
    "max_norm", "min_max_norm", "non_neg", "unit_norm", "constraint",
    "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "Constraint",
)  # fmt: skip

#: SciPy's window names that need no parameter (``scipy.signal.get_window``), for STFT's `window`.
STFT_WINDOWS: tuple[str, ...] = (
    "hann", "han", "hamming", "hamm", "ham", "barthann", "brthan", "bth", "bartlett", "bart",
    "brt", "blackman", "black", "blk", "blackmanharris", "blackharr", "bkh", "bohman", "bman",
    "bmn", "boxcar", "box", "ones", "rect", "rectangular", "cosine", "halfcosine",
    "exponential", "poisson", "flattop", "flat", "flt", "lanczos", "sinc", "nuttall", "nutl",
    "nut", "parzen", "parz", "par", "taylor", "taylorwin", "triangle", "triang", "tri", "tukey",
    "tuk",
)  # fmt: skip


@functools.cache  # pure, and called for every type of a family each time a name is resolved
def snake_case(name: str) -> str:
    """Keras's ``keras.src.utils.naming.to_snake_case``, regex for regex."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to ``word``: a case-insensitive match first, then difflib's."""
    choices = list(choices)
    lowered: dict[str, str] = {}
    for c in choices:
        lowered.setdefault(c.lower(), c)  # the first spelling listed is the canonical one
    if word.lower() in lowered:
        return lowered[word.lower()]
    # Compare case-folded so `conv2d_transpose`-style slips still find `Conv2DTranspose`;
    # among difflib's candidates prefer the fewest edits, so `adma` finds `adam`, not `adamax`.
    close = difflib.get_close_matches(word.lower(), list(lowered), n=5, cutoff=0.6)
    if not close:
        return None
    return lowered[min(close, key=lambda c: _edits(word.lower(), c))]


def _edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    best = suggest(word, choices)
    return f"did you mean '{best}'?" if best else None
