"""Rows and strategies for kerasspec.layers.regularization."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, maybe

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # rate in [0, 1], ints included; noise_shape is not compared with the input when Keras builds.
    ({"type": "Dropout", "rate": 0}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Dropout", "rate": 1, "seed": 7}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Dropout", "rate": 0.5, "noise_shape": [None, 1, 4]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Dropout", "rate": 0.5, "noise_shape": [1, 5]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Dropout", "rate": 0.5, "noise_shape": []}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "SpatialDropout1D", "rate": 0.5}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "SpatialDropout1D", "rate": 0.5, "seed": 1}, (None, None, None), ((None, None, None), 0, 0)),
    ({"type": "SpatialDropout1D", "rate": 0.5}, (None, 3), "KS302"),
    ({"type": "SpatialDropout1D", "rate": 0.5}, (None, 3, 4, 5), "KS302"),
    ({"type": "SpatialDropout2D", "rate": 0.5, "data_format": "CHANNELS_FIRST"}, (None, 2, 3, 4), ((None, 2, 3, 4), 0, 0)),
    ({"type": "SpatialDropout3D", "rate": 0.5}, (None, 2, 3, 4, 5), ((None, 2, 3, 4, 5), 0, 0)),
    ({"type": "SpatialDropout3D", "rate": 1.0, "data_format": "channels_first"}, (None, 2, 3, 4, 5), ((None, 2, 3, 4, 5), 0, 0)),
    ({"type": "SpatialDropout3D", "rate": 0.5}, (None, 3, 4, 5), "KS302"),
    ({"type": "GaussianNoise", "stddev": 1}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "GaussianNoise", "stddev": 0.1, "seed": 3}, (None, 8, 8, 1), ((None, 8, 8, 1), 0, 0)),
    ({"type": "GaussianDropout", "rate": 0.3}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "AlphaDropout", "rate": 0.1, "noise_shape": [None, 1, 4]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "AlphaDropout", "rate": 1}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "ActivityRegularization"}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "ActivityRegularization", "l1": 0.01, "l2": 1}, (None, 3, 4, 5, 6), ((None, 3, 4, 5, 6), 0, 0)),
    ({"type": "ActivityRegularization", "l1": None, "l2": None}, (None, 3), ((None, 3), 0, 0)),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "SpatialDropout1D": ({"rate": 0.5}, (8, 3)),
    "SpatialDropout3D": ({"rate": 0.5}, (4, 4, 4, 2)),
    "GaussianNoise": ({"stddev": 0.1}, (6,)),
    "GaussianDropout": ({"rate": 0.3}, (6,)),
    "AlphaDropout": ({"rate": 0.1}, (6,)),
    "ActivityRegularization": ({}, (6,)),
}

# Keras takes 0 to 1, both included, as ints or floats.
RATES = st.sampled_from([0, 1, 0.0, 0.1, 0.5, 1.0, -0.1, 1.5, 2])
SEEDS = st.one_of(st.none(), st.integers(-5, 2**31))
FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])


def noise_shape(rank: int, lowest: int) -> st.SearchStrategy[list[int | None]]:
    # Mostly as long as the input, sizes of 1 (shared), the input's (null) or any other.
    size = st.one_of(st.none(), st.integers(lowest, 4))
    return st.one_of(st.lists(size, min_size=rank, max_size=rank), st.lists(size, max_size=rank + 1))


def dropout(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    # Dropout refuses sizes <= 0 in noise_shape.
    return args(rate=RATES, noise_shape=maybe(st.one_of(st.none(), noise_shape(rank, -1))), seed=maybe(SEEDS))


def alpha_dropout(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    # AlphaDropout checks no noise_shape; the spec takes sizes >= 1 only, so none are drawn below.
    return args(rate=RATES, noise_shape=maybe(st.one_of(st.none(), noise_shape(rank, 1))), seed=maybe(SEEDS))


def rate_seed(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(rate=RATES, seed=maybe(SEEDS))


def spatial(with_format: bool):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        fields: dict[str, Any] = {"rate": RATES, "seed": maybe(SEEDS)}
        if with_format:
            fields["data_format"] = maybe(FORMATS)
        return args(**fields)

    return draw_args


def gaussian_noise(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(stddev=st.sampled_from([0, 1, 0.1, 1.0, 0.5, 1.5, 2, -0.1]), seed=maybe(SEEDS))


def activity(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    factor = st.sampled_from([0, 1, 0.0, 0.01, 0.5, None, -0.1, -1])
    return args(l1=maybe(factor), l2=maybe(factor))


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Dropout": ((2, 3, 4), dropout),
    "AlphaDropout": ((2, 3), alpha_dropout),
    "GaussianDropout": ((2, 3), rate_seed),
    "GaussianNoise": ((2, 4), gaussian_noise),
    "SpatialDropout1D": ((3,), spatial(False)),
    "SpatialDropout2D": ((4,), spatial(True)),
    "SpatialDropout3D": ((5,), spatial(True)),
    "ActivityRegularization": ((2, 3), activity),
}
