"""Raw-document differential: Keras builds the spec exactly as the user wrote it.

Each case is a document as a user writes it: an input shape and one layer of any
kind in the catalogue, drawn by its family's strategy in ``tests/cases/`` (strings
in the user's case, ints or lists, aliases, arguments left out for Keras's own
defaults), sometimes followed by ``Flatten`` and ``Dense``, for some kinds (stateful
recurrent layers) sometimes after an ``Input`` with a fixed batch size. Keras builds it through
the translation below, which shares no code with kerasspec: the mapping's keys
are passed to the Keras class named by ``type`` as they are; only objects
(``{type: RandomNormal, ...}``), wrapped layers (``layer:``) and nested blocks
are made first. Then:

- Keras accepts exactly when ``kerasspec.check`` reports no error;
- on a reject, the first layer Keras refuses is the first layer kerasspec flags;
- on an accept, every layer's name, output shape and parameter counts agree.

Settings (environment): ``KERASSPEC_RAW_EXAMPLES`` (default 5000, shared equally by
the layer kinds, at least 10 each; the fast tier runs :data:`FAST_EXAMPLES` over all
kinds), ``KERASSPEC_DIFF_DERANDOMIZE`` (``0`` explores new cases),
``KERASSPEC_RAW_REPORT`` (a path for the JSON summary, per layer kind).
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections import Counter
from typing import Any

import pytest

keras = pytest.importorskip("keras")

import cases  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import kerasspec  # noqa: E402
from kerasspec.diagnostics import Severity, parse_pointer  # noqa: E402

pytestmark = [pytest.mark.keras]

EXAMPLES = int(os.environ.get("KERASSPEC_RAW_EXAMPLES", "5000"))
FAST_EXAMPLES = 300
DERANDOMIZE = os.environ.get("KERASSPEC_DIFF_DERANDOMIZE", "1") != "0"
REPORT = os.environ.get("KERASSPEC_RAW_REPORT")
STRATEGIES = cases.strategies()
#: The kinds whose documents sometimes start with ``{type: Input, shape, batch_size}``: a
#: fixed batch size, which stateful recurrent layers need (cases modules' ``FIXED_BATCH``).
FIXED_BATCH = frozenset(kind for m in cases.modules() for kind in getattr(m, "FIXED_BATCH", ()))

# --------------------------------------------------------------------------- the Keras side

#: Where a Keras layer argument holding ``{type: ...}`` finds its class, by the argument's name.
_OBJECT_MODULES = (
    ("initializer", "initializers"),
    ("regularizer", "regularizers"),
    ("constraint", "constraints"),
)


def keras_object(arg: str, value: dict[str, Any]) -> Any:
    rest = {k: v for k, v in value.items() if k != "type"}
    for suffix, module in _OBJECT_MODULES:
        if arg.endswith(suffix):
            return getattr(getattr(keras, module), value["type"])(**rest)
    raise AssertionError(f"no Keras module for argument {arg!r}")


def keras_layer(raw: dict[str, Any]) -> Any:
    """The Keras layer for a layer mapping, its arguments passed as written."""
    args = dict(raw)
    kind = args.pop("type")
    if kind in ("Sequential", "Pipeline"):
        # Both constructors take the layer objects, a Repeat's copies written out in its place.
        block = keras.Sequential if kind == "Sequential" else keras.layers.Pipeline
        trainable = args.pop("trainable", True)  # neither constructor takes it
        layer = block([keras_layer(d) for _, d in written_out(args.pop("layers"))], **args)
        layer.trainable = trainable
        return layer
    for key, value in list(args.items()):
        if (key == "layer" and isinstance(value, dict)) or (key == "backward_layer" and isinstance(value, dict)):
            args[key] = keras_layer(value)
        elif isinstance(value, dict) and "type" in value:
            args[key] = keras_object(key, value)
    return getattr(keras.layers, kind)(**args)


def written_out(layers: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """The layers with each ``Repeat`` written out ``times`` times, each with its index in the document."""
    out = []
    for i, raw in enumerate(layers):
        if raw.get("type") == "Repeat":
            out += [(i, inner) for _ in range(raw["times"]) for _, inner in written_out(raw["layers"])]
        else:
            out.append((i, raw))
    return out


def keras_build(doc: dict[str, Any]) -> tuple[Any, int | None, str]:
    """(model, None, "") when Keras builds the document, else (None, index of the layer refused, why)."""
    # Named, as kerasspec's build names the model: an unnamed one would take the name
    # `sequential` before a nested block could.
    model = keras.Sequential(name="model")
    first = doc["layers"][0]
    if first["type"] in ("Input", "InputLayer"):  # the model's input, with a fixed batch size
        model.add(keras.Input(shape=tuple(first["shape"]), batch_size=first.get("batch_size")))
    else:
        model.add(keras.Input(shape=tuple(doc["input_shape"])))
    for i, raw in written_out(doc["layers"]):
        if raw is first and "input_shape" not in doc:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.add(keras_layer(raw))
        except Exception as exc:
            return None, i, f"{type(exc).__name__}: {str(exc)[:300]}"
    return model, None, ""


# --------------------------------------------------------------------------- the generator


@st.composite
def document(draw: st.DrawFn, kind: str | None = None) -> tuple[str, dict[str, Any]]:
    if kind is None:
        kind = draw(st.sampled_from(sorted(STRATEGIES)))
    ranks, strategy = STRATEGIES[kind]
    # Mostly the rank the layer takes (batch included), sometimes any other.
    rank = draw(st.sampled_from(ranks)) if draw(st.integers(0, 9)) < 8 else draw(st.integers(2, 5))
    size = st.one_of(st.integers(1, 12), st.just(None)) if draw(st.integers(0, 9)) == 0 else st.integers(1, 12)
    shape = [draw(size) for _ in range(rank - 1)]
    layer = {"type": kind, **draw(strategy(rank))}
    layers = [layer]
    if draw(st.integers(0, 3)) == 0:
        layers += [{"type": "Flatten"}, {"type": "Dense", "units": draw(st.integers(1, 5))}]
    if kind in FIXED_BATCH and draw(st.integers(0, 2)) > 0:
        batch = draw(st.sampled_from([2, 1, 3, 4, None]))  # None: an Input that fixes nothing
        spelling = draw(st.sampled_from(["Input", "InputLayer"]))
        return kind, {"layers": [{"type": spelling, "shape": shape, "batch_size": batch}, *layers]}
    return kind, {"input_shape": shape, "layers": layers}


# --------------------------------------------------------------------------- the comparison


def _first_flagged(diagnostics: list[Any]) -> int | None:
    indices = []
    for d in diagnostics:
        parts = parse_pointer(d.path)
        if len(parts) >= 2 and parts[0] == "layers" and isinstance(parts[1], int):
            indices.append(parts[1])
        else:
            indices.append(-1)  # the document as a whole
    return min(indices) if indices else None


def compare(kind: str, doc: dict[str, Any], stats: Counter[str]) -> None:
    found = kerasspec.check(doc)
    errors = [d for d in found if d.severity is Severity.ERROR]
    keras.backend.clear_session(free_memory=stats["cases"] % 200 == 0)
    stats["cases"] += 1
    stats[f"{kind}:cases"] += 1
    model, refused, why = keras_build(doc)
    shown = "\n".join(f"  {d.code} {d.path}: {d.message}" for d in errors)
    if model is None:
        assert errors, f"Keras refuses layers[{refused}] ({why}) but kerasspec accepts:\n{doc}"
        first = _first_flagged(errors)
        assert first == refused, (
            f"Keras refuses layers[{refused}] ({why}) but kerasspec flags layers[{first}]:\n{doc}\n{shown}"
        )
        stats["both_reject"] += 1
        stats[f"{kind}:reject"] += 1
        return
    assert not errors, f"Keras accepts but kerasspec rejects:\n{doc}\n{shown}"
    summary = kerasspec.summarize(doc)
    got = [
        (layer.name, tuple(layer.output.shape), layer.count_params(),
         sum(math.prod(w.shape) for w in layer.trainable_weights))
        for layer in model.layers
    ]  # fmt: skip
    want = [(i.name, i.output_shape, i.params, i.trainable_params) for i in summary.layers]
    assert got == want, f"Keras and kerasspec differ:\n{doc}\nkeras:     {got}\nkerasspec: {want}"
    stats["both_accept"] += 1
    stats[f"{kind}:accept"] += 1


#: Figures of the per-kind runs of this session, for the report.
SESSION: Counter[str] = Counter()
STARTED = time.monotonic()


def _run(examples: int, kind: str | None = None) -> Counter[str]:
    stats: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(document(kind))
    def check(case: tuple[str, dict[str, Any]]) -> None:
        compare(*case, stats)

    check()
    return stats


def report(stats: Counter[str], examples: int) -> dict[str, Any]:
    kinds = sorted({k.split(":")[0] for k in stats if ":" in k})
    return {
        "examples_requested": examples,
        "cases": stats["cases"],
        "both_accept": stats["both_accept"],
        "both_reject": stats["both_reject"],
        "agreed": stats["cases"],  # a disagreement fails the run before it is reported
        "kinds": len(kinds),
        "per_kind": {
            k: {"cases": stats[f"{k}:cases"], "accept": stats[f"{k}:accept"], "reject": stats[f"{k}:reject"]}
            for k in kinds
        },
        "seconds": round(time.monotonic() - STARTED, 1),
        "keras_version": keras.__version__,
    }


def test_raw_documents_agree_with_keras_fast() -> None:
    """A few hundred cases over every kind in the fast tier: a Keras disagreement shows before the slow tier."""
    stats = _run(FAST_EXAMPLES)
    print("raw differential (fast):", json.dumps(report(stats, FAST_EXAMPLES)))
    assert stats["both_accept"] > stats["cases"] // 5 and stats["both_reject"] > stats["cases"] // 20


PER_KIND = max(10, EXAMPLES // max(1, len(STRATEGIES)))


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_raw_documents_agree_with_keras(kind: str) -> None:
    """Every kind gets its share of the cases, whatever Hypothesis would draw."""
    stats = _run(PER_KIND, kind)
    SESSION.update(stats)
    assert stats["cases"] >= PER_KIND // 2, f"{kind}: only {stats['cases']} cases drawn"


@pytest.mark.slow
def test_raw_report() -> None:
    """Writes the figures of the per-kind runs above (they run first: pytest keeps file order)."""
    if not SESSION:
        pytest.skip("the per-kind runs were deselected")
    summary = report(SESSION, EXAMPLES)
    print("raw differential:", json.dumps(summary))
    if REPORT:
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    assert SESSION["both_accept"] > SESSION["cases"] // 5 and SESSION["both_reject"] > SESSION["cases"] // 20
