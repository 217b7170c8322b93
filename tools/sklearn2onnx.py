"""sklearn2onnx.py - convert fitted scikit-learn models to ONNX with onnx.helper.

Used by tools/sklearn2onnx (the command) and tools/build_models.py.

    import sklearn2onnx
    proto = sklearn2onnx.convert(model, name="breast_cancer")
    sklearn2onnx.save(proto, "out.onnx")

Supported: LogisticRegression, LinearRegression, Ridge, DecisionTree{Classifier,
Regressor}, RandomForest{Classifier,Regressor}, GradientBoosting{Classifier,
Regressor}, SVC, SVR (linear, rbf, poly, sigmoid kernels), MLP{Classifier,
Regressor}, StandardScaler, MinMaxScaler, and a Pipeline of these.

Graph convention (like skl2onnx): one input "input", float [N, F];
classifiers output "label" (int64 [N]) and "probabilities" (float [N, C]) -
or, with zipmap=True, "label" and "output_probability" (a ZipMap);
regressors output "variable" (float [N, targets]). Opsets: ai.onnx 13,
ai.onnx.ml 3 when an ML operator is used.

Exactness notes (what makes labels equal sklearn's):
- Tree thresholds are rounded down to float32: sklearn compares a float32
  feature x <= t with t in double, which is x <= floor32(t) exactly.
- Binary tree classifiers use the "margin" form by default: one weight per
  leaf for class 1, p1 - 0.5 (not divided by the number of trees), so the
  ONNX label rule (sum > 0) sees exact half-integer sums where the trees
  vote, a tie (sum 0) gives class 0 like sklearn's argmax, and
  probabilities are recovered as 0.5 + sum / n_trees by standard ops.
  tree_form="proba1" (weights p1/n for class 1 only) and "proba2" (p/n for
  both classes) write the other two forms, for testing onnxruntime's rules.
- SVC labels come from the one-vs-one vote (the rule libsvm and sklearn
  use); SVMClassifier keeps that rule when prob_a/prob_b are given
  (probability=True), which then only change the scores output.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ML = "ai.onnx.ml"
OPSET = 13
ML_OPSET = 3


class Graph:
    """A graph under construction: nodes, initializers, unique names."""

    def __init__(self):
        self.nodes = []
        self.inits = []
        self.names = set()
        self.uses_ml = False
        self.label_str = False

    def name(self, base):
        n, i = base, 1
        while n in self.names:
            n = "%s_%d" % (base, i)
            i += 1
        self.names.add(n)
        return n

    def const(self, base, array):
        name = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def rename(self, old, new):
        """Renames value old (a node output) to new everywhere."""
        if new in self.names and new != old:
            raise ValueError("value name %s is taken" % new)
        self.names.add(new)
        for nd in self.nodes:
            for lst in (nd.input, nd.output):
                for i, v in enumerate(lst):
                    if v == old:
                        lst[i] = new

    def node(self, op, inputs, outputs=1, domain="", name=None, **attrs):
        if isinstance(outputs, int):
            outputs = [self.name(op.lower()) for _ in range(outputs)]
        else:
            for o in outputs:
                self.names.add(o)
        if domain == ML:
            self.uses_ml = True
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(helper.make_node(
            op, list(inputs), list(outputs), name=self.name(name or op),
            domain=domain, **attrs))
        return outputs if len(outputs) > 1 else outputs[0]


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def floor32(t):
    """The largest float32 <= t (t a Python float/double)."""
    f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf))
    return float(f)


def classes_of(model):
    """The class labels: a list of ints, or of strings (then the label
    output is a string tensor and the on-chain prediction is its index)."""
    c = np.asarray(model.classes_)
    if c.dtype.kind in "iub":
        return [int(v) for v in c]
    if c.dtype.kind == "f" and np.all(c == np.round(c)):
        return [int(v) for v in c]
    if c.dtype.kind in "USO" and all(isinstance(v, str) for v in c):
        return [str(v) for v in c]
    raise ValueError("class labels must be integers or strings, not %s"
                     % c.dtype)


def is_str(classes):
    return isinstance(classes[0], str)


def labels_attr(classes, int_name):
    """The class label attribute of an ML operator."""
    if is_str(classes):
        return {int_name.rsplit("_", 1)[0] + "_strings": classes}
    return {int_name: classes}


# ---------------------------------------------------------------- transformers

def conv_standard_scaler(g, x, m):
    nf = m.n_features_in_
    offset = m.mean_ if m.mean_ is not None else np.zeros(nf)
    scale = 1.0 / m.scale_ if m.scale_ is not None else np.ones(nf)
    return g.node("Scaler", [x], domain=ML, offset=f32list(offset),
                  scale=f32list(scale))


def conv_minmax_scaler(g, x, m):
    # sklearn: x * scale_ + min_ == (x - (-min_ / scale_)) * scale_
    return g.node("Scaler", [x], domain=ML, offset=f32list(-m.min_ / m.scale_),
                  scale=f32list(m.scale_))


# ---------------------------------------------------------------- outputs

def finish_classifier(g, label, proba, classes, zipmap):
    """Names the classifier's outputs; returns [(name, kind)]. The label
    stays the output of the node that computes it, so that a program can
    map a string label to its index through that node's class labels."""
    g.rename(label, "label")
    g.label_str = is_str(classes)
    if zipmap:
        g.node("ZipMap", [proba], ["output_probability"], domain=ML,
               **labels_attr(classes, "classlabels_int64s"))
        return [("label", "label"), ("output_probability", "zipmap")]
    g.rename(proba, "probabilities")
    return [("label", "label"), ("probabilities", "proba")]


