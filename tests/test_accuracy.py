"""kerasspec trains as well as the same model written by hand in Keras.

The keras.io "Simple MNIST convnet" (``examples/keras_io_mnist_convnet.yaml``) is
trained twice on the same data with the same seed and settings (the 4,000 training
digits of the embedded MNIST sample, 15 epochs, batch 128, validation split 0.1):
once through ``kerasspec.train``, once as a hand-written Keras script. Both are
scored on the official MNIST test set (10,000 digits none of which is in the sample,
``../shared/data/mnist-t10k`` beside the repository). Both runs are deterministic
(the same seed, op determinism), so they must agree exactly, not within a margin:
the per-epoch histories and the final weights to float32 round-off, and the test
accuracies to the last digit. It is skipped when that folder is absent, except in
CI (``CI=true``), where the folder is always laid beside the checkout: there a
missing folder fails.

Both numbers are printed (``pytest -s`` shows them) and, when the environment names
a file in ``KERASSPEC_ACCURACY_REPORT``, written there as JSON.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from kerasspec.data import load_idx_split, load_sample

pytestmark = [pytest.mark.keras, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CONVNET = ROOT / "examples" / "keras_io_mnist_convnet.yaml"
T10K = ROOT.parent / "shared" / "data" / "mnist-t10k"
SEED = 1234
EPOCHS, BATCH, VALIDATION = 15, 128, 0.1


def hand_written(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> tuple[float, dict[str, list[float]], list[np.ndarray]]:
    """The keras.io example as a Keras user writes it: the same arrays, seed and settings."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    num_classes = 10
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS, validation_split=VALIDATION, verbose=0)
    accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])
    return accuracy, history.history, model.get_weights()


def test_convnet_accuracy_matches_hand_written_keras(tmp_path: Path) -> None:
    if not (T10K / "t10k-images-idx3-ubyte.gz").exists() and not (T10K / "t10k-images-idx3-ubyte").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the official MNIST test set is not at {T10K}, where CI lays it")
        pytest.skip(f"the official MNIST test set is not at {T10K}")
    keras = pytest.importorskip("keras")
    import kerasspec

    sample = load_sample()
    x_t10k, y_t10k = load_idx_split(T10K, "t10k")
    assert x_t10k.shape == (10_000, 28, 28)
    data = tmp_path / "sample.npz"
    np.savez(data, x_train=sample.x_train, y_train=sample.y_train, x_test=sample.x_test, y_test=sample.y_test)

    started = time.perf_counter()
    run = kerasspec.train(CONVNET, data=str(data), seed=SEED, run_dir=tmp_path / "run", verbose=0, log=lambda m: None)
    spec_seconds = time.perf_counter() - started
    assert len(run.history["loss"]) == EPOCHS
    model = keras.models.load_model(run.run_dir / "model.keras", safe_mode=True)
    x = np.expand_dims(x_t10k.astype("float32") / 255, -1)
    spec_accuracy = float(model.evaluate(x, keras.utils.to_categorical(y_t10k, 10), verbose=0)[1])

    started = time.perf_counter()
    keras_accuracy, keras_history, keras_weights = hand_written(sample.x_train, sample.y_train, x_t10k, y_t10k)
    keras_seconds = time.perf_counter() - started

    report = {
        "model": CONVNET.name,
        "train": f"embedded MNIST sample, {len(sample.x_train)} digits",
        "test": f"official MNIST test set, {len(x_t10k)} digits",
        "seed": SEED,
        "epochs": EPOCHS,
        "batch_size": BATCH,
        "validation_split": VALIDATION,
        "kerasspec_test_accuracy": spec_accuracy,
        "hand_written_keras_test_accuracy": keras_accuracy,
        "difference_points": round(100 * abs(spec_accuracy - keras_accuracy), 3),
        "kerasspec_seconds": round(spec_seconds, 1),
        "hand_written_seconds": round(keras_seconds, 1),
    }
    print(f"\nMNIST t10k accuracy: kerasspec {spec_accuracy:.4f}, hand-written Keras {keras_accuracy:.4f} "
          f"({spec_seconds:.0f} s and {keras_seconds:.0f} s to train)")  # fmt: skip
    if os.environ.get("KERASSPEC_ACCURACY_REPORT"):
        Path(os.environ["KERASSPEC_ACCURACY_REPORT"]).write_text(json.dumps(report, indent=2) + "\n")
    assert keras_accuracy > 0.9, report  # the comparison means something only for a model that learnt
    assert spec_accuracy == pytest.approx(keras_accuracy, abs=1e-6), report
    for key, values in keras_history.items():
        assert run.history[key] == pytest.approx(values, rel=1e-5), key
    spec_weights = model.get_weights()
    assert len(spec_weights) == len(keras_weights)
    for ours, theirs in zip(spec_weights, keras_weights, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
