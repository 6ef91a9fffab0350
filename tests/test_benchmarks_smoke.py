"""The benchmark scripts still run: tiny versions, structure checked, no assertions on speed."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_lint  # noqa: E402 - importable once benchmarks/ is on the path
import bench_train  # noqa: E402
import run_all  # noqa: E402


def _positive(x: object) -> bool:
    return isinstance(x, float | int) and not isinstance(x, bool) and math.isfinite(x) and x > 0


def test_modules_import_and_declare_targets() -> None:
    assert all(_positive(v) for v in (*bench_lint.TARGETS.values(), *bench_train.TARGETS.values()))
    # The throughput target's workload is a set of examples that exist.
    assert set(bench_lint.FIRST_RELEASE_EXAMPLES) <= set(bench_lint.example_texts())
    assert set(bench_train.WORKLOADS) == {"full", "quick"}
    for wl in bench_train.WORKLOADS.values():
        assert Path(wl["spec"]).is_file()
        assert Path(wl["spec"]).name in _child().HAND_WRITTEN


def _child():
    spec = importlib.util.spec_from_file_location("_train_child", BENCH / "_train_child.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_throughput_structure() -> None:
    res = bench_lint.bench_throughput(0.05, profile=False)
    assert res["examples"]
    for key in ("check", "summarize", "check_all_examples", "summarize_all_examples"):
        r = res[key]
        assert r["specs"] > 0
        assert _positive(r["per_second"]) and _positive(r["per_cpu_second"])
        assert _positive(r["times_slower_than_reference"])
    assert set(res["check_per_file_ms"]) == set(res["examples"])


def test_profile_structure() -> None:
    import kerasspec

    texts = list(bench_lint.example_texts().values())[:2]
    prof = bench_lint._profile(kerasspec.check, texts, calls=4, top=5)
    assert prof["calls"] >= 4
    assert 0 < len(prof["top_tottime"]) <= 5
    assert all({"function", "ncalls_per_spec", "tottime_pct", "cumtime_pct"} <= set(r) for r in prof["top_tottime"])


@pytest.mark.slow
def test_tiny_lint_benchmark_and_docs(tmp_path: Path) -> None:
    """One repetition of every fresh process (Keras included: several seconds), then the tables."""
    result = bench_lint.run(reps=1, seconds=0.1, profile=True)
    s = result["startup"]
    assert set(s["wall_s"]) == {"python_pass", "dependency_floor", "check", "summary", "keras"}
    # The floor is below the check it is the floor of, and above the bare interpreter.
    assert s["wall_s"]["python_pass"]["median"] < s["wall_s"]["dependency_floor"]["median"]
    assert 0 < s["dependency_floor_share_of_check"] < 1
    for key in ("speedup_check_vs_keras", "speedup_summary_vs_keras", "cpu_speedup_check_vs_keras"):
        assert _positive(s[key]), key
    assert all(_positive(v["median"]) for v in s["maxrss_mb"].values())
    assert s["total_params_agree"], s["total_params"]
    assert s["import_profile"]["cumulative_ms"]["kerasspec"] > 0
    keys = {"value", "met", "range", "conclusive", "cpu_value", "met_by_cpu_time", "cpu_range", "cpu_conclusive"}
    assert all(keys <= set(v) for v in result["verdicts"].values())

    doc = tmp_path / "benchmarks.md"
    doc.write_text(run_all.SKELETON.replace("# Benchmarks", "# Benchmarks\n\nprose kept"))
    text = run_all.render_doc({"lint": result}, doc)
    assert "prose kept" in text
    assert "kerasspec check" in text and "Keras ÷ `check`" in text
    # Rendering twice gives the same text: the markers survive.
    doc.write_text(text)
    assert run_all.render_doc({"lint": result}, doc) == text


@pytest.mark.slow
@pytest.mark.keras
def test_tiny_train_benchmark() -> None:
    pytest.importorskip("tensorflow")
    wl = dict(bench_train.WORKLOADS["quick"], epochs=2, sides=["keras", "lib"])
    res = bench_train.bench_workload("quick", wl)
    assert all(res["checks"].values()), res["checks"]
    r = res["ratios_vs_keras"]["lib"]
    assert _positive(r["epoch_s"]) and _positive(r["maxrss_mb"])
    for s in res["sides"].values():
        assert len(s["epochs_s_each_run"][0]) == 2
        assert s["test"]["accuracy"] > 0.5
    result = {"workloads": {"quick": res}}
    verdicts = bench_train.verdicts(result)
    assert all(isinstance(v["conclusive"], bool) for v in verdicts.values())
    text = run_all.render_train(result)
    assert "hand-written Keras" in text and "Noise in this run" in text
