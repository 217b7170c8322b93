/*
 * onnx/ops_ml_tree5.c - loading TreeEnsemble (ai.onnx.ml 5) into the flat
 * form of ops_ml_tree.h that ops_ml_tree_run.c evaluates.
 */
#include "onnx/ops_ml_tree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
tensor_doubles(const denai_node *n, const char *name, int need,
    double **out, size_t *cnt, int *dbl, denai_err *err)
{
	const denai_tensor *t;

	*out = NULL;
	*cnt = 0;
	if (denai_node_attr_tensor(n, name, &t, err) != 0)
		return -1;
	if (t == NULL)
		return need ? denai_node_fail(n, err, DENAI_EDATA,
		    "%s is missing", name) : 0;
	if (t->dtype != DENAI_DT_FLOAT && t->dtype != DENAI_DT_DOUBLE &&
	    t->dtype != DENAI_DT_UINT8)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "%s has unsupported type %s", name,
		    denai_dtype_name(t->dtype));
	if (dbl != NULL && t->dtype == DENAI_DT_DOUBLE)
		*dbl = 1;
	if ((*out = malloc((t->count + 1) * sizeof(double))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (size_t i = 0; i < t->count; i++)
		(*out)[i] = t->dtype == DENAI_DT_DOUBLE ? DENAI_T_F64(t)[i] :
		    t->dtype == DENAI_DT_FLOAT ? (double)DENAI_T_F32(t)[i] :
		    (double)DENAI_T_U8(t)[i];
	*cnt = t->count;
	return 0;
}

int
denai_ml_tree5_prepare(denai_node *n, denai_err *err)
{
	static const char *const known[] = { "aggregate_function",
	    "leaf_targetids", "leaf_weights", "membership_values", "n_targets",
	    "nodes_falseleafs", "nodes_falsenodeids", "nodes_featureids",
	    "nodes_hitrates", "nodes_missing_value_tracks_true", "nodes_modes",
	    "nodes_splits", "nodes_trueleafs", "nodes_truenodeids",
	    "post_transform", "tree_roots", NULL };
	static const int posts[] = { ML_NONE, ML_SOFTMAX, ML_LOGISTIC,
	    ML_SOFTMAX_ZERO, ML_PROBIT };
	const int64_t *ltid, *fl, *fid, *feat, *miss, *tl, *tid, *roots;
	size_t nl, n1, n2, n3, nmiss, n4, n5, nroots, nlw, nmodes, nsplit, nmem;
	double *lw = NULL, *modes = NULL, *split = NULL, *mem = NULL;
	int64_t agg, post, *setof = NULL;
	ptrdiff_t *map = NULL;
	size_t *stack = NULL, sp, nsets = 0;
	tree_state *s;
	int rc = -1;

	if (denai_node_check_attrs(n, known, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	s->kind = K_ENSEMBLE;
	if (denai_node_attr_int(n, "aggregate_function", 1, &agg, err) != 0 ||
	    denai_node_attr_int(n, "post_transform", 0, &post, err) != 0 ||
	    denai_node_attr_int(n, "n_targets", 0, &s->ntargets, err) != 0 ||
	    denai_node_attr_ints(n, "leaf_targetids", &ltid, &nl, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_falseleafs", &fl, &n1, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_falsenodeids", &fid, &n2,
	    err) != 0 ||
	    denai_node_attr_ints(n, "nodes_featureids", &feat, &n3,
	    err) != 0 ||
	    denai_node_attr_ints(n, "nodes_missing_value_tracks_true", &miss,
	    &nmiss, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_trueleafs", &tl, &n4, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_truenodeids", &tid, &n5,
	    err) != 0 ||
	    denai_node_attr_ints(n, "tree_roots", &roots, &nroots, err) != 0 ||
	    tensor_doubles(n, "leaf_weights", 1, &lw, &nlw, &s->dbl,
	    err) != 0 ||
	    tensor_doubles(n, "nodes_modes", 1, &modes, &nmodes, NULL,
	    err) != 0 ||
	    tensor_doubles(n, "nodes_splits", 1, &split, &nsplit, NULL,
	    err) != 0 ||
	    tensor_doubles(n, "membership_values", 0, &mem, &nmem, NULL,
	    err) != 0)
		goto out;
	if (agg < 0 || agg > 3 || post < 0 || post > 4) {
		denai_node_fail(n, err, DENAI_EUNSUP,
		    "unsupported aggregate_function or post_transform");
		goto out;
	}
	s->agg = agg == 0 ? AGG_AVERAGE : agg == 1 ? AGG_SUM :
	    agg == 2 ? AGG_MIN : AGG_MAX;
	s->post = posts[post];
	if (denai_ml_tree_same_len(n, n1, n2, "nodes_falsenodeids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n3, "nodes_featureids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n4, "nodes_trueleafs", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n5, "nodes_truenodeids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, nmodes, "nodes_modes", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, nsplit, "nodes_splits", err) != 0 ||
	    (nmiss != 0 && denai_ml_tree_same_len(n, n1, nmiss,
	    "nodes_missing_value_tracks_true", err) != 0) ||
	    denai_ml_tree_same_len(n, nl, nlw, "leaf_weights", err) != 0)
		goto out;
	if (s->ntargets < 1 || s->ntargets > 1 << 20 || nroots == 0) {
		denai_node_fail(n, err, DENAI_EDATA,
		    "bad n_targets or no tree_roots");
		goto out;
	}
	/* weights: one per leaf */
	if ((s->w = malloc((nl + 1) * sizeof(tweight))) == NULL)
		goto nomem;
	s->nw = nl;
	for (size_t i = 0; i < nl; i++) {
		if (ltid[i] < 0 || ltid[i] >= s->ntargets) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "leaf target id %lld out of range",
			    (long long)ltid[i]);
			goto out;
		}
		s->w[i].id = (int32_t)ltid[i];
		s->w[i].w = lw[i];
	}
	/* membership sets, one per BRANCH_MEMBER node in node order */
	if ((setof = calloc(n1 + 1, sizeof(int64_t))) == NULL)
		goto nomem;
	if (nmem > 0) {
		s->sets = mem;
		s->nsets = nmem;
		mem = NULL;
	}
	{
		size_t pos = 0;

		for (size_t i = 0; i < n1; i++) {
			if (modes[i] != 6)
				continue;
			if (pos > s->nsets) {
				denai_node_fail(n, err, DENAI_EDATA,
				    "too few membership sets");
				goto out;
			}
			setof[i] = (int64_t)pos;
			while (pos < s->nsets && !isnan(s->sets[pos]))
				pos++;
			pos++;
			nsets++;
		}
	}
	/* flatten: each node once; a leaf may be reached many times */
	if ((map = malloc((n1 + 1) * sizeof(*map))) == NULL ||
	    (stack = malloc((2 * n1 + 2) * sizeof(*stack))) == NULL ||
	    (s->nodes = calloc(3 * n1 + 2, sizeof(tnode))) == NULL ||
	    (s->roots = malloc(nroots * sizeof(int32_t))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n1; i++) {
		map[i] = -1;
		if (modes[i] < 0 || modes[i] > 6) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "bad node mode %g", modes[i]);
			goto out;
		}
		if (feat[i] < 0 || feat[i] >= INT32_MAX) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "bad feature id %lld", (long long)feat[i]);
			goto out;
		}
	}
	/* stack entries: 2*i = node i, 2*i+1 = leaf i; parents patched after */
	for (size_t r = 0; r < nroots; r++) {
		if (roots[r] < 0 || (size_t)roots[r] >= n1) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "tree root %lld out of range", (long long)roots[r]);
			goto out;
		}
		s->roots[s->ntrees++] = (int32_t)s->nnodes;
		sp = 0;
		stack[sp++] = 2 * (size_t)roots[r];
		while (sp > 0) {
			size_t e = stack[--sp], i = e / 2;
			tnode *t = &s->nodes[s->nnodes];

			if (e & 1) {
				t->feat = -1;
				t->mode = M_LEAF;
				t->t = (int32_t)i;
				t->f = 1;
				s->nnodes++;
				continue;
			}
			if (map[i] != -1) {
				denai_node_fail(n, err, DENAI_EDATA,
				    "node %zu is reached twice", i);
				goto out;
			}
			map[i] = (ptrdiff_t)s->nnodes++;
			t->feat = (int32_t)feat[i];
			if (t->feat + 1 > s->nfeat)
				s->nfeat = t->feat + 1;
			t->mode = (uint8_t)modes[i];
			t->thr = split[i];
			t->mtrue = nmiss != 0 && miss[i] != 0;
			t->set = (int32_t)setof[i];
			t->nset = 0;
			if (t->mode == M_MEMBER)
				while ((size_t)(t->set + t->nset) < s->nsets &&
				    !isnan(s->sets[t->set + t->nset]))
					t->nset++;
			for (int k = 0; k < 2; k++) {
				int leaf = k == 0 ? fl[i] != 0 : tl[i] != 0;
				int64_t c = k == 0 ? fid[i] : tid[i];

				if (c < 0 || (size_t)c >= (leaf ? nl : n1)) {
					denai_node_fail(n, err, DENAI_EDATA,
					    "node %zu: child %lld out of range",
					    i, (long long)c);
					goto out;
				}
				stack[sp++] = 2 * (size_t)c + (leaf ? 1 : 0);
			}
		}
	}
	/* patch children: in DFS order the true child follows its parent,
	 * the false child follows the true child's subtree. */
	{
		size_t *end = malloc((s->nnodes + 1) * sizeof(size_t));

		if (end == NULL)
			goto nomem;
		for (size_t k = s->nnodes; k-- > 0;) {
			tnode *t = &s->nodes[k];

			if (t->feat < 0) {
				end[k] = k + 1;
				continue;
			}
			t->t = (int32_t)(k + 1);
			t->f = (int32_t)end[k + 1];
			end[k] = end[t->f];
		}
		free(end);
	}
	denai_ml_tree_finish_flags(s);
	rc = 0;
	goto out;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
out:
	free(lw);
	free(modes);
	free(split);
	free(mem);
	free(setof);
	free(map);
	free(stack);
	return rc;
}

/* ------------------------------------------------------------------
 * Evaluation.
 */
