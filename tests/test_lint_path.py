"""The lint path never imports TensorFlow or Keras: proved by making them unimportable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _poisoned_env(tmp_path: Path) -> dict[str, str]:
    # Packages named tensorflow/keras that raise on import shadow the real ones.
    # pygls/lsprotocol too: only `kerasspec lsp` may import the language-server stack.
    for name in ("tensorflow", "keras", "tf_keras", "jax", "torch", "pygls", "lsprotocol"):
        pkg = tmp_path / "poison" / name
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text(f"raise ImportError('the lint path imported {name}')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "poison"), str(ROOT)])
    return env


def test_import_and_library_calls_do_not_import_tensorflow(tmp_path: Path) -> None:
    code = (
        "import sys, kerasspec\n"
        "from kerasspec.schema import json_schema\n"
        "kerasspec.check('examples/keras_io_mnist_convnet.yaml')\n"
        "kerasspec.summarize('examples/keras_io_mnist_convnet.yaml')\n"
        "kerasspec.load_spec('examples/mnist_convnet.json')\n"
        "json_schema()\n"
        "from kerasspec import fixes\n"
        "fixes.fix_text(open('examples/invalid/KS406_output_rank_too_high.yaml').read())\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'pygls', 'lsprotocol')]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_poisoned_env(tmp_path), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_cli_lint_commands_do_not_import_tensorflow(tmp_path: Path) -> None:
    env = _poisoned_env(tmp_path)
    for args in (
        ["check", "examples/keras_io_mnist_convnet.yaml", "examples/mnist_convnet.json"],
        ["check", "--format", "sarif", "examples/invalid"],
        ["check", "--diff", "--unsafe-fixes", "examples/invalid"],
        ["summary", "examples/keras_io_mnist_convnet.yaml", "--format", "json"],
        ["schema"],
    ):
        proc = subprocess.run([sys.executable, "-m", "kerasspec", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert "the lint path imported" not in proc.stderr, (args, proc.stderr)


def test_lsp_without_pygls_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kerasspec", "lsp"], cwd=ROOT, env=_poisoned_env(tmp_path),
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2, proc.stderr
    # What installs it (kerasspec is not on PyPI), said once, with why pygls did not import.
    assert proc.stderr.count("pip install -e '.[lsp]' in a clone of kerasspec") == 1, proc.stderr
    assert "not on PyPI" in proc.stderr
    assert "the lint path imported lsprotocol" in proc.stderr, proc.stderr  # the poisoned import's own message
