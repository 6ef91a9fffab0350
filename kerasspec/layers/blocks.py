"""Blocks: a nested Sequential used as a layer, and a block repeated without copying it.

``{type: Sequential, name: augment, layers: [...]}`` is what Keras does when a
``keras.Sequential`` is one layer of another: it is built on the input it is
given, ``model.summary()`` shows it as one row, and its parameters are those
of its layers.

``{type: Repeat, times: 50, layers: [...]}`` is not a Keras class: it stands
for its layers written out ``times`` times in its place, as a 101-layer SELU
network writes the same two layers fifty times. The analysis and ``build``
expand it (:func:`expand`), so the summary and the built model show every
copy, as the hand-written model would.
"""

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..shapes import Shape, ShapeError
from .base import Layer, LayerItem, Weight

Path = tuple[str | int, ...]


def _fold(layers: tuple[Layer, ...], shape: Shape) -> Iterator[tuple[int, Layer, Shape, Shape]]:
    """(index, layer, its input, its output) for each layer on ``shape``, a Repeat's copies
    written out in its place; errors point inside, at the layer as the spec writes it."""
    from ..analysis import check_initializers  # the analysis imports this module's family lazily

    for layer, path, _ in expand(list(layers), ()):
        j = int(path[0])
        errors = layer.argument_errors()
        if errors:
            raise errors[0].inside("layers", *path)
        try:
            out = layer.output_shape(shape)
            check_initializers(layer, shape)
        except ShapeError as err:
            raise err.inside("layers", *path) from None
        yield j, layer, shape, out
        shape = out


def _block_weights(layers: tuple[Layer, ...], shape: Shape) -> tuple[Weight, ...]:
    out: list[Weight] = []
    for _, layer, given, _ in _fold(layers, shape):
        out += [w if layer.trainable else w._replace(trainable=False) for w in layer.weights(given)]
    return tuple(out)


class Sequential(Layer):
    """A nested block of layers, built as one Keras `Sequential` layer (one row in the summary)."""

    TYPES: ClassVar = ("Sequential",)
    KERAS_CLASS: ClassVar = "Sequential"
    STRICTER_THAN_KERAS: ClassVar = {"layers": "a block without layers is an empty model: the spec requires them"}
    type: Literal["Sequential"]
    layers: Annotated[list[LayerItem], Field(min_length=1)] = Field(
        description="The block's layers, in order; the block's input is the previous layer's output."
    )

    def argument_errors(self) -> list[ShapeError]:
        from .core import Input

        for j, layer in enumerate(self.layers):
            if isinstance(layer, Input):
                return [
                    ShapeError(
                        "KS211",
                        "a nested Sequential block takes its input from the layer before it; "
                        "an Input layer inside it would start a second model",
                        None,
                        "remove the Input layer from the block",
                    ).inside("layers", j)
                ]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        for *_, out in _fold(tuple(self.layers), shape):
            shape = out
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return _block_weights(tuple(self.layers), shape)

    def output_activation(self) -> str | None:
        for layer in reversed(self.layers):
            act = layer.output_activation()
            if act is not None:
                return act
        return None

    def sublayers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer, _, _ in expand(list(self.layers), ()))  # as Keras holds them

    def to_keras(self, keras: Any, name: str | None) -> Any:
        block = keras.Sequential([layer.to_keras(keras, layer.name) for layer in self.sublayers()], name=name)
        block.trainable = self.trainable
        return block


class Repeat(Layer):
    """Its `layers`, written out `times` times in its place (a spec shorthand, not a Keras class)."""

    TYPES: ClassVar = ("Repeat",)
    KERAS_CLASS: ClassVar = ""  # never built itself: expand() writes its copies out
    type: Literal["Repeat"]
    times: Annotated[int, Field(ge=1, le=10_000, strict=True)] = Field(description="How many copies of `layers`.")
    layers: Annotated[list[LayerItem], Field(min_length=1)] = Field(description="The layers one copy holds, in order.")

    #: Not a Keras class: a spec shorthand the analysis and build expand.
    SPEC_CONSTRUCT: ClassVar = True

    def output_shape(self, shape: Shape) -> Shape:  # pragma: no cover - expanded before analysis
        raise AssertionError("Repeat is expanded before analysis")

    def output_activation(self) -> str | None:
        return Sequential.output_activation(self)  # type: ignore[arg-type]

    def sublayers(self) -> tuple[Layer, ...]:
        return ()  # its copies stand in its place: expand() lists them, they are not inside it


def expand(layers: list[Layer], prefix: Path = ("layers",)) -> list[tuple[Layer, Path, int | None]]:
    """Each layer with its path in the spec and, inside a Repeat, which copy it is (0-based).

    Layers inside a Repeat keep the path the user wrote (``/layers/3/layers/0``), so a
    finding in any copy points at the one place to fix.
    """
    out: list[tuple[Layer, Path, int | None]] = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Repeat):
            inner = expand(list(layer.layers), (*prefix, i, "layers"))
            for copy in range(layer.times):
                out += [(item, path, copy) for item, path, _ in inner]
        else:
            out.append((layer, (*prefix, i), None))
    return out


#: The most layers a Sequential model (or a nested block) may have once every Repeat is
#: written out (KS505, an error beyond). Keras builds, and loads, a Sequential model's graph
#: with one recursive Python call per layer (``Function._build_map_helper``): near 1,000
#: layers that passes Python's recursion limit of 1,000 and Keras fails with RecursionError.
#: 900 leaves room for the frames of whatever calls it (a test runner, a notebook).
MAX_LAYERS = 900
#: Beyond this many, KS505 warns: Keras takes minutes to trace the training step and to load
#: the model (loading adds the layers one by one, rebuilding the graph each time).
SLOW_LAYERS = 500


def layer_count(layers: list[Layer] | tuple[Layer, ...]) -> int:
    """How many layers ``layers`` stands for with every Repeat written out, without writing them out.

    A nested block counts as one layer (it is one node of its model's graph); Input layers
    are not counted (Keras's ``model.layers`` does not list them).
    """
    total = 0
    for layer in layers:
        if isinstance(layer, Repeat):
            total += layer.times * layer_count(layer.layers)
        elif layer.kind != "Input":
            total += 1
    return total


def deep_lists(layers: list[Layer], prefix: Path = ("layers",)) -> Iterator[tuple[int, Path, Path]]:
    """``(layers once Repeat is written out, the list's path, where to point)`` for the model and for
    each nested block holding more than :data:`SLOW_LAYERS`.

    The place is the ``times`` of the Repeat that adds the most layers, else the list itself:
    that is what a user shortens. Each nested block is its own graph, so it is counted apart.
    """
    count = layer_count(layers)
    if count > SLOW_LAYERS:
        repeats = [(layer.times * layer_count(layer.layers), i) for i, layer in enumerate(layers) if isinstance(layer, Repeat)]
        yield count, prefix, ((*prefix, max(repeats)[1], "times") if repeats else prefix)
    for i, layer in enumerate(layers):
        yield from _deep_inside(layer, (*prefix, i))


def _deep_inside(layer: Layer, path: Path) -> Iterator[tuple[int, Path, Path]]:
    if isinstance(layer, Repeat):  # its copies are alike: the blocks inside are checked once
        for j, inner in enumerate(layer.layers):
            yield from _deep_inside(inner, (*path, "layers", j))
    elif isinstance(layer, Sequential):
        yield from deep_lists(list(layer.layers), (*path, "layers"))
    else:
        for inner in layer.sublayers():  # a wrapper's layer (TimeDistributed holding a block)
            yield from _deep_inside(inner, path)
