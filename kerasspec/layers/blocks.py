"""Blocks: a nested Sequential used as a layer, and a block repeated without copying it.

``{type: Sequential, name: augment, layers: [...]}`` is what Keras does when a
``keras.Sequential`` is one layer of another: it is built on the input it is
given, ``model.summary()`` shows it as one row, and its parameters are those
of its layers. Keras's ``Pipeline`` (defined with the preprocessing layers) is
the same fold of layers as one layer; both share :class:`_Block`.

``{type: Repeat, times: 50, layers: [...]}`` is not a Keras class: it stands
for its layers written out ``times`` times in its place, as a 101-layer SELU
network writes the same two layers fifty times. The analysis and ``build``
expand it (:func:`expand`), so the summary and the built model show every
copy, as the hand-written model would; inside a block it is written out in
the block's list the same way.
"""

import math
from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..shapes import Shape, ShapeError
from .base import Layer, LayerItem, Weight

Path = tuple[str | int, ...]


def _last_activation(layers: list[Layer]) -> str | None:
    """The activation of the last layer that has one (a block's output passes through it)."""
    for layer in reversed(layers):
        act = layer.output_activation()
        if act is not None:
            return act
    return None


class _Block(Layer):
    """Layers folded over the input, as one layer: a nested Sequential or a Pipeline.

    Its ``layers`` may hold a Repeat, written out in its place (:func:`expand`): Keras
    gets the layers the hand-written block would hold.
    """

    #: How messages name the block, and the word their hints use for it.
    WHAT: ClassVar[str] = "a block"
    NOUN: ClassVar[str] = "block"

    layers: Annotated[list[LayerItem], Field(min_length=1)] = Field(description="The layers, in order.")

    def written_out(self) -> list[tuple[Layer, Path, int | None]]:
        """The block's layers with every Repeat written out, each with its path in this layer."""
        return expand(list(self.layers), ("layers",))

    def argument_errors(self) -> list[ShapeError]:
        from .core import Input

        for layer, path, _ in self.written_out():
            if isinstance(layer, Input):
                return [
                    ShapeError(
                        "KS211",
                        f"{self.WHAT} takes its input from the layer before it; an Input layer inside it "
                        "would start a second model",
                        None,
                        f"remove the Input layer from the {self.NOUN}",
                    ).inside(*path)
                ]
        return []

    def inner_output_shape(self, layer: Layer, shape: Shape) -> Shape:
        """One of its layers' output on ``shape``, as the block builds it: its shape rule by default."""
        return layer.output_shape(shape)

    def fold(self, shape: Shape) -> Iterator[tuple[Layer, Shape, Shape]]:
        """(layer, its input, its output) for each layer on ``shape``; errors point inside,
        at the layer as the spec writes it (in a Repeat, at the one place to fix)."""
        # The analysis imports this module's family lazily.
        from ..analysis import check_initializers

        for layer, path, _ in self.written_out():
            errors = layer.argument_errors()
            if errors:
                raise errors[0].inside(*path)
            try:
                out = self.inner_output_shape(layer, shape)
                check_initializers(layer, shape)
            except ShapeError as err:
                raise err.inside(*path) from None
            yield layer, shape, out
            shape = out

    def output_shape(self, shape: Shape) -> Shape:
        for *_, out in self.fold(shape):
            shape = out
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        out: list[Weight] = []
        for layer, given, _ in self.fold(shape):
            out += [w if layer.trainable else w._replace(trainable=False) for w in layer.weights(given)]
        return tuple(out)

    def inner_inputs(self, shape: Shape) -> list[tuple[Layer, Path, Shape]]:
        written = self.written_out()
        return [(layer, path, given) for (layer, given, _), (_, path, _) in zip(self.fold(shape), written, strict=True)]

    def intermediate_size(self, shape: Shape) -> int:
        # Each layer's output but the last (the block's own, counted by the caller), and what
        # each layer keeps besides: the block's layers train as the model's would.
        folded = list(self.fold(shape))
        kept = sum(math.prod(filter(None, out[1:])) for _, _, out in folded[:-1])
        return kept + sum(layer.intermediate_size(given) for layer, given, _ in folded)

    def output_activation(self) -> str | None:
        return _last_activation(list(self.layers))

    def sublayers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer, _, _ in self.written_out())  # as Keras holds them

    def keras_block(self, keras: Any, layers: list[Any], name: str | None) -> Any:
        """The Keras layer holding ``layers``."""
        raise NotImplementedError

    def to_keras(self, keras: Any, name: str | None) -> Any:
        block = self.keras_block(keras, [layer.to_keras(keras, layer.name) for layer in self.sublayers()], name)
        block.trainable = self.trainable  # neither constructor takes `trainable`
        return block


