"""`kerasspec check --fix` / `--diff` / `--unsafe-fixes`: text edits that repair specs and keep their layout.

The main test runs the command over a copy of `examples/invalid/` and proves, file by
file, that every spec whose findings all have a safe fix comes out passing `check`,
with its comments intact, and that a spec without one is left byte for byte as it was.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kerasspec
from kerasspec import fixes

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "examples" / "invalid"

#: Examples `check --fix` must repair (their findings all have a safe fix): the test repairs
#: every such file, and this list keeps it from passing by repairing nothing.
REPAIRED = {
    "KS101_trailing_comma.json",
    "KS201_unknown_field.json",
    "KS201_unknown_field.yaml",
    "KS201_unknown_optional_field.yaml",
    "KS202_unknown_layer_type.yaml",
    "KS203_wrong_type.yaml",
    "KS206_invalid_choice.yaml",
    "KS207_unknown_activation.yaml",
    "KS208_unknown_optimizer.yaml",
    "KS209_unknown_loss.yaml",
    "KS210_unknown_metric.yaml",
    "KS213_ignored_input_shape.yaml",
    "KS401_loss_label_encoding.yaml",
    "KS404_softmax_single_unit.yaml",
    "KS405_sigmoid_multiclass.yaml",
    "KS406_output_rank_too_high.yaml",
    "KS407_metric_vs_loss.yaml",
}
#: Repaired by --unsafe-fixes only (besides the above).
UNSAFE_REPAIRED = {
    "KS211_conflicting_fields.yaml",
    "KS212_duplicate_layer_name.yaml",
    "KS301_missing_input_shape.yaml",
    "KS302_incompatible_rank.yaml",
    "KS402_units_vs_classes.yaml",
    "KS403_activation_vs_from_logits.yaml",
    "KS403_logits_without_from_logits.yaml",
    "KS109_multiple_documents.yaml",
}


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kerasspec", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _specs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def _errors(path: Path) -> list[str]:
    return [d.code for d in kerasspec.check(path) if d.severity == "error"]


def _comments(text: str) -> list[str]:
    """Every comment of a YAML text, as written (`# ...` to the end of its line)."""
    out = []
    for line in text.splitlines():
        at = 0 if line.lstrip().startswith("#") else line.find(" #")
        if at >= 0:
            out.append(line[at:].strip())
    return out


def _all_safe(path: Path) -> bool:
    """Whether every error of ``path`` has a safe fix that verifies (what `--fix` promises to repair)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    ctx = fixes.analyse(text, file=path)
    errors = [d for d in ctx.result.diagnostics if d.severity == "error"]
    return bool(ctx.result.diagnostics) and all(
        any(fixes.verify(ctx, f) is not None for f in fixes.candidates(ctx, unsafe=False, diagnostic=d)) for d in errors
    ) and bool(fixes.candidates(ctx, unsafe=False))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of examples/invalid/, beside a copy of the data files some of its specs name."""
    shutil.copytree(INVALID, tmp_path / "examples" / "invalid")
    if (INVALID.parent / "data").is_dir():
        shutil.copytree(INVALID.parent / "data", tmp_path / "examples" / "data")
    return tmp_path / "examples" / "invalid"


def test_fix_repairs_every_file_whose_fixes_are_safe(copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in _specs(copy)}
    safe = {p.name for p in _specs(copy) if _all_safe(p)}
    assert safe >= REPAIRED, sorted(REPAIRED - safe)

    proc = _cli("check", "--fix", str(copy))
    assert proc.returncode == 1, proc.stderr  # other files still have errors
    m = re.search(r"Fixed (\d+) findings in (\d+) files\.", proc.stderr)
    assert m is not None and int(m.group(1)) >= len(safe) and int(m.group(2)) == len(safe), proc.stderr

    for path in _specs(copy):
        after = path.read_bytes()
        if path.name in safe:
            assert _errors(path) == [], (path.name, after.decode())
            assert after != before[path.name]
            original = before[path.name].decode()
            assert _comments(original) == _comments(after.decode()), path.name
        else:
            # No safe fix for it: not one byte changed.
            assert after == before[path.name], path.name
    # And the repaired files pass the command itself.
    proc = _cli("check", *(str(copy / name) for name in sorted(safe)))
    assert proc.returncode == 0, proc.stdout
    # A second run has nothing left to do.
    proc = _cli("check", "--fix", *(str(copy / name) for name in sorted(safe)))
    assert proc.returncode == 0 and "Fixed 0 findings in 0 files." in proc.stderr


def test_unsafe_fixes_repair_more(copy: Path) -> None:
    proc = _cli("check", "--fix", "--unsafe-fixes", str(copy))
    assert proc.returncode == 1
    for name in sorted(REPAIRED | UNSAFE_REPAIRED):
        assert _errors(copy / name) == [], (name, (copy / name).read_text())
    # What the safe fixes alone leave: the unsafe ones are not applied without the flag.
    assert _errors(INVALID / "KS402_units_vs_classes.yaml") == ["KS402"]


def test_diff_prints_the_patch_and_writes_nothing(copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in _specs(copy)}
    proc = _cli("check", "--diff", str(copy / "KS201_unknown_field.yaml"), str(copy / "KS406_output_rank_too_high.yaml"),
                str(copy / "KS303_non_positive_output_size.yaml"))
    assert proc.returncode == 1  # there are fixes to apply
    assert {p.name: p.read_bytes() for p in _specs(copy)} == before
    name = str(copy / "KS201_unknown_field.yaml")
    assert proc.stdout.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ")
    assert "-    kernal_size: [3, 3]\n+    kernel_size: [3, 3]\n" in proc.stdout
    assert "   - type: MaxPooling2D\n+  - type: Flatten\n   - type: Dense\n" in proc.stdout
    assert "KS303" not in proc.stdout  # no fix for it, so no diff; the findings are not printed with --diff
    assert "Would fix 2 findings in 2 files." in proc.stderr
    # The diff applies: patch reproduces what --fix writes.
    if shutil.which("patch"):
        subprocess.run(["patch", "-p1", "-s", "-d", "/"], input=proc.stdout.replace("--- a/", "--- a").replace("+++ b/", "+++ b"),
                       text=True, check=True, capture_output=True)
        fixed = fixes.fix_text(before["KS201_unknown_field.yaml"].decode(), file=name).text
        assert (copy / "KS201_unknown_field.yaml").read_text() == fixed


def test_fix_keeps_file_mode_and_skips_unreadable_text(copy: Path) -> None:
    path = copy / "KS207_unknown_activation.yaml"
    os.chmod(path, 0o640)
    bad = copy / "KS110_encoding_error.yaml"
    raw = bad.read_bytes()
    proc = _cli("check", "--fix", str(path), str(bad))
    assert proc.returncode == 1  # KS110 remains
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _errors(path) == [] and bad.read_bytes() == raw
    assert "KS110" in proc.stdout
    assert not [p for p in copy.iterdir() if p.name.startswith(".")]  # no temporary file left behind


# --------------------------------------------------------------------------- edits that keep the layout

LAYOUT_CASES = {
    "rename in a flow mapping": (
        "input_shape: [784]   # flat pixels\nlayers:\n  - {type: Dense, units: 10, activaton: softmax}  # head\n",
        "input_shape: [784]   # flat pixels\nlayers:\n  - {type: Dense, units: 10, activation: softmax}  # head\n",
    ),
    "quoted value keeps its quotes": (
        "input_shape: [784]\nlayers:\n  - type: 'Dense'\n    units: 10\n    activation: \"softmx\"\n",
        "input_shape: [784]\nlayers:\n  - type: 'Dense'\n    units: 10\n    activation: \"softmax\"\n",
    ),
    "Flatten between block items, at their indentation": (
        "input_shape: [28, 28, 1]\nlayers:\n    -   type: Conv2D   # features\n        filters: 4\n        kernel_size: 3\n"
        "    # the classifier\n    -   type: Dense\n        units: 10\n        activation: softmax\n"
        "compile: {optimizer: adam, loss: sparse_categorical_crossentropy}\n",
        "input_shape: [28, 28, 1]\nlayers:\n    -   type: Conv2D   # features\n        filters: 4\n        kernel_size: 3\n"
        "    # the classifier\n    - type: Flatten\n    -   type: Dense\n        units: 10\n        activation: softmax\n"
        "compile: {optimizer: adam, loss: sparse_categorical_crossentropy}\n",
    ),
    "Flatten in a flow list": (
        "input_shape: [28, 28, 1]\nlayers: [{type: Conv2D, filters: 4, kernel_size: 3}, {type: Dense, units: 10, activation: softmax}]\n"
        "compile: {optimizer: adam, loss: sparse_categorical_crossentropy}\n",
        "input_shape: [28, 28, 1]\nlayers: [{type: Conv2D, filters: 4, kernel_size: 3}, {type: Flatten}, {type: Dense, units: 10, activation: softmax}]\n"
        "compile: {optimizer: adam, loss: sparse_categorical_crossentropy}\n",
    ),
    "remove the first key of a list item": (
        "input_shape: [784]\nlayers:\n  - type: Dense\n    units: 8\n  - input_shape: [8]\n    type: Dense\n    units: 2\n",
        "input_shape: [784]\nlayers:\n  - type: Dense\n    units: 8\n  - type: Dense\n    units: 2\n",
    ),
    "remove a block entry whose value spans lines": (
        "input_shape: [784]\nlayers:\n  - type: Dense\n    units: 8\n  - type: Dense\n    input_shape:   # ignored\n      - 8\n    units: 2\n",
        "input_shape: [784]\nlayers:\n  - type: Dense\n    units: 8\n  - type: Dense\n    units: 2\n",
    ),
    "a Python tuple in YAML (a string) written as the list, plain or quoted, block or flow": (
        "input_shape: (28, 28, 1)   # as in Python\nlayers:\n  - {type: Conv2D, filters: 4, kernel_size: '(3, 3)'}\n"
        "  - type: MaxPooling2D\n    pool_size: 2, 2\n",
        "input_shape: [28, 28, 1]   # as in Python\nlayers:\n  - {type: Conv2D, filters: 4, kernel_size: [3, 3]}\n"
        "  - type: MaxPooling2D\n    pool_size: [2, 2]\n",
    ),
    "CRLF line endings stay": (
        "input_shape: [28, 28, 1]\r\nlayers:\r\n  - type: Conv2D\r\n    filters: 4\r\n    kernel_size: 3\r\n  - type: Dense\r\n"
        "    units: 10\r\n    activation: softmax\r\ncompile: {optimizer: adam, loss: sparse_categorical_crossentropy}\r\n",
        "input_shape: [28, 28, 1]\r\nlayers:\r\n  - type: Conv2D\r\n    filters: 4\r\n    kernel_size: 3\r\n  - type: Flatten\r\n"
        "  - type: Dense\r\n    units: 10\r\n    activation: softmax\r\ncompile: {optimizer: adam, loss: sparse_categorical_crossentropy}\r\n",
    ),
}

JSON_CASES = {
    "JSON: Flatten on a line of its own, an ignored input_shape removed with its comma": (
        textwrap.dedent("""\
            {
              "input_shape": [28, 28, 1],
              "layers": [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},
                {"type": "Dense", "units": 10, "activation": "softmax", "input_shape": [10]}
              ],
              "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"}
            }
            """),
        textwrap.dedent("""\
            {
              "input_shape": [28, 28, 1],
              "layers": [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},
                {"type": "Flatten"},
                {"type": "Dense", "units": 10, "activation": "softmax"}
              ],
              "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"}
            }
            """),
    ),
}


@pytest.mark.parametrize(("before", "after"), list(LAYOUT_CASES.values()), ids=list(LAYOUT_CASES))
def test_edits_touch_only_what_they_fix(before: str, after: str) -> None:
    outcome = fixes.fix_text(before, fmt="yaml")
    assert outcome.text == after
    assert not [d for d in outcome.diagnostics if d.severity == "error"]


@pytest.mark.parametrize(("before", "after"), list(JSON_CASES.values()), ids=list(JSON_CASES))
def test_json_edits_keep_the_json_layout(before: str, after: str) -> None:
    outcome = fixes.fix_text(before, fmt="json")
    assert outcome.text == after
    assert not [d for d in outcome.diagnostics if d.severity == "error"]


def test_a_fix_that_would_break_something_else_is_refused() -> None:
    # SparseCategoricalCrossentropy takes no label_smoothing: switching the loss class would
    # trade KS401 for KS201, so the fix is proposed but fails verification.
    text = textwrap.dedent("""\
        input_shape: [784]
        layers:
          - {type: Dense, units: 10, activation: softmax}
        compile:
          optimizer: adam
          loss: {type: CategoricalCrossentropy, label_smoothing: 0.1}
        data: {dataset: mnist, labels: sparse}
        """)
    ctx = fixes.analyse(text)
    (candidate,) = fixes.candidates(ctx)
    assert candidate.code == "KS401" and candidate.safe
    assert fixes.verify(ctx, candidate) is None
    assert fixes.fix_text(text).text == text


def test_a_misspelt_field_is_renamed_even_when_its_value_is_wrong_too() -> None:
    # The value was never checked under the wrong name: its own finding is new information.
    text = "input_shape: [784]\nlayers:\n  - {type: Dense, units: 10, activaton: sofmax}\n"
    outcome = fixes.fix_text(text)
    assert outcome.text == "input_shape: [784]\nlayers:\n  - {type: Dense, units: 10, activation: softmax}\n"
    assert [f.code for f in outcome.applied] == ["KS201", "KS207"]


def test_every_fixer_says_why_it_is_safe_or_unsafe() -> None:
    assert set(fixes.FIXERS) >= {"KS201", "KS202", "KS207", "KS208", "KS209", "KS210", "KS401", "KS402", "KS404", "KS406"}
    for code, fn in fixes.FIXERS.items():
        doc = inspect.getdoc(fn) or ""
        assert fn.__name__ == f"fix_{code.lower()}"
        assert doc.startswith(("Safe", "Unsafe", "Remove", "A layer")) and ("safe" in doc.lower()), (code, doc)


def test_fixing_never_raises_on_odd_documents() -> None:
    odd = [
        "", "42", "- a\n", "layers: 5", "layers: [5, null, {type: 3}]", "{", "layers:\n  - type: Dense\n    units: '1e400'\n",
        "input_shape: 784\nlayers:\n  - Flatten\n  - {type: Dense, units: 10.0}\n",
        "layers: [{type: Repeat, times: 2, layers: [{type: Dense, units: 3, activaton: relu}]}]\ninput_shape: [4]\n",
    ]
    for text in odd:
        for unsafe in (False, True):
            outcome = fixes.fix_text(text, unsafe=unsafe)
            assert isinstance(outcome.text, str)
    # What is certain is fixed: a layer named by its type, a whole-number float, and a bare
    # input size written as the one-dimension list it stands for.
    repaired = fixes.fix_text(odd[7])
    assert repaired.text == "input_shape: [784]\nlayers:\n  - {type: Flatten}\n  - {type: Dense, units: 10}\n"
    assert not [d.code for d in repaired.diagnostics if d.severity == "error"]


#: Mistakes real users make (red team), written as they write them, and what `--fix` makes of them.
HABIT_FIXES = [
    ("input_shape: 784\nlayers:\n  - {type: Dense, units: 10}\n", "input_shape: [784]\nlayers:\n  - {type: Dense, units: 10}\n"),
    ("layers:\n  - {type: Dense, units: 3, input_shape: 784}\n", "layers:\n  - {type: Dense, units: 3, input_shape: [784]}\n"),
    ("input_shape: [None, 4]\nlayers:\n  - {type: Dense, units: 2}\n", "input_shape: [null, 4]\nlayers:\n  - {type: Dense, units: 2}\n"),
    ("input_shape:\n  - None  # any length\n  - 4\nlayers:\n  - {type: Dense, units: 2}\n", "input_shape:\n  - null  # any length\n  - 4\nlayers:\n  - {type: Dense, units: 2}\n"),
    ("input_shape: [4]\nlayers:\n  - {type: Dense, units: 3, activation: None, kernel_regularizer: None}\n", "input_shape: [4]\nlayers:\n  - {type: Dense, units: 3, activation: null, kernel_regularizer: null}\n"),
    ("input_shape: [2, 2, 1]\nlayers:\n  - type: Rescaling\n    scale: 1./255  # to [0, 1]\n", "input_shape: [2, 2, 1]\nlayers:\n  - type: Rescaling\n    scale: 0.00392156862745098  # to [0, 1]\n"),
    ("input_shape: [4]\nlayers:\n  - {type: Dense, units: 64/2}\n", "input_shape: [4]\nlayers:\n  - {type: Dense, units: 32}\n"),
    ("input_shape: [4]\nlayers:\n  - {type: Dense, units: 1}\ncompile: {optimizer: {type: Adam, lr: 0.001}, loss: mse}\n", "input_shape: [4]\nlayers:\n  - {type: Dense, units: 1}\ncompile: {optimizer: {type: Adam, learning_rate: 0.001}, loss: mse}\n"),
    ("input_shape: [8, 8, 1]\nlayers:\n  - {type: Conv2D, filters: 2, kernel_size: (3, 3), strides: (2,2)}\n", "input_shape: [8, 8, 1]\nlayers:\n  - {type: Conv2D, filters: 2, kernel_size: [3, 3], strides: [2, 2]}\n"),
    ("input_shape: [4, 4, 4, 1]\nlayers:\n  - {type: Conv3D, filters: 2, kernel_size: (3, 3, 3), name: c}\n", "input_shape: [4, 4, 4, 1]\nlayers:\n  - {type: Conv3D, filters: 2, kernel_size: [3, 3, 3], name: c}\n"),
]


@pytest.mark.parametrize(("text", "fixed"), HABIT_FIXES)
def test_habits_are_fixed_safely(text: str, fixed: str) -> None:
    assert [d for d in kerasspec.check(text) if d.severity == "error"]
    outcome = fixes.fix_text(text)
    assert outcome.text == fixed
    assert not [d for d in kerasspec.check(outcome.text) if d.severity == "error"]


def test_batch_input_shape_is_not_renamed_with_its_batch_axis() -> None:
    # The old did-you-mean renamed it to `input_shape: [32, 10, 1]`: a sample shape with the batch in it.
    text = "layers:\n  - {type: LSTM, units: 8, batch_input_shape: [32, 10, 1], stateful: true}\n  - {type: Dense, units: 1}\n"
    assert fixes.fix_text(text).text == text
    assert fixes.fix_text(text, unsafe=True).text == text
    # A split tuple whose value is not a list of sizes, a fractional quotient for an integer: nothing certain.
    for odd in ("{name: (3, 3), input_shape: [8], layers: [{type: Dense, units: 2}]}\n", "input_shape: [4]\nlayers:\n  - {type: Dense, units: 64/3}\n"):
        assert fixes.fix_text(odd).text == odd


def test_no_example_input_shape_where_the_author_wrote_one() -> None:
    # KS301 comes with an invalid `input_shape: 784` on the first layer: the fix is `[784]`, not MNIST's.
    text = "layers:\n  - {type: Dense, units: 3, input_shape: 784}\n"
    assert "28" not in fixes.fix_text(text, unsafe=True).text
    # Without one written, the example is still offered (unsafe).
    bare = "layers:\n  - {type: Conv2D, filters: 2, kernel_size: 3}\n"
    assert fixes.fix_text(bare, unsafe=True).text.startswith("input_shape: [28, 28, 1]\n")
