# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
# Each creates the virtual environment itself (.venv) and reinstalls when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS ?= dev,tf-cpu,backends,lsp,tune
# One stamp per set of extras: `make demo` needs only TensorFlow, `make test` everything.
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
# The suite runs on every core (pytest-xdist), at most four workers (each imports TensorFlow,
# JAX and PyTorch); `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4

.PHONY: venv demo test test-fast lint schema docs differential bench mutation clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

demo:
	$(MAKE) venv EXTRAS=tf-cpu
	$(BIN)/kerasspec check examples/*.yaml examples/*.json
	$(BIN)/kerasspec summary examples/keras_io_mnist_convnet.yaml
	$(BIN)/kerasspec train examples/keras_io_mnist_convnet.yaml --epochs 2 --seed 1 --run-dir runs/demo
	@echo "demo run directory: runs/demo"; ls -l runs/demo
	@echo
	@echo "kerasspec is installed in .venv: run it as .venv/bin/kerasspec, or first"
	@echo "  source .venv/bin/activate"
	@echo "then, e.g.: kerasspec check examples/  (see README.md)"

test: venv
	$(BIN)/ruff check kerasspec tests benchmarks scripts
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tests not marked slow: no Keras builds or training (over 3,000 tests: minutes, not seconds).
test-fast: venv
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check kerasspec tests benchmarks scripts

# Written through a temporary file: a failing command must not leave the committed file empty.
schema: venv
	$(BIN)/python -c "from kerasspec.layers import index_source; print(index_source(), end='')" > kerasspec/layers/_index.py.tmp
	mv kerasspec/layers/_index.py.tmp kerasspec/layers/_index.py
	$(BIN)/python -c "from kerasspec.objects import index_source; print(index_source(), end='')" > kerasspec/objects/_index.py.tmp
	mv kerasspec/objects/_index.py.tmp kerasspec/objects/_index.py
	$(BIN)/kerasspec schema > spec_schema/kerasspec.schema.json.tmp
	mv spec_schema/kerasspec.schema.json.tmp spec_schema/kerasspec.schema.json

# The schema and the spec reference are generated from the pydantic models.
docs: schema
	$(BIN)/python -m kerasspec.reference > docs/spec.md.tmp
	mv docs/spec.md.tmp docs/spec.md
	$(BIN)/python scripts/refresh_transcripts.py

# The differential tests against Keras, recording their figures for docs/analysis.md:
# the first release's parsed-spec differential, and the raw-document one over every layer kind
# (KERASSPEC_RAW_EXAMPLES cases shared by the kinds; 20,000 here, 5,000 in `make test`).
differential: venv
	KERASSPEC_DIFF_REPORT=benchmarks/results/differential.json $(BIN)/python -m pytest -q tests/test_differential.py
	KERASSPEC_RAW_EXAMPLES=20000 KERASSPEC_RAW_REPORT=benchmarks/results/differential_raw.json \
		$(BIN)/python -m pytest -q tests/test_differential_raw.py -m slow
	$(BIN)/python scripts/raw_differential_table.py

bench: venv
	$(BIN)/python benchmarks/run_all.py

# Mutation testing (mutmut, installed here, not a dependency): the modules in MUTATE are
# mutated in a copy of the package (mutants/), each mutant against the fast tests of
# MUTATION_TESTS that reach it. Scores per module: benchmarks/results/mutation.json and
# docs/analysis.md ("Mutation score"). Restrict both variables to iterate on one module.
MUTATE ?= kerasspec/shapes.py kerasspec/analysis.py kerasspec/semantics.py kerasspec/tasks.py kerasspec/loader.py
MUTATION_TESTS ?= tests/test_shapes.py tests/test_validate.py tests/test_loader.py tests/test_tasks.py \
	tests/test_semantics_layers.py $(wildcard tests/test_branches_*.py)
MUTATION_JOBS ?= 2

mutation: venv
	$(BIN)/python -m pip install --quiet mutmut==3.8.1
	$(BIN)/python scripts/mutation_run.py --jobs $(MUTATION_JOBS) --tests "$(MUTATION_TESTS)" $(MUTATE)

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache .hypothesis
