"""Names Keras resolves from strings: activations, optimizers, losses, metrics, initializers.

These are copies of what Keras 3 accepts (``keras.activations.get`` and friends),
kept here so that the lint path needs no TensorFlow. ``tests/test_names.py``
checks every name against the installed Keras, so the lists cannot drift.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

ACTIVATIONS: tuple[str, ...] = (
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid",
    "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
    "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink",
    "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
)  # fmt: skip

#: Optimizer names Keras takes as strings. Keras lower-cases them first, so any case works.
OPTIMIZERS: tuple[str, ...] = (
    "adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion",
    "nadam", "rmsprop", "sgd",
)  # fmt: skip

#: Loss names ``keras.losses.get`` resolves (case-sensitive), minus abstract bases and
#: losses that need inputs other than (labels, predictions) of one tensor each.
LOSSES: tuple[str, ...] = (
    "binary_crossentropy", "bce", "BCE", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "mean_squared_error", "mse", "MSE",
    "mean_absolute_error", "mae", "MAE", "mean_absolute_percentage_error", "mape", "MAPE",
    "mean_squared_logarithmic_error", "msle", "MSLE", "huber", "hinge", "squared_hinge",
    "categorical_hinge", "kl_divergence", "kld", "KLD", "poisson", "log_cosh",
    "cosine_similarity",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "MeanSquaredError",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
    "Huber", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
    "LogCosh", "CosineSimilarity",
)  # fmt: skip

#: Metric names ``Model.compile`` resolves. ``accuracy``/``acc`` (and the crossentropy
#: short names) are special: Keras picks the variant from the loss and the output shape.
METRICS: tuple[str, ...] = (
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy",
    "sparse_categorical_accuracy", "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "mean_absolute_error", "mae", "mean_squared_error",
    "mse", "mean_absolute_percentage_error", "mape", "mean_squared_logarithmic_error", "msle",
    "root_mean_squared_error", "auc", "precision", "recall", "kl_divergence", "poisson",
    "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity", "log_cosh_error",
    "r2_score",
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "AUC", "Precision", "Recall",
    "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "R2Score",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge",
    "CosineSimilarity", "LogCoshError",
)  # fmt: skip

INITIALIZERS: tuple[str, ...] = (
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
    "lecun_uniform", "ones", "zeros", "orthogonal", "random_normal", "random_uniform",
    "truncated_normal", "variance_scaling", "identity",
    "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform",
    "Ones", "Zeros", "Orthogonal", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Identity",
)  # fmt: skip

REGULARIZERS: tuple[str, ...] = ("l1", "l2", "l1l2", "L1", "L2", "L1L2")

CONSTRAINTS: tuple[str, ...] = (
    "max_norm", "min_max_norm", "non_neg", "unit_norm", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm",
)  # fmt: skip


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