def argmax_label(g, scores, classes):
    """label = classes[argmax(scores, axis=1)], first maximum on ties.
    Returns: (label, probabilities) value names."""
    if is_str(classes):
        # A LinearClassifier with identity coefficients: its label is the
        # first maximum, named through classlabels_strings, and its scores
        # are the inputs unchanged (p * 1 + 0 is exact).
        n = len(classes)
        return g.node("LinearClassifier", [scores], 2, domain=ML,
                      coefficients=f32list(np.eye(n)),
                      intercepts=[0.0] * n, classlabels_strings=classes,
                      post_transform="NONE")
    idx = g.node("ArgMax", [scores], axis=1, keepdims=0)
    if classes == list(range(len(classes))):
        return idx, scores
    table = np.array(classes, np.int64)
    return g.node("Gather", [g.const("classes", table), idx], axis=0), scores


# ---------------------------------------------------------------- linear

def conv_logistic(g, x, m, zipmap):
    classes = classes_of(m)
    coef = np.asarray(m.coef_, np.float64)
    b = np.asarray(m.intercept_, np.float64)
    # sklearn's own rule for predict_proba (1.2): one-vs-rest logistic, or
    # the softmax of the decision values.
    ovr = m.multi_class in ("ovr", "warn") or (
        m.multi_class == "auto" and (len(classes) <= 2 or
                                     m.solver == "liblinear"))
    if len(classes) == 2:
        # Two rows (-w, w): argmax picks class 0 on a tie (z == 0), as
        # sklearn's decision_function > 0 does; LOGISTIC gives
        # [sigmoid(-z), sigmoid(z)] and SOFTMAX softmax([-z, z]), which are
        # predict_proba's ovr and multinomial forms.
        coef = np.vstack([-coef[0], coef[0]])
        b = np.array([-b[0], b[0]])
        post = "LOGISTIC" if ovr else "SOFTMAX"
        normalize = False
    else:
        post = "LOGISTIC" if ovr else "SOFTMAX"
        normalize = ovr
    label, proba = g.node("LinearClassifier", [x], 2, domain=ML,
                          coefficients=f32list(coef), intercepts=f32list(b),
                          post_transform=post, multi_class=0,
                          **labels_attr(classes, "classlabels_ints"))
    if normalize:
        proba = g.node("Normalizer", [proba], domain=ML, norm="L1")
    return finish_classifier(g, label, proba, classes, zipmap)


