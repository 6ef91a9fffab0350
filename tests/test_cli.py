"""The CLI contract: commands, output formats and exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kerasspec.cli import main
from kerasspec.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent
CONVNET = str(ROOT / "examples" / "keras_io_mnist_convnet.yaml")
BAD = "input_shape: [28, 28, 1]\nlayers:\n  - type: Conv2D\n    filters: 32\n    kernal_size: 3\n"


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    return path


def test_check_clean_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", CONVNET]) == 0
    assert "All checks passed" in capsys.readouterr().out


def test_check_findings_exit_1_with_text_position(bad_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bad_file)]) == 1
    out = capsys.readouterr().out
    assert f"{bad_file}:5:5: KS201 unknown field 'kernal_size' in Conv2D" in out
    assert "did you mean 'kernel_size'?" in out


def test_check_json_has_contract_fields(bad_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(bad_file)]) == 1
    items = json.loads(capsys.readouterr().out)
    assert isinstance(items, list) and items
    for item in items:
        assert {"file", "code", "severity", "message", "path", "line", "column", "hint"} <= set(item)
    first = next(i for i in items if i["code"] == "KS201")
    assert (first["path"], first["line"], first["column"], first["severity"]) == ("/layers/0/kernal_size", 5, 5, "error")


def test_check_json_clean_is_empty_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", CONVNET]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_malformed_file_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("layers: [\n")
    assert main(["check", str(path)]) == 1
    assert "KS101" in capsys.readouterr().out


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_missing_file_among_good_ones_still_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", CONVNET, str(tmp_path / "nope.yaml")]) == 2


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--format", "xml", CONVNET])
    assert info.value.code == 2


def test_directory_is_searched(tmp_path: Path, bad_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.json").write_text(json.dumps({"input_shape": [4], "layers": [{"type": "Dense", "units": 2}]}))
    (tmp_path / "notes.txt").write_text("not a spec")
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    files = {i["file"] for i in json.loads(capsys.readouterr().out)}
    assert files == {str(bad_file)}


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = tmp_path / "warn.yaml"
    # KS213 (a warning): `input_shape` on a later layer is ignored.
    path.write_text(
        "input_shape: [8]\nlayers:\n  - type: Dense\n    units: 2\n  - type: Dense\n    units: 2\n"
        "    input_shape: [2]\n"
    )
    assert main(["check", str(path)]) == 0
    assert main(["check", "--strict", str(path)]) == 1


def test_sarif_and_github_formats(bad_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "sarif", str(bad_file)]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"][0]["ruleId"]
    assert main(["check", "--format", "github", str(bad_file)]) == 1
    assert "::error file=" in capsys.readouterr().out


def test_summary_json_matches_keras_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", CONVNET, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_params"] == 34826 and data["trainable_params"] == 34826
    assert data["input_shape"] == [None, 28, 28, 1]
    assert data["output_shape"] == [None, 10]
    assert [layer["output_shape"] for layer in data["layers"]][:2] == [[None, 26, 26, 32], [None, 13, 13, 32]]
    assert data["layers"][0] == {
        "name": "conv2d", "type": "Conv2D", "output_shape": [None, 26, 26, 32], "params": 320,
        "trainable_params": 320, "non_trainable_params": 0,
    }


def test_summary_text_looks_like_keras(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", CONVNET]) == 0
    out = capsys.readouterr().out
    assert "conv2d (Conv2D)" in out and "(None, 26, 26, 32)" in out
    assert "Total params: 34,826 (136.04 KB)" in out


def test_summary_of_bad_spec_exits_1(bad_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(bad_file)]) == 1
    assert "KS201" in capsys.readouterr().err


def test_schema_command_prints_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text()


def test_console_entry_point_runs_as_module() -> None:
    proc = subprocess.run([sys.executable, "-m", "kerasspec", "check", CONVNET], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_nothing_checked_prints_no_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().out == ""  # not `[]`: a reader of stdout must not see a pass


@pytest.mark.parametrize("size", ["inf", "1e400", "-5", "0", "lots"])
def test_bad_sizes_are_usage_errors(size: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", CONVNET, "--max-memory", size])
    assert info.value.code == 2


def test_keras_commands_without_keras_exit_2(tmp_path: Path) -> None:
    poison = tmp_path / "poison" / "keras"
    poison.mkdir(parents=True)
    (poison / "__init__.py").write_text("raise ImportError('No module named keras')\n")
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "poison"), str(ROOT)])}
    proc = subprocess.run([sys.executable, "-m", "kerasspec", "build", CONVNET, "-o", str(tmp_path / "m.keras")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "pip install -e '.[tf-cpu]' in a clone of kerasspec" in proc.stderr
    assert "'.[tf]'" in proc.stderr and "not on PyPI" in proc.stderr  # the GPU build; no PyPI command
    assert "Traceback" not in proc.stderr


def test_no_message_or_docstring_gives_a_pypi_install_command() -> None:
    # kerasspec is not on PyPI: `pip install 'kerasspec[tf-cpu]'` installs nothing (or someone else's
    # package). Every "needs X" message says kerasspec.extras.install_hint's clone command instead.
    import re

    from kerasspec.extras import install_hint

    from_pypi = re.compile(r"pip install ['\"]?kerasspec(\[[^\]]*\])?['\"]?(?!\s*@)(\s|`|$|\))")
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "kerasspec").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if from_pypi.search(line) or "pip install 'kerasspec[" in line]
    assert found == [], "kerasspec is not on PyPI:\n" + "\n".join(found)
    assert re.search(r"pip install -e '\.\[tune\]' in a clone of kerasspec", install_hint("tune"))
    assert from_pypi.search("pip install 'kerasspec[tf-cpu]' (CPU)")  # the old message: the pattern sees it


def test_the_readme_row_of_predict_says_what_it_reports() -> None:
    # The row once said "class probabilities and the predicted class" for every model.
    import argparse

    from kerasspec.cli import build_parser
    from kerasspec.predict import TASKS

    row = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `kerasspec predict "))
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["predict"]
    options = [a.option_strings[0] for a in sub._actions if a.option_strings and a.option_strings[0] not in ("-h", "--batch-size")]
    assert options and all(f"`{o}" in row for o in options), (options, row)
    assert "run directory" in row and "FILE.npy" in row and "FILE.png" in row
    said = {"classification": "probability", "binary": "binary", "multi_label": "multi-label", "regression": "predicted values",
            "reconstruction": "reconstruction error"}
    assert set(said) == set(TASKS) and all(words in row for words in said.values()), row
