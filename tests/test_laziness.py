"""What a check builds: validators only for the layer kinds and objects a spec uses (issue #8, point 8).

Each test runs in a fresh interpreter, where nothing else has been imported or built.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every pydantic model class that exists in the process, the layer classes among them, and which
# of them have a validator.
_REPORT = """
import json, sys
from pydantic import BaseModel

def walk(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from walk(sub)

classes = {c for c in walk(BaseModel) if c.__module__.startswith("kerasspec")}
print(json.dumps({
    "layers_defined": sorted(c.__name__ for c in classes if c.__module__.startswith("kerasspec.layers")),
    "built": sorted(c.__name__ for c in classes if c.__pydantic_complete__),
    "modules": sorted(m for m in sys.modules if m.startswith("kerasspec.")),
}))
"""


def _run(code: str) -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", code + _REPORT], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_kerasspec_builds_no_validator() -> None:
    state = _run("import kerasspec\n")
    assert state["built"] == []
    # Neither the layer families nor the object modules nor the search spaces are imported.
    assert not [m for m in state["modules"] if m.startswith(("kerasspec.layers.", "kerasspec.objects.")) and not m.endswith(
        ("._index", ".base", ".blocks", ".core", ".core.input")
    )]
    assert "kerasspec.space" not in state["modules"]


def test_a_check_builds_the_validators_of_what_the_spec_uses() -> None:
    state = _run("import kerasspec\nkerasspec.check('examples/keras_io_mnist_convnet.yaml')\n")
    # The spec (its sections are part of its validator), the five layer kinds it names, and
    # the default names of the `.npz` arrays (made when the data is assumed). Its optimizer,
    # loss and metric are names: no object class is built for them.
    assert state["built"] == ["ArrayNames", "Conv2D", "Dense", "Dropout", "Flatten", "MaxPooling2D", "Spec"]
    # Nor are the other kinds of the modules it imports defined at all: each is in a module of
    # its own (or with its own rank's twin), so the check pays for no class it does not use.
    unused = {
        "Conv1D", "Conv3D", "MaxPooling1D", "AveragePooling1D", "MaxPooling3D", "AveragePooling3D",
        "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
        "EinsumDense", "Embedding", "ReversibleEmbedding", "Masking", "Identity", "ActivationLayer",
    }  # fmt: skip
    assert not unused & set(state["layers_defined"])
    # What is defined beside what is built: Input (imported with kerasspec), AveragePooling2D
    # (MaxPooling2D's module), and the layer kinds' unbuilt bases.
    assert {"Conv2D", "MaxPooling2D", "Dropout", "Flatten", "Dense", "Input", "AveragePooling2D"} <= set(state["layers_defined"])
    # Nor are the object modules imported: the layers' initializers are names (glorot_uniform,
    # zeros) whose classes state no rule a default object can fail (objects/_index.py RULES).
    assert not [m for m in state["modules"] if m.startswith("kerasspec.objects.") and m != "kerasspec.objects._index"]
    assert "kerasspec.space" not in state["modules"]


def test_a_named_initializer_with_a_rule_imports_its_module() -> None:
    # Orthogonal fails on a rank-1 weight even with its defaults: the name is checked by its class.
    spec = "input_shape: [4]\nlayers: [{type: Dense, units: 2, bias_initializer: orthogonal}]\n"
    state = _run(f"import kerasspec\nfound = kerasspec.check({spec!r})\nassert [d.code for d in found] == ['KS309'], found\n")
    assert "kerasspec.objects.initializers" in state["modules"]
