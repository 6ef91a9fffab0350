"""Import: an existing Keras model file -> a kerasspec spec, without executing anything from it.

A ``.keras`` file is a zip archive whose ``config.json`` describes the model;
``model.to_json()`` writes the same description. This module reads that JSON as
plain data: it never calls ``keras.models.load_model``, never deserializes a
Lambda or a custom object, and needs no TensorFlow. Layers, optimizers, losses
and metrics kerasspec does not support are reported as diagnostics naming them.

Layers inside layers are converted the same way as the model's own, and a finding about
one points at its place in the spec (``/layers/0/layers/2``, ``/layers/1/layer``):

- a nested ``Sequential`` and a ``Pipeline`` become ``{type: Sequential, layers: [...]}``
  and ``{type: Pipeline, layers: [...]}``; the InputLayer Keras writes first in a built
  nested Sequential is left out (the block takes its input from the layer before it);
- ``Bidirectional``, ``TimeDistributed`` and ``SpectralNormalization`` keep their ``layer``.
  Keras saves Bidirectional's layer as ``forward_<name>`` and always saves a backward layer:
  the copy it makes itself (``backward_<name>``, ``go_backwards`` set, nothing else
  changed) is left out, a backward layer that differs in anything else was given and is
  kept as ``backward_layer``. A wrapper whose layer cannot be imported is left out whole;
- inside a layer, Keras numbers unnamed layers from the whole session's counters
  (``dense_7`` in a session that built other models), so a name of Keras's own form for
  the layer's class is taken as Keras's and left out; any other name is kept. A layer
  frozen only because the layer holding it is frozen (Keras writes ``trainable: false``
  on both) is written without its own ``trainable: false``: the model is the same;
- ``Repeat`` is the spec's shorthand, not a Keras class: the file holds its copies, and
  the imported spec holds them written out, layer for layer, with the same shapes and
  parameters. Runs of equal layers are not folded back into a Repeat (where one copy
  starts, and whether equal layers were meant as one block, is not in the file), and a
  ``Repeat`` entry in a file is reported as a layer Keras does not have.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from . import spec as S
from .analysis import keras_name, to_snake_case
from .diagnostics import Diagnostic, KerasspecError, Severity, pointer
from .files import open_regular
from .layers import layer_class
from .layers.core import Input
from .objects import Family, KerasObject, family_of_field

#: Largest config.json read from an archive: a description, not weights.
MAX_CONFIG_BYTES = 20_000_000
_KERAS_FIELDS_IGNORED = {"name", "trainable", "dtype", "registered_name", "build_config"}


class ModelImportError(KerasspecError):
    """The file is not a Keras model description kerasspec can read."""


#: How deep a model description may nest: Keras writes a few levels per wrapper or block.
MAX_CONFIG_DEPTH = 100


def read_model_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The model's JSON description from a ``.keras`` archive or a ``model.to_json()`` file.

    Bounded and checked before it is used: a regular file (a FIFO or a device is an
    OSError), ``config.json`` no larger than :data:`MAX_CONFIG_BYTES` as the archive's
    directory declares it, JSON with finite numbers nested at most :data:`MAX_CONFIG_DEPTH`
    deep, and the structure of a Keras Sequential description (objects where Keras writes
    objects, lists where it writes lists, shapes of integers). Anything else is a
    :class:`ModelImportError` saying what is wrong and where.
    """
    path = Path(path)
    with open_regular(path) as f:
        if zipfile.is_zipfile(f):
            f.seek(0)
            try:
                with zipfile.ZipFile(f) as archive:
                    try:
                        info = archive.getinfo("config.json")
                    except KeyError:
                        raise ModelImportError(f"{path}: a zip archive without config.json is not a .keras model file") from None
                    if info.file_size > MAX_CONFIG_BYTES:
                        raise ModelImportError(
                            f"{path}: config.json is {info.file_size:,} bytes, too large for a model description"
                        )
                    raw = archive.read(info)  # reading stops at the declared size
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise ModelImportError(f"{path}: a damaged .keras archive: {_one_line(exc)}") from None
        else:
            f.seek(0)
            if os.fstat(f.fileno()).st_size > MAX_CONFIG_BYTES:
                raise ModelImportError(f"{path}: too large for a model description")
            raw = f.read(MAX_CONFIG_BYTES + 1)
            if len(raw) > MAX_CONFIG_BYTES:
                raise ModelImportError(f"{path}: too large for a model description")
    config = _parse_config(raw, path)
    if not isinstance(config, dict) or config.get("class_name") != "Sequential":
        kind = config.get("class_name") if isinstance(config, dict) else type(config).__name__
        raise ModelImportError(f"{path}: kerasspec imports Sequential models, this file holds {kind!r}")
    _check_structure(config, path)
    return config


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def _parse_config(raw: bytes, path: Path) -> Any:
    """JSON with finite numbers and bounded nesting; iterative checks, so depth costs no stack."""
    try:
        config = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise ModelImportError(f"{path}: the model description nests too deeply to be a Keras model") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelImportError(f"{path}: not a .keras archive or a model.to_json() document ({_one_line(exc)})") from None
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(config, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise ModelImportError(f"{path}: {pointer(where) or '/'} is {value!r}, not a finite number")
        if isinstance(value, dict | list):
            if len(where) >= MAX_CONFIG_DEPTH:
                raise ModelImportError(f"{path}: the model description nests deeper than {MAX_CONFIG_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, (*where, k)) for k, v in items)
    return config


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_SIZE_FIELDS = ("kernel_size", "strides", "pool_size", "dilation_rate")
#: Keras classes whose config holds a list of layers (a nested Sequential, a preprocessing Pipeline).
_BLOCKS = ("Sequential", "Pipeline")
#: Keras classes whose config holds one layer in `layer` (and Bidirectional a `backward_layer`).
_WRAPPERS = ("Bidirectional", "TimeDistributed", "SpectralNormalization")
#: The spec fields that hold layers, and whether they hold a list of them.
_LAYER_FIELDS = {"layer": False, "backward_layer": False, "layers": True}


def _block_layers(entries: list[Any]) -> tuple[int, list[Any]]:
    """A block's layers as its spec lists them, and how many entries came before them.

    Keras writes the InputLayer it adds when it builds a nested Sequential first in the
    block's list; the spec's block takes its input from the layer before it.
    """
    offset = 1 if entries and isinstance(entries[0], dict) and entries[0].get("class_name") == "InputLayer" else 0
    return offset, entries[offset:]


def _label(path: tuple[str | int, ...]) -> str:
    """A layer as messages name it: ``layer 3`` at the top, ``layer layers[0].layers[1]`` inside."""
    if len(path) == 2:
        return f"layer {path[1]}"
    return "layer " + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _check_structure(config: dict[str, Any], path: Path) -> None:
    """The parts the importer reads have the types Keras writes; a foreign or hand-edited file is refused."""

    def refuse(where: tuple[str | int, ...], what: str) -> ModelImportError:
        return ModelImportError(f"{path}: {pointer(where)} {what}; this is not a description Keras writes")

    model_cfg = config.get("config")
    if model_cfg is None:
        return
    if not isinstance(model_cfg, dict):
        raise refuse(("config",), f"is a {type(model_cfg).__name__}, expected an object")
    if model_cfg.get("name") is not None and not isinstance(model_cfg["name"], str):
        raise refuse(("config", "name"), "is not a string")
    if model_cfg.get("build_input_shape") is not None and not _is_shape(model_cfg["build_input_shape"]):
        raise refuse(("config", "build_input_shape"), "is not a shape (a list of integers and nulls)")
    layers = model_cfg.get("layers")
    if layers is not None and not isinstance(layers, list):
        raise refuse(("config", "layers"), f"is a {type(layers).__name__}, expected a list of layers")

    def check_layer(entry: Any, at: tuple[str | int, ...]) -> None:
        if not isinstance(entry, dict):
            raise refuse(at, f"is a {type(entry).__name__}, expected a layer object")
        if not isinstance(entry.get("class_name"), str):
            raise refuse((*at, "class_name"), "is not a string")
        cfg = entry.get("config")
        if cfg is not None and not isinstance(cfg, dict):
            raise refuse((*at, "config"), f"is a {type(cfg).__name__}, expected an object")
        cfg = cfg or {}
        for key in ("batch_shape", "batch_input_shape", "shape"):
            if cfg.get(key) is not None and not _is_shape(cfg[key]):
                raise refuse((*at, "config", key), "is not a shape (a list of integers and nulls)")
        if "name" in cfg and not isinstance(cfg["name"], str):
            raise refuse((*at, "config", "name"), "is not a string")
        for key in _SIZE_FIELDS:  # Keras writes these as integers or lists of integers, never null
            value = cfg.get(key, 1)
            if not (isinstance(value, int) and not isinstance(value, bool)) and not (
                isinstance(value, list) and all(isinstance(d, int) and not isinstance(d, bool) for d in value)
            ):
                raise refuse((*at, "config", key), "is not an integer or a list of integers")
        # The layers inside a block or a wrapper are read as layers too (depth is bounded by the parse).
        kind = entry["class_name"]
        if kind in _BLOCKS and cfg.get("layers") is not None:
            if not isinstance(cfg["layers"], list):
                raise refuse((*at, "config", "layers"), f"is a {type(cfg['layers']).__name__}, expected a list of layers")
            for j, inner in enumerate(cfg["layers"]):
                check_layer(inner, (*at, "config", "layers", j))
        if kind in _WRAPPERS:
            for key in ("layer", "backward_layer"):
                if cfg.get(key) is not None:
                    check_layer(cfg[key], (*at, "config", key))

    for i, entry in enumerate(layers or []):
        check_layer(entry, ("config", "layers", i))
    compile_cfg = config.get("compile_config")
    if compile_cfg is not None and not isinstance(compile_cfg, dict):
        raise refuse(("compile_config",), f"is a {type(compile_cfg).__name__}, expected an object")
    if isinstance(compile_cfg, dict) and compile_cfg.get("metrics") is not None and not isinstance(compile_cfg["metrics"], list):
        raise refuse(("compile_config", "metrics"), "is not a list")
    # Every serialized object, at any depth: a class name, and a config object (a name for a function).
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(config, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, list):
            stack.extend((v, (*where, k)) for k, v in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        if "class_name" in value:
            kind = value["class_name"]
            if not isinstance(kind, str):
                raise refuse((*where, "class_name"), "is not a string")
            cfg = value.get("config")
            if cfg is not None and not isinstance(cfg, dict) and not (kind == "function" and isinstance(cfg, str)):
                raise refuse((*where, "config"), f"is a {type(cfg).__name__}, expected an object")
            if kind in ("L1", "L2", "L1L2"):
                for key in ("l1", "l2"):
                    if (cfg or {}).get(key) is not None and not _is_number(cfg[key]):
                        raise refuse((*where, "config", key), f"is {cfg[key]!r}, not a number")
        stack.extend((v, (*where, k)) for k, v in value.items())


#: Modules whose objects a Keras description may name: Keras's own, and ``builtins`` for a
#: function stored by name. Anything else is user code.
_KERAS_MODULE_ROOTS = ("keras", "tf_keras", "tensorflow")


def _keras_functions() -> frozenset[str]:
    from .names import ACTIVATIONS, LOSSES, METRICS

    return frozenset((*ACTIVATIONS, *LOSSES, *METRICS))


#: The functions Keras stores by name (``{module: builtins, class_name: function, config: relu}``).
_KERAS_FUNCTIONS = _keras_functions()


def _carries_code(value: Any) -> str | None:
    """What in ``value`` is code or names code outside Keras (a Lambda, a marshalled function, a module), if anything."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("class_name")
        module = node.get("module")
        registered = node.get("registered_name")
        if kind == "Lambda":
            return "a Lambda layer (Python code)"
        if kind == "__lambda__":  # how Keras 3 stores a lambda: its bytecode, marshalled
            return "a marshalled Python function"
        if isinstance(module, str):
            root = module.split(".")[0]
            if module == "builtins":
                if kind != "function":
                    return f"the object {kind!r} from module 'builtins'"
                if node.get("config") not in _KERAS_FUNCTIONS:  # a user's function, stored by name
                    return f"the custom function {node.get('config')!r}"
            elif root not in _KERAS_MODULE_ROOTS:
                return f"the object {kind!r} from module {module!r}"
        if isinstance(registered, str) and ">" in registered:
            return f"the custom object {registered!r}"
        stack.extend(node.values())
    return None


def refuse_code(config: dict[str, Any]) -> list[Diagnostic]:
    """Take every part of a description that carries code out of it, each reported as a KS202 finding.

    A layer holding a Lambda, a marshalled function or an object from a module outside
    Keras (``{module: os, ...}``) is replaced by an empty entry, so nothing of it reaches the
    spec; a compile section holding one is dropped. The README's promise: import never
    copies code, and says what it left out.
    """
    found: list[Diagnostic] = []
    model_cfg = config.get("config") if isinstance(config.get("config"), dict) else {}
    what = _carries_code({k: v for k, v in config.items() if k not in ("config", "compile_config")})
    what = what or _carries_code({k: v for k, v in model_cfg.items() if k != "layers"})
    if what:
        raise ModelImportError(f"the model description itself carries code ({what}); kerasspec never imports code")
    entries = model_cfg.get("layers") or []
    offset, _ = _block_layers(entries)
    if offset and (what := _carries_code(entries[0])):
        raise ModelImportError(f"the input layer carries code ({what}); kerasspec never imports code")
    _refuse_layers(entries, offset, ("layers",), found)
    compile_cfg = config.get("compile_config")
    if isinstance(compile_cfg, dict):
        what = _carries_code(compile_cfg)
        if what is not None:
            found.append(Diagnostic(
                "KS202", f"the compile settings carry code: {what}; the compile section was left out",
                path=pointer(("compile",)),
                hint="kerasspec never imports code: name Keras's own optimizer, loss and metrics",
            ))
            config["compile_config"] = None
    return found


def _refuse_layers(entries: list[Any], offset: int, prefix: tuple[str | int, ...], found: list[Diagnostic]) -> None:
    """Empty each entry of a list of layers that carries code, reporting it at its place in the spec.

    Inside a nested Sequential or a Pipeline only the layer that carries code goes; a wrapper
    goes whole (it is nothing without its layer), and so does a block whose own settings, or
    the InputLayer Keras writes first in it, carry code.
    """
    for position, entry in enumerate(entries):
        if position < offset:
            continue
        what = _carries_code(entry)
        if what is None:
            continue
        index = position - offset
        kind = entry.get("class_name") if isinstance(entry, dict) else None
        cfg = entry.get("config") if isinstance(entry, dict) else None
        if kind in _BLOCKS and isinstance(cfg, dict) and isinstance(cfg.get("layers"), list):
            inner_offset, _ = _block_layers(cfg["layers"])
            own = {**{k: v for k, v in entry.items() if k != "config"}, "config": {k: v for k, v in cfg.items() if k != "layers"}}
            if _carries_code(own) is None and not (inner_offset and _carries_code(cfg["layers"][0])):
                _refuse_layers(cfg["layers"], inner_offset, (*prefix, index, "layers"), found)
                continue
        found.append(Diagnostic(
            "KS202", f"{_label((*prefix, index))} ({kind!r}) carries code: {what}; it was left out",
            path=pointer((*prefix, index)),
            hint="kerasspec never imports code: write the layer's computation with layers of the spec language",
        ))
        entries[position] = {}  # nothing of it reaches the spec; config_to_spec's own finding is dropped


def float32_repr(value: float) -> float:
    """The shortest decimal for a float32 artifact: Keras stores 0.001 as 0.0010000000474974513.

    Only a widened float32 is shortened: a value that a float32 holds exactly and that needs
    float64's 15+ significant digits to write. Short values (0.197265625, 0.5) and genuine
    float64 values (0.19668875715756268) are kept as they are.
    """
    mantissa = repr(value).lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    if len(mantissa) < 15:
        return value
    try:
        packed = struct.pack("f", value)
    except (OverflowError, struct.error):
        return value
    if struct.unpack("f", packed)[0] != value:
        return value  # not a float32 at all
    for digits in range(1, 10):
        candidate = float(f"{value:.{digits}g}")
        if struct.pack("f", candidate) == packed:
            return candidate
    return value


#: Config keys Keras writes for an object that are not constructor arguments of the spec's class.
_OBJECT_KEYS_IGNORED = {"dtype", "registered_name"}


def _same_object(family: Family, a: Any, b: Any) -> bool:
    """Whether two names stand for the same Keras class with its defaults (`uniform`, `random_uniform`)."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    found_a, found_b = family.resolve(a), family.resolve(b)
    return found_a is not None and found_b is not None and found_a[0](type=found_a[1]).kind == found_b[0](type=found_b[1]).kind


def _is_auto_name(name: str, kind: str) -> bool:
    """Whether ``name`` is one Keras generates for an object of class ``kind`` (`adam`, `auc_1`)."""
    return re.fullmatch(re.escape(to_snake_case(kind)) + r"(_\d+)?", name) is not None


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return float32_repr(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    out = {}
    for name, f in cls.model_fields.items():
        if not f.is_required():
            default = f.get_default(call_default_factory=True)
            out[name] = list(default) if isinstance(default, tuple) else default
    return out


def _same(a: Any, b: Any) -> bool:
    def norm(v: Any) -> Any:
        if isinstance(v, tuple | list):
            return [norm(x) for x in v]
        return v

    return norm(a) == norm(b)


def _is_next_auto_name(name: str, kind: str, counters: dict[str, int]) -> bool:
    """Whether ``name`` is the name Keras gives the next unnamed ``kind``; if so, count it."""
    base = to_snake_case(kind)
    n = counters.get(base, 0)
    if name != (base if n == 0 else f"{base}_{n}"):
        return False
    counters[base] = n + 1
    return True


def _without_ids(value: Any) -> Any:
    """A description without the ``shared_object_id`` marks a ``.keras`` archive adds to its objects."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _default_backward(forward: Any, backward: Any) -> str | None:
    """The name of the layer Bidirectional was given, if ``backward`` is the copy Keras makes of it.

    Without a ``backward_layer`` Keras copies its layer twice through its config: the forward
    copy named ``forward_<name>``, the backward one ``backward_<name>`` with ``go_backwards``
    set (each prefix removed first from a name that has it). Both copies are saved; a backward
    layer that differs in anything else was given, and the spec keeps it.
    """
    if not (isinstance(forward, dict) and isinstance(backward, dict)) or forward.get("class_name") != backward.get("class_name"):
        return None
    f, b = forward.get("config"), backward.get("config")
    if not (isinstance(f, dict) and isinstance(b, dict)) or b.get("go_backwards") is not True:
        return None
    if _without_ids({k: v for k, v in f.items() if k not in ("name", "go_backwards")}) != _without_ids(
        {k: v for k, v in b.items() if k not in ("name", "go_backwards")}
    ):
        return None
    f_name, b_name = f.get("name"), b.get("name")
    if not (isinstance(f_name, str) and isinstance(b_name, str) and f_name.startswith("forward_")):
        return None
    rest = f_name.removeprefix("forward_")
    for given in (rest, f"forward_{rest}"):  # the names that Keras makes f_name of
        if b_name == f"backward_{given.removeprefix('backward_')}":
            return given
    return None


#: What :meth:`_Importer.obj` returns for an object it reported and left out.
_LEFT_OUT: Any = object()


class _Importer:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def problem(self, path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("KS202", message, path=pointer(path), hint=hint))

    def layer(
        self,
        path: tuple[str | int, ...],
        entry: dict[str, Any],
        auto_names: dict[str, int],
        *,
        nested: bool = False,
        frozen: bool = False,
        saved_name: str | None = None,
    ) -> dict[str, Any] | None:
        """One layer of the spec from its Keras description, the layers it holds converted the same way.

        ``nested``: inside a block or a wrapper, where Keras named the layer from the session's
        counters (``dense_7`` in a session that built other models): a name of Keras's form for
        its class is taken as Keras's own and left out. ``frozen``: a layer that holds it is not
        trainable, which freezes it whatever its own flag says. ``saved_name``: the name to judge
        instead of the config's (Bidirectional's forward layer, renamed ``forward_...`` by Keras).
        """
        kind = entry.get("class_name")
        cfg = entry.get("config") or {}
        cls = layer_class(kind) if isinstance(kind, str) else None
        if cls is None or cls is Input or cls.SPEC_CONSTRUCT:
            self.problem(
                path,
                f"{_label(path)} is a {kind!r}, which kerasspec does not support",
                "kerasspec imports the layers of its spec language (see docs/spec.md); "
                "Lambda and custom layers are never imported",
            )
            return None
        assert isinstance(kind, str)
        out: dict[str, Any] = {"type": kind}
        defaults = _defaults(cls)
        holds_frozen = frozen or cfg.get("trainable") is False
        for attr, info in cls.model_fields.items():
            field = info.alias or attr  # the Keras argument (EinsumDense's `output_shape` field has another name)
            if field in ("type", "name", "trainable", *cls.SHAPE_ARGS) or field not in cfg:
                continue
            value = cfg[field]
            if field in _LAYER_FIELDS:
                inner = self.inner(kind, path, field, cfg, auto_names, holds_frozen)
                if inner is _LEFT_OUT:
                    return None  # a wrapper without its layer: the inner layer's finding says why
                if inner is not None:
                    out[field] = inner
                continue
            if (family := family_of_field(field)) is not None:
                value = self.obj(value, family, (*path, field))
                if value is _LEFT_OUT or _same_object(family, value, defaults.get(field)):
                    continue  # Embedding's default `uniform` is the RandomUniform Keras saves
            else:
                value = _plain(value)
                if isinstance(value, list) and len(value) == 1 and isinstance(defaults.get(field), int):
                    value = value[0]  # Keras stores LayerNormalization's axis -1 as [-1]
            if field in defaults and _same(value, defaults[field]):
                continue
            out[field] = value
        # Keras writes every default out; a spec states only what differs from it.
        if out.get("activation") == "linear" and defaults.get("activation", "linear") is None:
            del out["activation"]
        if out.get("data_format") == "channels_last":
            del out["data_format"]
        if "strides" in out and list(out["strides"]) == list(out.get("pool_size", defaults.get("pool_size", []))):
            del out["strides"]
        # A name Keras generated is left out; user names do not advance Keras's counters. The
        # layers a layer holds were counted first: Keras makes them before their holder.
        keras_kind = cls.KERAS_CLASS or cls.TYPES[0]
        name = saved_name if saved_name is not None else cfg.get("name")
        if not isinstance(name, str) or not name:
            keras_name(keras_kind, auto_names)  # unnamed in the spec too: Keras names it
        elif nested and _is_auto_name(name, keras_kind):
            keras_name(keras_kind, auto_names)
        elif nested or not _is_next_auto_name(name, keras_kind, auto_names):
            out["name"] = name
        if cfg.get("trainable") is False and not frozen:
            out["trainable"] = False
        # An initializer, regularizer or constraint the definition has no field for is not dropped silently.
        fields = {info.alias or attr for attr, info in cls.model_fields.items()}
        unsupported = sorted(k for k, v in cfg.items() if v is not None and k not in fields and family_of_field(k) is not None)
        for key in unsupported:
            self.problem((*path, key), f"{kind} {key} is not supported by kerasspec; it was left out")
        return out

    def inner(
        self, kind: str, path: tuple[str | int, ...], field: str, cfg: dict[str, Any], auto_names: dict[str, int], frozen: bool
    ) -> Any:
        """The spec of a field holding layers: a block's ``layers``, a wrapper's ``layer``,
        Bidirectional's ``backward_layer`` (None where it is the copy Keras makes by default).
        ``_LEFT_OUT`` when a wrapper's layer could not be imported."""
        value = cfg[field]
        if _LAYER_FIELDS[field]:
            _, entries = _block_layers(value if isinstance(value, list) else [])
            layers = []
            for j, entry in enumerate(entries):
                converted = self.layer((*path, field, j), entry if isinstance(entry, dict) else {}, auto_names, nested=True, frozen=frozen)
                if converted is not None:
                    layers.append(converted)
            return layers
        if field == "backward_layer" and (value is None or _default_backward(cfg.get("layer"), value) is not None):
            return None  # Bidirectional copies its layer for the backward pass itself
        name = None
        if kind == "Bidirectional" and field == "layer" and isinstance(value, dict):
            # Keras keeps the layer as `forward_<its name>`; the spec names the layer it was given.
            name = _default_backward(value, cfg.get("backward_layer"))
            if name is None and isinstance(saved := (value.get("config") or {}).get("name"), str):
                name = saved.removeprefix("forward_")
        converted = self.layer((*path, field), value if isinstance(value, dict) else {}, auto_names, nested=True, frozen=frozen, saved_name=name)
        return _LEFT_OUT if converted is None else converted

    def compile(self, cfg: dict[str, Any]) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        optimizer = self.obj(cfg.get("optimizer"), S.OPTIMIZERS, ("compile", "optimizer"))
        if optimizer not in (None, _LEFT_OUT):
            out["optimizer"] = optimizer
        loss = self.obj(cfg.get("loss"), S.LOSSES, ("compile", "loss"))
        if loss in (None, _LEFT_OUT):
            return None
        out["loss"] = loss
        metrics = []
        counters: dict[str, int] = {}
        for j, m in enumerate(cfg.get("metrics") or []):
            converted = self.obj(m, S.METRICS, ("compile", "metrics", j), counters)
            if converted not in (None, _LEFT_OUT):
                metrics.append(converted)
        if metrics:
            out["metrics"] = metrics
        # Written only when not Keras's default, and only values `check` takes. `jit_compile` is
        # left out: Keras saves what "auto" resolved to on the saving backend (true under
        # TensorFlow, false under PyTorch), not what the script wrote.
        if cfg.get("run_eagerly") is True:
            out["run_eagerly"] = True
        steps = cfg.get("steps_per_execution")
        if isinstance(steps, int) and not isinstance(steps, bool) and steps > 1:
            out["steps_per_execution"] = steps
        return out

    def obj(self, value: Any, family: Family, path: tuple[str | int, ...], counters: dict[str, int] | None = None) -> Any:
        """A serialized Keras object (or a name, or a Keras function) as the spec writes it.

        Arguments equal to Keras's defaults are left out, float32 artefacts are shortened,
        nested objects (a schedule in `learning_rate`) are converted the same way, and an
        object left with no arguments is written as its name where Keras has one for it.
        Anything the spec language cannot hold is a finding, and ``_LEFT_OUT`` is returned.
        """
        if value is None or isinstance(value, str):
            return value  # a name: `check` of the result says whether Keras resolves it
        kind = value.get("class_name") if isinstance(value, dict) else None
        cfg = value.get("config") if isinstance(value, dict) else None
        if kind == "function" and isinstance(cfg, str):
            # A Keras function passed as the object (`loss=keras.losses.categorical_crossentropy`),
            # saved by name: the same name in the spec is the same function.
            return cfg
        cls = family.types.get(kind) if isinstance(kind, str) else None
        if cls is None:
            why = dict(family.excluded).get(kind) if isinstance(kind, str) else None
            self.problem(path, f"{family.what} {kind!r} is not supported by kerasspec", f"{kind} is left out: {why}" if why else None)
            return _LEFT_OUT
        cfg = cfg if isinstance(cfg, dict) else {}
        defaults = _defaults(cls)
        out: dict[str, Any] = {"type": kind}
        for field in cls.model_fields:
            if field == "type" or field not in cfg:
                continue
            raw = cfg[field]
            if field == "name":
                if raw is None or self._default_name(cls, kind, raw, counters):
                    continue
                out["name"] = raw
                continue
            sub = S.field_family(field)
            if sub is not None and isinstance(raw, dict):
                converted = self.obj(raw, sub, (*path, field))
                if converted is _LEFT_OUT:
                    return _LEFT_OUT
            else:
                converted = _plain(raw)
            if field in defaults and _same(converted, defaults[field]):
                continue
            out[field] = converted
        for key in sorted(set(cfg) - set(cls.model_fields) - _OBJECT_KEYS_IGNORED - set(cls.UNSUPPORTED_ARGS)):
            if cfg[key] is not None:
                self.problem((*path, key), f"{kind} setting {key!r} is not part of the spec language; it was left out")
        if len(out) > 1 or not family.name_when_default:
            return out
        for name in (to_snake_case(kind), kind.lower(), kind):  # the name Keras resolves to this class
            found = family.resolve(name) if name in family.names else None
            if found is not None and found[0] is cls and found[1] == kind:
                return name
        return out

    @staticmethod
    def _default_name(cls: type[KerasObject], kind: str, name: str, counters: dict[str, int] | None) -> bool:
        """Whether ``name`` is the one Keras gives the object unasked (the spec then leaves it out)."""
        default = getattr(cls, "KERAS_NAMES", {}).get(kind, "")
        if default:
            return name == default
        if default is None and counters is not None:  # auto-named metrics are numbered: auc, auc_1
            return _is_next_auto_name(name, kind, counters)
        field_default = cls.model_fields["name"].get_default()
        return name == field_default or _is_auto_name(name, kind)


def config_to_spec(config: dict[str, Any]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """A spec (as a dict) from a Sequential model's JSON description, and what could not be imported."""
    imp = _Importer()
    model_cfg = config.get("config") or {}
    entries = list(model_cfg.get("layers") or [])
    spec: dict[str, Any] = {}
    if model_cfg.get("name") and not str(model_cfg["name"]).startswith("sequential"):
        spec["name"] = model_cfg["name"]
    if entries and isinstance(entries[0], dict) and entries[0].get("class_name") == "InputLayer":
        shape = (entries[0].get("config") or {}).get("batch_shape") or [None]
        spec["input_shape"] = list(shape[1:])
        entries = entries[1:]
    elif model_cfg.get("build_input_shape"):
        spec["input_shape"] = list(model_cfg["build_input_shape"][1:])
    auto_names: dict[str, int] = {}
    layers = []
    for i, entry in enumerate(entries):
        converted = imp.layer(("layers", i), entry if isinstance(entry, dict) else {}, auto_names)
        if converted is not None:
            layers.append(converted)
    spec["layers"] = layers
    compile_cfg = config.get("compile_config")
    if isinstance(compile_cfg, dict):
        compiled = imp.compile(compile_cfg)
        if compiled is not None:
            spec["compile"] = compiled
    return spec, imp.diagnostics + _check_errors(spec)


def _check_errors(spec: dict[str, Any]) -> list[Diagnostic]:
    """The errors ``kerasspec check`` finds in the imported spec: an import never passes a spec check refuses."""
    from .api import check

    return [
        replace(d, message=f"the imported spec fails check: {d.message}")
        for d in check(spec)
        if d.severity is Severity.ERROR
    ]


def import_model(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[Diagnostic]]:
    config = read_model_config(path)
    try:
        refused = refuse_code(config)
    except ModelImportError as exc:
        raise ModelImportError(f"{path}: {exc}") from None
    try:
        spec, problems = config_to_spec(config)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        # A foreign or hand-edited description with a value where Keras never writes one: say so.
        raise ModelImportError(
            f"{path}: the model description holds a value Keras does not write ({type(exc).__name__}: {_one_line(exc)})"
        ) from None
    # A refused layer was emptied: the importer's own "unsupported" finding about it is noise.
    left_out = [d.path for d in refused]
    problems = [p for p in problems if not any(p.path == r or p.path.startswith(r + "/") for r in left_out)]
    return spec, refused + problems


def spec_yaml(spec: dict[str, Any], *, source: str | None = None) -> str:
    header = "# yaml-language-server: $schema=https://github.com/kerasspec/kerasspec/raw/main/spec_schema/kerasspec.schema.json\n"
    if source:
        header += f"# Imported by `kerasspec import` from {Path(source).name}.\n"
    return header + yaml.safe_dump(spec, sort_keys=False, default_flow_style=None)