def conv_linear_regressor(g, x, m):
    coef = np.atleast_2d(np.asarray(m.coef_, np.float64))
    b = np.atleast_1d(np.asarray(m.intercept_, np.float64))
    if b.size == 1 and coef.shape[0] == 1:
        b = b.reshape(1)
    y = g.node("LinearRegressor", [x], domain=ML, coefficients=f32list(coef),
               intercepts=f32list(b), targets=int(coef.shape[0]))
    g.rename(y, "variable")
    return [("variable", "value")]


# ---------------------------------------------------------------- trees

class TreeAttrs:
    """Accumulates the nodes_* and leaf weight attributes of an ensemble."""

    def __init__(self):
        self.tree, self.node, self.feat, self.mode = [], [], [], []
        self.value, self.true, self.false = [], [], []
        self.w_tree, self.w_node, self.w_id, self.w = [], [], [], []
        self.ntrees = 0

    def add_tree(self, t, leaf):
        """t: an sklearn Tree; leaf(node) -> [(target/class id, weight)]."""
        tid = self.ntrees
        self.ntrees += 1
        for i in range(t.node_count):
            left, right = int(t.children_left[i]), int(t.children_right[i])
            self.tree.append(tid)
            self.node.append(i)
            if left == -1:
                self.feat.append(0)
                self.mode.append("LEAF")
                self.value.append(0.0)
                self.true.append(0)
                self.false.append(0)
                for cid, w in leaf(i):
                    self.w_tree.append(tid)
                    self.w_node.append(i)
                    self.w_id.append(int(cid))
                    self.w.append(float(np.float32(w)))
            else:
                self.feat.append(int(t.feature[i]))
                self.mode.append("BRANCH_LEQ")
                self.value.append(floor32(float(t.threshold[i])))
                self.true.append(left)
                self.false.append(right)

    def add_leaf_tree(self, weights):
        """A tree that is one leaf carrying weights [(id, w)]."""
        tid = self.ntrees
        self.ntrees += 1
        self.tree.append(tid)
        self.node.append(0)
        self.feat.append(0)
        self.mode.append("LEAF")
        self.value.append(0.0)
        self.true.append(0)
        self.false.append(0)
        for cid, w in weights:
            self.w_tree.append(tid)
            self.w_node.append(0)
            self.w_id.append(int(cid))
            self.w.append(float(np.float32(w)))

    def nodes_attrs(self):
        return dict(nodes_treeids=self.tree, nodes_nodeids=self.node,
                    nodes_featureids=self.feat, nodes_modes=self.mode,
                    nodes_values=self.value, nodes_truenodeids=self.true,
                    nodes_falsenodeids=self.false)

    def classifier(self, g, x, classes, post="NONE", base=None):
        return g.node("TreeEnsembleClassifier", [x], 2, domain=ML,
                      class_treeids=self.w_tree, class_nodeids=self.w_node,
                      class_ids=self.w_id, class_weights=self.w,
                      post_transform=post,
                      **labels_attr(classes, "classlabels_int64s"),
                      base_values=None if base is None else f32list(base),
                      **self.nodes_attrs())

    def regressor(self, g, x, ntargets, agg="SUM", base=None):
        return g.node("TreeEnsembleRegressor", [x], domain=ML,
                      target_treeids=self.w_tree, target_nodeids=self.w_node,
                      target_ids=self.w_id, target_weights=self.w,
                      n_targets=int(ntargets), aggregate_function=agg,
                      post_transform="NONE",
                      base_values=None if base is None else f32list(base),
                      **self.nodes_attrs())


def tree_probas(t):
    """Per-node class probabilities of a classification tree (as sklearn's
    predict_proba computes them: value / value.sum())."""
    v = np.asarray(t.value[:, 0, :], np.float64)
    s = v.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return v / s


