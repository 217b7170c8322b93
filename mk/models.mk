# mk/models.mk - the example models (make models), included by the Makefile.
#
# Trains the examples on scikit-learn's bundled datasets (no download) with
# Debian's python3-sklearn and exports them with tools/sklearn2onnx.py. The
# .onnx files, the data points and the manifest are committed; the pickled
# sklearn models go to build/models/ (the tests and the benchmark's Python
# peer use them) and are not.

PYTHON3 ?= /usr/bin/python3
MODELS_OUT = examples/models/models.json

models:: $(MODELS_OUT)

$(MODELS_OUT) build/models/breast_cancer.pkl: tools/build_models.py tools/sklearn2onnx.py
	$(PYTHON3) tools/build_models.py --models examples/models \
	    --data examples/data --pickles build/models

# The pickles alone (for tests and bench on a fresh checkout).
models-pickles:
	@test -f build/models/breast_cancer.pkl || \
	    $(PYTHON3) tools/build_models.py --models build/models/onnx \
	    --data build/models/data --pickles build/models

.PHONY: models-pickles
