"""Rows and strategies for kerasspec.layers.normalization."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, maybe

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # BatchNormalization: renorm adds moving_stddev, renorm_mean and renorm_stddev (non-trainable).
    ({"type": "BatchNormalization", "renorm": True}, (None, 3, 4), ((None, 3, 4), 8, 20)),
    ({"type": "BatchNormalization", "renorm": True, "trainable": False}, (None, 3, 4), ((None, 3, 4), 0, 28)),
    (
        {"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": 3, "rmin": 1, "dmax": 5}},
        (None, 3, 4),
        ((None, 3, 4), 8, 20),
    ),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 1}}, (None, 4), ((None, 4), 8, 20)),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": None}}, (None, 4), ((None, 4), 8, 20)),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 3}}, (None, 4), "KS309"),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"dmax": -1}}, (None, 4), "KS309"),
    ({"type": "BatchNormalization", "renorm": True, "renorm_clipping": {"rmax": 3, "foo": 1}}, (None, 4), "KS309"),
    # Without renorm Keras never reads renorm_clipping.
    ({"type": "BatchNormalization", "renorm_clipping": {"foo": 1}}, (None, 4), ((None, 4), 8, 8)),
    (
        {"type": "BatchNormalization", "momentum": 2, "epsilon": -1, "renorm_momentum": 5, "synchronized": True},
        (None, 3, 4),
        ((None, 3, 4), 8, 8),
    ),
    ({"type": "BatchNormalization", "axis": 0}, (5, 3, 4), ((5, 3, 4), 10, 10)),  # a fixed batch size
    ({"type": "BatchNormalization", "axis": 1}, (None, None, 4), "KS308"),
    ({"type": "BatchNormalization", "gamma_initializer": "identity"}, (None, 4), "KS309"),
    ({"type": "BatchNormalization", "moving_variance_initializer": "orthogonal"}, (None, 4), "KS309"),
    ({"type": "BatchNormalization", "scale": False, "gamma_initializer": "identity"}, (None, 4), ((None, 4), 4, 8)),
    (
        {
            "type": "BatchNormalization",
            "beta_regularizer": "l2",
            "gamma_regularizer": {"type": "L1", "l1": 0.01},
            "beta_constraint": "max_norm",
            "gamma_constraint": "non_neg",
            "moving_mean_initializer": "random_normal",
        },
        (None, 8, 8, 3),
        ((None, 8, 8, 3), 6, 6),
    ),
    # LayerNormalization: gamma and beta have the sizes of the axes, sorted as written.
    ({"type": "LayerNormalization", "axis": [1, -1]}, (None, 3, 4), ((None, 3, 4), 24, 0)),
    ({"type": "LayerNormalization", "axis": [1, 2], "gamma_initializer": "identity"}, (None, 3, 4), ((None, 3, 4), 24, 0)),
    ({"type": "LayerNormalization", "gamma_initializer": "identity"}, (None, 3, 4), "KS309"),
    ({"type": "LayerNormalization", "axis": [], "gamma_initializer": "orthogonal"}, (None, 3, 4), "KS309"),
    ({"type": "LayerNormalization", "axis": [], "center": False, "gamma_initializer": "ones"}, (None, 3, 4), ((None, 3, 4), 1, 0)),
    ({"type": "LayerNormalization", "axis": 0}, (5, 3, 4), ((5, 3, 4), 10, 0)),
    ({"type": "LayerNormalization", "axis": 0, "center": False, "scale": False}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "LayerNormalization", "axis": [2, 5], "center": False, "scale": False}, (None, 3, 4), "KS309"),
    ({"type": "LayerNormalization", "epsilon": 0, "beta_regularizer": "l1", "gamma_constraint": "unit_norm"}, (None, 4), ((None, 4), 8, 0)),
    ({"type": "LayerNormalization", "rms_scaling": True, "center": False, "scale": False}, (None, 3, 4), ((None, 3, 4), 4, 0)),
    # RMSNormalization: one `scale` weight, always.
    ({"type": "RMSNormalization"}, (None, 3, 4), ((None, 3, 4), 4, 0)),
    ({"type": "RMSNormalization", "axis": [1, 2]}, (None, 3, 4), ((None, 3, 4), 12, 0)),
    ({"type": "RMSNormalization", "axis": [2, 2]}, (None, 3, 4), ((None, 3, 4), 16, 0)),
    ({"type": "RMSNormalization", "axis": []}, (None, 3, 4), ((None, 3, 4), 1, 0)),
    ({"type": "RMSNormalization", "axis": 1, "epsilon": 0}, (None, 3, 4), ((None, 3, 4), 3, 0)),
    ({"type": "RMSNormalization", "trainable": False}, (None, 3, 4), ((None, 3, 4), 0, 4)),
    ({"type": "RMSNormalization", "axis": 0}, (None, 3, 4), "KS309"),
    ({"type": "RMSNormalization", "axis": 3}, (None, 3, 4), "KS309"),
    ({"type": "RMSNormalization", "axis": [-4]}, (None, 3, 4), "KS309"),
    ({"type": "RMSNormalization", "axis": 1}, (None, None, 4), "KS308"),
    # UnitNormalization: no weights; only the axes are checked.
    ({"type": "UnitNormalization"}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "UnitNormalization", "axis": [1, 2]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "UnitNormalization", "axis": 0}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "UnitNormalization", "axis": []}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "UnitNormalization", "axis": 1}, (None, None, None), ((None, None, None), 0, 0)),
    ({"type": "UnitNormalization", "axis": 3}, (None, 3, 4), "KS309"),
    ({"type": "UnitNormalization", "axis": [1, -4]}, (None, 3, 4), "KS309"),
    # GroupNormalization: groups divide the channels; -1 is one group per channel.
    ({"type": "GroupNormalization"}, (None, 3, 64), ((None, 3, 64), 128, 0)),
    ({"type": "GroupNormalization", "groups": 4}, (None, 3, 8), ((None, 3, 8), 16, 0)),
    ({"type": "GroupNormalization", "groups": -1}, (None, 3, 8), ((None, 3, 8), 16, 0)),
    ({"type": "GroupNormalization", "groups": 2, "axis": 1}, (None, 4, 8), ((None, 4, 8), 8, 0)),
    ({"type": "GroupNormalization", "groups": 2, "center": False}, (None, 8), ((None, 8), 8, 0)),
    ({"type": "GroupNormalization", "groups": 2, "center": False, "scale": False}, (None, 8), ((None, 8), 0, 0)),
    ({"type": "GroupNormalization", "groups": 2, "axis": 0}, (6, 3, 4), ((6, 3, 4), 12, 0)),
    ({"type": "GroupNormalization", "groups": 2, "epsilon": 0, "trainable": False}, (None, 4, 4, 8), ((None, 4, 4, 8), 0, 16)),
    ({"type": "GroupNormalization", "groups": 3}, (None, 3, 8), "KS307"),
    ({"type": "GroupNormalization", "groups": 16}, (None, 3, 8), "KS307"),
    ({"type": "GroupNormalization"}, (None, 28, 28, 3), "KS307"),
    ({"type": "GroupNormalization", "groups": 0}, (None, 8), "KS309"),
    ({"type": "GroupNormalization", "groups": -2}, (None, 8), "KS309"),
    ({"type": "GroupNormalization", "groups": 2, "axis": 0}, (None, 4, 8), "KS309"),
    ({"type": "GroupNormalization", "groups": 2, "axis": 3}, (None, 4, 8), "KS309"),
    ({"type": "GroupNormalization", "groups": 2, "axis": 1}, (None, None, 8), "KS308"),
    ({"type": "GroupNormalization", "groups": 2, "gamma_initializer": "identity"}, (None, 8), "KS309"),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "RMSNormalization": ({}, (4, 6)),
    "UnitNormalization": ({}, (4, 6)),
    "GroupNormalization": ({}, (4, 4, 32)),
}

# Identity and Orthogonal refuse these 1D weights (not LayerNormalization's over several axes):
# one name in six, so that most cases build.
INITS = st.sampled_from(
    ["zeros", "ones", "Ones", "random_normal", "he_normal", "GlorotUniform", "zeros", "ones", "lecun_normal", "Zeros", "identity", "orthogonal"]
)
SAFE_INITS = st.sampled_from(["zeros", "ones", "Ones", "random_uniform", "Zeros"])
REGULARIZERS = st.sampled_from(["l1", "l2", None, {"type": "L1L2", "l1": 0.01, "l2": 0.01}])
CONSTRAINTS = st.sampled_from(["non_neg", "max_norm", "unit_norm", "MinMaxNorm", None])
# Keras takes any number for epsilon and momentum, ints included.
NUMBERS = st.sampled_from([0, 1, 2, 0.0, 1e-3, 1e-6, 0.5, 0.99, -1, -0.5])


def _axis(rank: int) -> st.SearchStrategy[int]:
    # Every axis of the input, the batch included, and one beyond each end.
    return st.integers(-rank - 1, rank)


def _axes(rank: int) -> st.SearchStrategy[Any]:
    return st.one_of(_axis(rank), st.lists(_axis(rank), max_size=3))


def batch_norm(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    clip = st.dictionaries(
        st.sampled_from(["rmax", "rmin", "dmax", "rmax", "dmin"]),
        st.one_of(st.none(), st.sampled_from([-1, 0, 1, 3, 0.5, 5.0])),
        max_size=3,
    )
    return args(
        axis=maybe(st.one_of(st.just(-1), _axis(rank))),
        momentum=maybe(NUMBERS),
        epsilon=maybe(NUMBERS),
        center=maybe(st.booleans()),
        scale=maybe(st.booleans()),
        beta_initializer=maybe(INITS),
        gamma_initializer=maybe(INITS),
        moving_mean_initializer=maybe(SAFE_INITS),
        moving_variance_initializer=maybe(st.one_of(SAFE_INITS, INITS)),
        gamma_regularizer=maybe(REGULARIZERS),
        beta_constraint=maybe(CONSTRAINTS),
        renorm=maybe(st.booleans()),
        renorm_clipping=maybe(st.one_of(st.none(), clip)),
        renorm_momentum=maybe(NUMBERS),
        synchronized=maybe(st.booleans()),
        trainable=maybe(st.booleans()),
    )


def layer_norm(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        axis=maybe(_axes(rank)),
        epsilon=maybe(NUMBERS),
        center=maybe(st.booleans()),
        scale=maybe(st.booleans()),
        beta_initializer=maybe(INITS),
        gamma_initializer=maybe(INITS),
        beta_regularizer=maybe(REGULARIZERS),
        gamma_constraint=maybe(CONSTRAINTS),
        rms_scaling=st.one_of(st.just(False), maybe(st.booleans())),
        trainable=maybe(st.booleans()),
    )


def rms_norm(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(axis=maybe(_axes(rank)), epsilon=maybe(NUMBERS), trainable=maybe(st.booleans()))


def unit_norm(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(axis=maybe(_axes(rank)))


def group_norm(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        groups=st.one_of(st.sampled_from([-1, 1, 2]), st.sampled_from([-1, 1, 2, 3, 4, 6, 0, -2]), maybe(st.just(32))),
        axis=maybe(st.one_of(st.just(-1), _axis(rank))),
        epsilon=maybe(NUMBERS),
        center=maybe(st.booleans()),
        scale=maybe(st.booleans()),
        beta_initializer=maybe(INITS),
        gamma_initializer=maybe(INITS),
        gamma_regularizer=maybe(REGULARIZERS),
        beta_constraint=maybe(CONSTRAINTS),
    )


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "BatchNormalization": ((2, 3, 4), batch_norm),
    "LayerNormalization": ((2, 3, 4), layer_norm),
    "RMSNormalization": ((2, 3, 4), rms_norm),
    "UnitNormalization": ((2, 3, 4), unit_norm),
    "GroupNormalization": ((2, 3, 4), group_norm),
}
