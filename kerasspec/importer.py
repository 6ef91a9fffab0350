"""Import: an existing Keras model file -> a kerasspec spec, without executing anything from it.

A ``.keras`` file is a zip archive whose ``config.json`` describes the model;
``model.to_json()`` writes the same description. This module reads that JSON as
plain data: it never calls ``keras.models.load_model``, never deserializes a
Lambda or a custom object, and needs no TensorFlow. Layers, optimizers, losses
and metrics kerasspec does not support are reported as diagnostics naming them.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from . import spec as S
from .analysis import to_snake_case
from .diagnostics import Diagnostic, KerasspecError, pointer
from .layers import layer_class
from .layers.core import Input

#: Largest config.json read from an archive: a description, not weights.
MAX_CONFIG_BYTES = 20_000_000
_KERAS_FIELDS_IGNORED = {"name", "trainable", "dtype", "registered_name", "build_config"}


class ModelImportError(KerasspecError):
    """The file is not a Keras model description kerasspec can read."""


def read_model_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The model's JSON description from a ``.keras`` archive or a ``model.to_json()`` file."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise ModelImportError(f"{path}: a zip archive without config.json is not a .keras model file") from None
            if info.file_size > MAX_CONFIG_BYTES:
                raise ModelImportError(f"{path}: config.json is {info.file_size:,} bytes, too large for a model description")
            raw = archive.read(info)
    else:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ModelImportError(f"{path}: too large for a model description")
        raw = path.read_bytes()
    try:
        config = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelImportError(f"{path}: not a .keras archive or a model.to_json() document ({exc})") from None
    if not isinstance(config, dict) or config.get("class_name") != "Sequential":
        kind = config.get("class_name") if isinstance(config, dict) else type(config).__name__
        raise ModelImportError(f"{path}: kerasspec imports Sequential models, this file holds {kind!r}")
    return config


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


def _initializer(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("class_name"), str):
        cfg = value.get("config") or {}
        if any(v is not None for k, v in cfg.items() if k in ("seed",)):
            return None  # a seeded initializer cannot be expressed by name
        return to_snake_case(value["class_name"])
    return None


def _regularizer(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and value.get("class_name") in ("L1", "L2", "L1L2"):
        cfg = value.get("config") or {}
        out: dict[str, Any] = {"type": value["class_name"]}
        for key in ("l1", "l2"):
            if cfg.get(key) is not None and key.upper() in value["class_name"]:
                out[key] = float32_repr(float(cfg[key]))
        return out
    return {"__unsupported__": value.get("class_name") if isinstance(value, dict) else repr(value)}


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


class _Importer:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def problem(self, path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("KS202", message, path=pointer(path), hint=hint))

    def layer(self, index: int, entry: dict[str, Any], auto_names: dict[str, int]) -> dict[str, Any] | None:
        kind = entry.get("class_name")
        cfg = entry.get("config") or {}
        cls = layer_class(kind) if isinstance(kind, str) else None
        if cls is None or cls is Input:
            self.problem(
                ("layers", index),
                f"layer {index} is a {kind!r}, which kerasspec does not support",
                "kerasspec imports the layers of its spec language (see docs/spec.md); "
                "Lambda and custom layers are never imported",
            )
            return None
        out: dict[str, Any] = {"type": kind}
        defaults = _defaults(cls)
        for field in cls.model_fields:
            if field in ("type", "input_shape", "input_dim", "name", "trainable") or field not in cfg:
                continue
            value = cfg[field]
            if field.endswith("initializer"):
                value = _initializer(value)
                if value is None:
                    self.problem(("layers", index, field), f"{kind} {field} {cfg[field]!r} has settings kerasspec cannot express")
                    continue
            elif field.endswith("regularizer"):
                value = _regularizer(value)
                if isinstance(value, dict) and "__unsupported__" in value:
                    self.problem(("layers", index, field), f"{kind} {field} {value['__unsupported__']!r} is not supported")
                    continue
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
        # A name Keras generated is left out; user names do not advance Keras's counters.
        if (field_name := cfg.get("name")) and not _is_next_auto_name(field_name, cls.TYPES[0], auto_names):
            out["name"] = field_name
        if cfg.get("trainable") is False:
            out["trainable"] = False
        unsupported = sorted(k for k, v in cfg.items() if k.endswith("constraint") and v is not None)
        for key in unsupported:
            self.problem(("layers", index, key), f"{kind} {key} is not supported by kerasspec; it was left out")
        return out

    def compile(self, cfg: dict[str, Any]) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        optimizer = self.optimizer(cfg.get("optimizer"))
        if optimizer is not None:
            out["optimizer"] = optimizer
        loss = self.loss_or_metric(cfg.get("loss"), S.LOSS_CLASSES, ("compile", "loss"), "loss")
        if loss is None:
            return None
        out["loss"] = loss
        metrics = []
        for j, m in enumerate(cfg.get("metrics") or []):
            converted = self.loss_or_metric(m, S.METRIC_CLASSES, ("compile", "metrics", j), "metric")
            if converted is not None:
                metrics.append(converted)
        if metrics:
            out["metrics"] = metrics
        return out

    def optimizer(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        kind = value.get("class_name") if isinstance(value, dict) else None
        cls = next((c for c in S.OPTIMIZER_CLASSES if c.model_fields["type"].annotation.__args__[0] == kind), None)
        if cls is None:
            self.problem(("compile", "optimizer"), f"optimizer {kind!r} is not supported by kerasspec")
            return None
        cfg = value.get("config") or {}
        defaults = _defaults(cls)
        params = {k: _plain(cfg[k]) for k in cls.model_fields if k != "type" and k in cfg and not _same(_plain(cfg[k]), defaults.get(k))}
        return {"type": kind, **params} if params else kind.lower()

    def loss_or_metric(self, value: Any, classes: tuple[type[BaseModel], ...], path: tuple[str | int, ...], what: str) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return value
        kind = value.get("class_name") if isinstance(value, dict) else None
        cls = next((c for c in classes if kind in c.model_fields["type"].annotation.__args__), None)
        if cls is None:
            self.problem(path, f"{what} {kind!r} is not supported by kerasspec")
            return None
        cfg = value.get("config") or {}
        defaults = _defaults(cls)
        params = {
            k: _plain(cfg[k]) for k in cls.model_fields
            if k not in ("type", "name") and k in cfg and not _same(_plain(cfg[k]), defaults.get(k))
        }
        return {"type": kind, **params} if params else kind


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
        converted = imp.layer(i, entry if isinstance(entry, dict) else {}, auto_names)
        if converted is not None:
            layers.append(converted)
    spec["layers"] = layers
    compile_cfg = config.get("compile_config")
    if isinstance(compile_cfg, dict):
        compiled = imp.compile(compile_cfg)
        if compiled is not None:
            spec["compile"] = compiled
    return spec, imp.diagnostics


def import_model(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[Diagnostic]]:
    return config_to_spec(read_model_config(path))


def spec_yaml(spec: dict[str, Any], *, source: str | None = None) -> str:
    header = "# yaml-language-server: $schema=https://github.com/kerasspec/kerasspec/raw/main/spec_schema/kerasspec.schema.json\n"
    if source:
        header += f"# Imported by `kerasspec import` from {Path(source).name}.\n"
    return header + yaml.safe_dump(spec, sort_keys=False, default_flow_style=None)