def conv_forest_classifier(g, x, m, zipmap, tree_form="margin"):
    classes = classes_of(m)
    trees = [m.tree_] if hasattr(m, "tree_") else \
        [e.tree_ for e in m.estimators_]
    for t in trees:
        if t.n_outputs != 1:
            raise ValueError("multi-output tree classifiers are not supported")
    n = len(trees)
    a = TreeAttrs()
    if len(classes) == 2 and tree_form == "margin":
        for t in trees:
            p = tree_probas(t)
            a.add_tree(t, lambda i, p=p: [(1, p[i, 1] - 0.5)])
        if min(a.w) >= 0:
            # all weights >= 0 would switch onnxruntime to the "> 0.5"
            # rule: two leaf-only trees, +0.5 and -0.5, keep "> 0".
            a.add_leaf_tree([(1, 0.5)])
            a.add_leaf_tree([(1, -0.5)])
        label, scores = a.classifier(g, x, classes)
        # p1 = 0.5 + margin / n; p0 = 1 - p1.
        margin = g.node("Slice", [scores, g.const("one", np.array([1])),
                                  g.const("two", np.array([2])),
                                  g.const("axis1", np.array([1]))])
        p1 = g.node("Add", [g.node("Mul", [margin, g.const(
            "inv_n", np.array([1.0 / n], np.float32))]),
            g.const("half", np.array([0.5], np.float32))])
        p0 = g.node("Sub", [g.const("unit", np.array([1.0], np.float32)), p1])
        proba = g.node("Concat", [p0, p1], axis=1)
        return finish_classifier(g, label, proba, classes, zipmap)
    for t in trees:
        p = tree_probas(t)
        if len(classes) == 2 and tree_form == "proba1":
            a.add_tree(t, lambda i, p=p: [(1, p[i, 1] / n)])
        else:
            a.add_tree(t, lambda i, p=p: [(c, p[i, c] / n)
                                          for c in range(len(classes))])
    label, proba = a.classifier(g, x, classes)
    return finish_classifier(g, label, proba, classes, zipmap)


def conv_forest_regressor(g, x, m):
    trees = [m.tree_] if hasattr(m, "tree_") else \
        [e.tree_ for e in m.estimators_]
    nt = trees[0].n_outputs
    a = TreeAttrs()
    for t in trees:
        v = np.asarray(t.value[:, :, 0], np.float64)
        a.add_tree(t, lambda i, v=v: [(k, v[i, k]) for k in range(nt)])
    y = a.regressor(g, x, nt, agg="AVERAGE" if len(trees) > 1 else "SUM")
    g.rename(y, "variable")
    return [("variable", "value")]


def gb_init(m):
    return np.asarray(m._raw_predict_init(
        np.zeros((1, m.n_features_in_), np.float32))[0], np.float64)


def conv_gb_classifier(g, x, m, zipmap):
    classes = classes_of(m)
    lr = m.learning_rate
    est = m.estimators_
    base = gb_init(m)
    a = TreeAttrs()
    if m.loss == "exponential":
        # predict_proba is expit(2 * raw): scale the raw score by 2 (the
        # sign, hence the label, is unchanged).
        lr, base = 2 * lr, 2 * base
    if len(classes) == 2:
        # one score for class 1, put on class id 0 with one base value:
        # onnxruntime's binary rule then says label 1 iff score > 0, and
        # LOGISTIC gives [sigmoid(-s), sigmoid(s)].
        for e in est[:, 0]:
            t = e.tree_
            a.add_tree(t, lambda i, t=t: [(0, lr * t.value[i, 0, 0])])
        if min(a.w) >= 0:
            # onnxruntime would switch to its "> 0.5" rule; a pair of
            # leaf-only trees (+1, -1) keeps its "> 0" rule.
            a.add_leaf_tree([(0, 1.0)])
            a.add_leaf_tree([(0, -1.0)])
        label, proba = a.classifier(g, x, classes, post="LOGISTIC",
                                    base=base[:1])
    else:
        for row in est:
            for k, e in enumerate(row):
                t = e.tree_
                a.add_tree(t, lambda i, t=t, k=k: [(k, lr * t.value[i, 0, 0])])
        label, proba = a.classifier(g, x, classes, post="SOFTMAX", base=base)
    return finish_classifier(g, label, proba, classes, zipmap)