class Sequential(_Block):
    """A nested block of layers, built as one Keras `Sequential` layer (one row in the summary)."""

    TYPES: ClassVar = ("Sequential",)
    KERAS_CLASS: ClassVar = "Sequential"
    STRICTER_THAN_KERAS: ClassVar = {
        "layers": "a block without layers is an empty model: the spec requires them; an Input layer inside one "
        "(which Keras nests) is refused, the block takes its input from the layer before it",
    }
    WHAT: ClassVar = "a nested Sequential block"
    type: Literal["Sequential"]
    layers: Annotated[list[LayerItem], Field(min_length=1)] = Field(
        description="The block's layers, in order; the block's input is the previous layer's output."
    )

    def argument_errors(self) -> list[ShapeError]:
        return super().argument_errors() or self._name_errors()

    def _name_errors(self) -> list[ShapeError]:
        # `keras.Sequential(layers)` adds them one by one and refuses a name it already holds.
        # The names Keras makes up are unique in the session; the ones the spec gives are checked.
        seen: dict[str, Path] = {}
        copies: Counter[Path] = Counter()  # a layer in a Repeat stands in the list once per copy
        for layer, path, _ in self.written_out():
            copies[path] += 1
            if layer.name is None:
                continue
            first = seen.get(layer.name)
            if first is None:
                seen[layer.name] = path
                continue
            where = ".".join(f"{path[k]}[{path[k + 1]}]" for k in range(0, len(path) - 1, 2))
            again = f" (copy {copies[path]} of its Repeat block)" if first == path else ""
            return [
                ShapeError(
                    "KS212",
                    f"layer name '{layer.name}' is used twice in this nested Sequential block, the second time by "
                    f"{where}{again}; Keras requires unique layer names in a Sequential",
                    "name",
                    "leave layers inside a Repeat block unnamed: every copy would get the same name"
                    if again else "rename one of them",
                ).inside(*path)
            ]
        return []

    def keras_block(self, keras: Any, layers: list[Any], name: str | None) -> Any:
        return keras.Sequential(layers, name=name)


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
        return _last_activation(list(self.layers))

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
        if isinstance(layer, Repeat | _Block) or layer.sublayers():  # a plain layer holds no list
            yield from _deep_inside(layer, (*prefix, i))


def _deep_inside(layer: Layer, path: Path) -> Iterator[tuple[int, Path, Path]]:
    if isinstance(layer, Repeat):  # its copies are alike: the blocks inside are checked once
        for j, inner in enumerate(layer.layers):
            yield from _deep_inside(inner, (*path, "layers", j))
    elif isinstance(layer, Sequential):
        yield from deep_lists(list(layer.layers), (*path, "layers"))
    elif isinstance(layer, _Block):  # a Pipeline calls its layers in a loop: no graph of its own to count
        for j, inner in enumerate(layer.layers):
            yield from _deep_inside(inner, (*path, "layers", j))
    else:
        for inner in layer.sublayers():  # a wrapper's layer (TimeDistributed holding a block)
            yield from _deep_inside(inner, path)
