"""Rows and strategies for kerasspec.layers.core (numbers read from Keras 3.15 builds)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, maybe

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({"type": "Dense", "units": 4, "kernel_constraint": "max_norm", "bias_constraint": "NonNeg"}, (None, 5), ((None, 4), 24, 0)),
    ({"type": "Dense", "units": 4, "activation": "relu"}, (None, 2, 5), ((None, 2, 4), 24, 0)),
    ({"type": "Activation", "activation": "softmax"}, (None, 2, 5), ((None, 2, 5), 0, 0)),
    # EinsumDense: Keras's parser, quirks included.
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4}, (None, 5), ((None, 4), 20, 0)),
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (None, 5), ((None, 4), 24, 0)),
    ({"type": "EinsumDense", "equation": "abc,cd->abd", "output_shape": [5, 4], "bias_axes": "d"}, (None, 5, 3), ((None, 5, 4), 16, 0)),
    # A null output size stays unknown, even where the input knows it.
    ({"type": "EinsumDense", "equation": "abc,cd->abd", "output_shape": [None, 4]}, (None, 5, 3), ((None, None, 4), 12, 0)),
    ({"type": "EinsumDense", "equation": "abc,cde->abde", "output_shape": [5, 2, 4], "bias_axes": "de"}, (None, 5, 3), ((None, 5, 2, 4), 32, 0)),
    ({"type": "EinsumDense", "equation": "abc,cde->abde", "output_shape": [5, 2, 4], "bias_axes": "b"}, (None, 5, 3), ((None, 5, 2, 4), 29, 0)),
    # `...` on the left: the elided axes come out reversed.
    ({"type": "EinsumDense", "equation": "...d,de->...e", "output_shape": 5, "bias_axes": "e"}, (None, 2, 3, 4), ((None, 3, 2, 5), 25, 0)),
    ({"type": "EinsumDense", "equation": "...bc,cd->...bd", "output_shape": [5, 4], "bias_axes": "bd"}, (None, 3, 5, 6), ((None, 3, 5, 4), 44, 0)),
    # `...` on the right: the bias gets a 1 per elided axis.
    ({"type": "EinsumDense", "equation": "ab...,bc->ac...", "output_shape": [5], "bias_axes": "c"}, (None, 2, 3, 4), ((None, 5, 3, 4), 15, 0)),
    # Fewer input letters than axes without `...`: the trailing axes are appended anyway.
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4}, (None, 5, 3), ((None, 4, 3), 20, 0)),
    ({"type": "EinsumDense", "equation": "ab,bc->ac and more", "output_shape": 4}, (None, 5), ((None, 4), 20, 0)),
    ({"type": "EinsumDense", "equation": "abc,bcd->ad", "output_shape": [5, 4]}, (None, 5, 3), ((None, 5, 4), 75, 0)),
    ({"type": "EinsumDense", "equation": "abc,cde->abde", "output_shape": [5, 2, 4], "kernel_initializer": "identity"}, (None, 5, 3), "KS309"),
    ({"type": "EinsumDense", "equation": "abc,cd->abd", "output_shape": [6, 4]}, (None, 5, 3), "KS309"),
    ({"type": "EinsumDense", "equation": "abc,cd->abd", "output_shape": 5}, (None, 5, 3), "KS309"),
    ({"type": "EinsumDense", "equation": "abc,cd->abd", "output_shape": 4}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab,bc->acd", "output_shape": 4}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab,bcd->ac", "output_shape": 4}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4, "bias_axes": ""}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab->ac", "output_shape": 4}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "aab,bc->ac", "output_shape": 4}, (None, 5), "KS309"),
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": [None]}, (None, 5), "KS308"),
    ({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4}, (None, None), "KS308"),
    ({"type": "EinsumDense", "equation": "abc,cde->abde", "output_shape": [None, 2, 4], "bias_axes": "be"}, (None, 5, 3), "KS308"),
    # Embedding: any input rank; the table does not depend on the input.
    ({"type": "Embedding", "input_dim": 10, "output_dim": 4}, (None, 5), ((None, 5, 4), 40, 0)),
    ({"type": "Embedding", "input_dim": 10, "output_dim": 4, "mask_zero": True}, (None, None), ((None, None, 4), 40, 0)),
    ({"type": "Embedding", "input_dim": 10, "output_dim": 4, "embeddings_initializer": "identity"}, (None, 5, 2), ((None, 5, 2, 4), 40, 0)),
    ({"type": "Embedding", "input_dim": 10, "output_dim": 4, "input_length": 7, "trainable": False}, (None, 5), ((None, 5, 4), 0, 40)),
    ({"type": "ReversibleEmbedding", "input_dim": 10, "output_dim": 4}, (None, 5), ((None, 5, 4), 40, 0)),
    ({"type": "ReversibleEmbedding", "input_dim": 10, "output_dim": 4, "tie_weights": False}, (None, 5), ((None, 5, 4), 80, 0)),
    # Pass-through layers.
    ({"type": "Masking"}, (None, 5, 3), ((None, 5, 3), 0, 0)),
    ({"type": "Masking", "mask_value": -1}, (None, 5), ((None, 5), 0, 0)),
    ({"type": "Identity"}, (None, 5, None, 2), ((None, 5, None, 2), 0, 0)),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "EinsumDense": ({"equation": "ab,bc->ac", "output_shape": 4}, (6,)),
    "Embedding": ({"input_dim": 10, "output_dim": 4}, (6,)),
    "ReversibleEmbedding": ({"input_dim": 10, "output_dim": 4}, (6,)),
    "Masking": ({}, (5, 3)),
    "Identity": ({}, (5, 3)),
}

INITS = st.sampled_from(["glorot_uniform", "uniform", "orthogonal", "identity", "zeros", "RandomNormal"])
CONSTRAINTS = st.sampled_from(["max_norm", "non_neg", "UnitNorm", "min_max_norm", None])
ACTIVATIONS = st.sampled_from(["relu", "softmax", "sigmoid", "linear", None])


def dense(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        units=st.integers(1, 6),
        activation=maybe(ACTIVATIONS),
        use_bias=maybe(st.booleans()),
        kernel_initializer=maybe(INITS),
        bias_initializer=maybe(st.sampled_from(["zeros", "ones", "orthogonal", "identity"])),
        kernel_regularizer=maybe(st.sampled_from(["l2", {"type": "L1", "l1": 0.01}, None])),
        kernel_constraint=maybe(CONSTRAINTS),
        bias_constraint=maybe(CONSTRAINTS),
    )


def activation(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"activation": st.sampled_from(["relu", "softmax", "tanh", "linear", "gelu"])})


def embedding(reversible: bool):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        extra = {"tie_weights": maybe(st.booleans())} if reversible else {}
        return args(
            input_dim=st.integers(1, 20),
            output_dim=st.integers(1, 8),
            embeddings_initializer=maybe(INITS),
            embeddings_regularizer=maybe(st.sampled_from(["l2", None])),
            embeddings_constraint=maybe(CONSTRAINTS),
            mask_zero=maybe(st.booleans()),
            # Keras 3 ignores it (a warning; the spec's is KS213).
            input_length=maybe(st.sampled_from([None, 5, 12])),
            **extra,
        )

    return draw_args


def masking(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(mask_value=maybe(st.sampled_from([0, 0.0, -1, 1.5])))


def identity(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.just({})


LETTERS = "abcdefgh"


@st.composite
def _einsum(draw: st.DrawFn, rank: int) -> dict[str, Any]:
    """Equations of each of Keras's three forms, mostly fitting the rank, sometimes not.

    The input sizes are drawn apart from the layer, so the output sizes of axes the
    input shares are mostly null (Keras leaves them unknown) and the kernel's new axes
    get sizes.
    """
    form = draw(st.sampled_from(["plain", "plain", "left", "right"]))
    fits = draw(st.integers(0, 4)) < 4  # hypothesis favours small draws: the rare branch is the top one
    if form == "plain":
        n = rank if fits else draw(st.integers(1, rank + 1))
        in_spec = LETTERS[:n]
    elif form == "left":
        in_spec = LETTERS[1 : 1 + draw(st.integers(1, max(1, rank - 1 if fits else rank + 1)))]
    else:
        in_spec = LETTERS[: draw(st.integers(2, max(2, rank if fits else rank + 1)))]
    batch = "" if form == "left" else in_spec[:1]
    reducible = in_spec[len(batch) :]
    reduced = "".join(draw(st.lists(st.sampled_from(reducible), max_size=2, unique=True))) if reducible else ""
    kept = "".join(c for c in in_spec if c not in reduced)
    new = draw(st.sampled_from(["x", "xy", "", "x"]))
    if not reduced + new:
        new = "x"
    kernel = reduced + new
    out_spec = kept + new
    equation = {
        "plain": f"{in_spec},{kernel}->{out_spec}",
        "left": f"...{in_spec},{kernel}->...{out_spec}",
        "right": f"{in_spec}...,{kernel}->{out_spec}...",
    }[form]
    if draw(st.integers(0, 19)) == 19:
        equation = draw(st.sampled_from(["ab->b", "ab,bc->cd", "aab,bc->ac", "ab,bc->ac junk", "AB,BC->AC"]))
        out_spec = equation.split("->")[-1].replace("...", "").split(" ")[0]
    sized = out_spec[len(batch) :] if out_spec[:1] == batch else out_spec
    sizes: list[int | None] = []
    for c in sized:
        if c in in_spec:
            sizes.append(None if draw(st.integers(0, 4)) < 4 else draw(st.integers(1, 5)))
        else:
            sizes.append(draw(st.integers(1, 5)) if draw(st.integers(0, 9)) < 9 else None)
    output_shape: Any = sizes
    if len(sizes) == 1 and sizes[0] is not None and draw(st.booleans()):
        output_shape = sizes[0]
    elif not sizes:
        output_shape = draw(st.integers(1, 5))
    out: dict[str, Any] = {"equation": equation, "output_shape": output_shape}
    pick = draw(st.integers(0, 9))
    if 4 <= pick < 9:
        out["bias_axes"] = draw(st.sampled_from(list(out_spec[-2:] or "a")))
    elif pick == 9:
        out["bias_axes"] = (out_spec[-1:] or "a") + "z"  # not an output axis
    out.update(draw(args(activation=maybe(ACTIVATIONS), kernel_initializer=maybe(INITS), kernel_constraint=maybe(CONSTRAINTS))))
    return out


def einsum_dense(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return _einsum(rank)


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Dense": ((2, 3), dense),
    "Activation": ((2, 3, 4), activation),
    "EinsumDense": ((2, 3, 4), einsum_dense),
    "Embedding": ((2, 3), embedding(False)),
    "ReversibleEmbedding": ((2, 3), embedding(True)),
    "Masking": ((3,), masking),
    "Identity": ((2, 3, 4), identity),
}