def conv_gb_regressor(g, x, m):
    lr = m.learning_rate
    a = TreeAttrs()
    for e in m.estimators_[:, 0]:
        t = e.tree_
        a.add_tree(t, lambda i, t=t: [(0, lr * t.value[i, 0, 0])])
    y = a.regressor(g, x, 1, agg="SUM", base=gb_init(m)[:1])
    g.rename(y, "variable")
    return [("variable", "value")]


# ---------------------------------------------------------------- SVM

def svm_kernel(m):
    k = m.kernel
    if callable(k) or k not in ("linear", "rbf", "poly", "sigmoid"):
        raise ValueError("unsupported SVM kernel %r" % (k,))
    gamma = m._gamma if k != "linear" else 0.0
    return k.upper(), [float(gamma), float(m.coef0), float(m.degree)]


def conv_svc(g, x, m, zipmap):
    classes = classes_of(m)
    if getattr(m, "break_ties", False) and len(classes) > 2:
        raise ValueError("SVC with break_ties=True is not supported "
                         "(its labels come from decision_function)")
    kt, kp = svm_kernel(m)
    common = dict(kernel_type=kt, kernel_params=kp,
                  support_vectors=f32list(m.support_vectors_),
                  vectors_per_class=[int(v) for v in m.n_support_],
                  coefficients=f32list(m._dual_coef_),
                  rho=f32list(m._intercept_),
                  **labels_attr(classes, "classlabels_ints"))
    if m.probability:
        common.update(prob_a=f32list(m.probA_), prob_b=f32list(m.probB_))
    label, scores = g.node("SVMClassifier", [x], 2, domain=ML, **common)
    return finish_classifier(g, label, scores, classes, zipmap)


def conv_svr(g, x, m):
    kt, kp = svm_kernel(m)
    y = g.node("SVMRegressor", [x], domain=ML, kernel_type=kt,
               kernel_params=kp, support_vectors=f32list(m.support_vectors_),
               n_supports=int(m.support_vectors_.shape[0]),
               coefficients=f32list(m.dual_coef_),
               rho=f32list(m.intercept_), post_transform="NONE")
    g.rename(y, "variable")
    return [("variable", "value")]


# ---------------------------------------------------------------- MLP

ACT = {"relu": "Relu", "tanh": "Tanh", "logistic": "Sigmoid"}


def mlp_forward(g, x, m):
    h = x
    last = len(m.coefs_) - 1
    for i, (w, b) in enumerate(zip(m.coefs_, m.intercepts_)):
        h = g.node("MatMul", [h, g.const("W%d" % i,
                                         np.asarray(w, np.float32))])
        h = g.node("Add", [h, g.const("B%d" % i, np.asarray(b, np.float32))])
        act = m.out_activation_ if i == last else m.activation
        if act == "identity":
            continue
        if act == "softmax":
            h = g.node("Softmax", [h], axis=1)
        elif act in ACT:
            h = g.node(ACT[act], [h])
        else:
            raise ValueError("unsupported MLP activation %r" % act)
    return h


def conv_mlp_classifier(g, x, m, zipmap):
    classes = classes_of(m)
    out = mlp_forward(g, x, m)
    if m.out_activation_ == "logistic":
        if len(classes) != 2:
            raise ValueError("multi-label MLPClassifier is not supported")
        p0 = g.node("Sub", [g.const("unit", np.array([1.0], np.float32)), out])
        proba = g.node("Concat", [p0, out], axis=1)
    else:
        proba = out
    label, proba = argmax_label(g, proba, classes)
    return finish_classifier(g, label, proba, classes, zipmap)


def conv_mlp_regressor(g, x, m):
    y = mlp_forward(g, x, m)
    g.rename(y, "variable")
    return [("variable", "value")]


# ---------------------------------------------------------------- dispatch

TRANSFORMERS = {
    "StandardScaler": conv_standard_scaler,
    "MinMaxScaler": conv_minmax_scaler,
}
CLASSIFIERS = {
    "LogisticRegression": conv_logistic,
    "DecisionTreeClassifier": conv_forest_classifier,
    "RandomForestClassifier": conv_forest_classifier,
    "ExtraTreesClassifier": conv_forest_classifier,
    "GradientBoostingClassifier": conv_gb_classifier,
    "SVC": conv_svc,
    "MLPClassifier": conv_mlp_classifier,
}
REGRESSORS = {
    "LinearRegression": conv_linear_regressor,
    "Ridge": conv_linear_regressor,
    "Lasso": conv_linear_regressor,
    "DecisionTreeRegressor": conv_forest_regressor,
    "RandomForestRegressor": conv_forest_regressor,
    "ExtraTreesRegressor": conv_forest_regressor,
    "GradientBoostingRegressor": conv_gb_regressor,
    "SVR": conv_svr,
    "MLPRegressor": conv_mlp_regressor,
}


def supported():
    return sorted(list(TRANSFORMERS) + list(CLASSIFIERS) + list(REGRESSORS)
                  + ["Pipeline"])


def steps_of(model):
    if type(model).__name__ == "Pipeline":
        out = []
        for _, s in model.steps:
            if s is None or s == "passthrough":
                continue
            out.extend(steps_of(s))
        return out
    return [model]


def n_features_of(model):
    for s in steps_of(model):
        if hasattr(s, "n_features_in_"):
            return int(s.n_features_in_)
    raise ValueError("cannot tell the number of input features")


def is_classifier(model):
    return type(steps_of(model)[-1]).__name__ in CLASSIFIERS


def convert(model, name="model", zipmap=False, tree_form="margin", doc=""):
    """Returns an onnx.ModelProto computing model's predictions."""
    if tree_form not in ("margin", "proba1", "proba2"):
        raise ValueError("tree_form is margin, proba1 or proba2")
    g = Graph()
    g.names.add("input")
    x = "input"
    steps = steps_of(model)
    outputs = None
    for i, s in enumerate(steps):
        kind = type(s).__name__
        last = i == len(steps) - 1
        if kind in TRANSFORMERS:
            x = TRANSFORMERS[kind](g, x, s)
            if last:
                g.rename(x, "variable")
                outputs = [("variable", "value")]
        elif kind in CLASSIFIERS and last:
            f = CLASSIFIERS[kind]
            if f is conv_forest_classifier:
                outputs = f(g, x, s, zipmap, tree_form)
            else:
                outputs = f(g, x, s, zipmap)
        elif kind in REGRESSORS and last:
            outputs = REGRESSORS[kind](g, x, s)
        else:
            raise ValueError("unsupported estimator %s%s" % (
                kind, "" if last else " (only the last step may predict)"))
    nf = n_features_of(model)
    ins = [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                         ["N", nf])]
    outs = []
    for oname, kind in outputs:
        if kind == "label":
            outs.append(helper.make_tensor_value_info(
                oname, TensorProto.STRING if g.label_str else
                TensorProto.INT64, ["N"]))
        elif kind == "zipmap":
            t = onnx.TypeProto()
            mt = t.sequence_type.elem_type.map_type
            mt.key_type = TensorProto.STRING if g.label_str else \
                TensorProto.INT64
            mt.value_type.tensor_type.elem_type = TensorProto.FLOAT
            outs.append(helper.make_value_info(oname, t))
        else:
            outs.append(helper.make_tensor_value_info(
                oname, TensorProto.FLOAT, ["N", None]))
    graph = helper.make_graph(g.nodes, name, ins, outs, initializer=g.inits)
    opsets = [helper.make_opsetid("", OPSET)]
    if g.uses_ml:
        opsets.append(helper.make_opsetid(ML, ML_OPSET))
    proto = helper.make_model(graph, opset_imports=opsets,
                              producer_name="denai-sklearn2onnx",
                              producer_version="1",
                              doc_string=doc or "converted from %s" % " > ".join(
                                  type(s).__name__ for s in steps))
    proto.ir_version = 8
    onnx.checker.check_model(proto)
    return proto


def save(proto, path):
    data = proto.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return len(data)
