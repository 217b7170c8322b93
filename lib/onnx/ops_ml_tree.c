/*
 * onnx/ops_ml_tree.c - loading TreeEnsembleClassifier, TreeEnsembleRegressor
 * (ai.onnx.ml 1-3) and TreeEnsemble (ai.onnx.ml 5).
 *
 * At prepare the trees are flattened into one array of nodes in depth-first
 * order from each root (so a child always comes after its parent and a walk
 * ends), with the leaf weights gathered per leaf in attribute order. A node
 * reached twice, a child that does not exist, a weight on a branch node or
 * a class/target id out of range fails the load.
 *
 * TreeEnsemble (ai.onnx.ml 5) loads in ops_ml_tree5.c, on the same flat
 * form; evaluation is in ops_ml_tree_run.c.
 */
#include "onnx/ops_ml_tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
denai_ml_tree_free(void *p)
{
	tree_state *s = p;

	if (s == NULL)
		return;
	free(s->nodes);
	free(s->roots);
	free(s->w);
	free(s->sets);
	free(s->base);
	free(s);
}

/* Reads a FLOATS attribute or its *_as_tensor double form into doubles. */
static int
get_doubles(const denai_node *n, const char *name, double **out,
    size_t *cnt, int *dbl, denai_err *err)
{
	char tname[96];
	const float *f;
	const denai_tensor *t;
	size_t nf;

	*out = NULL;
	*cnt = 0;
	snprintf(tname, sizeof(tname), "%s_as_tensor", name);
	if (denai_node_attr_floats(n, name, &f, &nf, err) != 0 ||
	    denai_node_attr_tensor(n, tname, &t, err) != 0)
		return -1;
	if (t != NULL && t->dtype != DENAI_DT_DOUBLE &&
	    t->dtype != DENAI_DT_FLOAT)
		return denai_node_fail(n, err, DENAI_EUNSUP,
		    "%s must be double or float, not %s", tname,
		    denai_dtype_name(t->dtype));
	if (t != NULL) {
		nf = t->count;
		if (t->dtype == DENAI_DT_DOUBLE)
			*dbl = 1;
	}
	if (nf == 0)
		return 0;
	if ((*out = malloc(nf * sizeof(double))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (size_t i = 0; i < nf; i++)
		(*out)[i] = t == NULL ? (double)f[i] :
		    t->dtype == DENAI_DT_DOUBLE ? DENAI_T_F64(t)[i] :
		    (double)DENAI_T_F32(t)[i];
	*cnt = nf;
	return 0;
}

/* ------------------------------------------------------------------
 * Flattening the classic (v1-v3) attributes.
 */

typedef struct classic {
	const int64_t *tree, *node, *feat, *tid, *fid, *miss;
	char *const *modes;
	double *val;
	size_t n, nmiss;
	const int64_t *wtree, *wnode, *wid;
	double *wv;
	size_t nw;
	size_t *order;		/* node indices sorted by (tree, node) */
	uint8_t *mode;		/* parsed nodes_modes */
	/* the distinct trees in order: their ids, first entry in order[],
	 * node count, and whether their node ids are 0..count-1 */
	int64_t *utree;
	size_t *ustart, *ucount, nu;
	uint8_t *udense;
	size_t *ut;		/* ut[i]: the ordinal of attribute node i's tree */
	ptrdiff_t *tch, *fch;	/* its true and false children, or -1 */
} classic;

/* qsort_r comparator: attribute indices by (tree id, node id). */
static int
cmp_tn(const void *a, const void *b, void *ctx)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const classic *c = ctx;

	if (c->tree[i] != c->tree[j])
		return c->tree[i] < c->tree[j] ? -1 : 1;
	if (c->node[i] != c->node[j])
		return c->node[i] < c->node[j] ? -1 : 1;
	return 0;
}

/* Returns: the attribute index of node in the t-th distinct tree, or -1. */
static ptrdiff_t
lookup_in(const classic *c, size_t t, int64_t node)
{
	size_t lo, hi;

	if (c->udense[t])
		return node >= 0 && (size_t)node < c->ucount[t] ?
		    (ptrdiff_t)c->order[c->ustart[t] + (size_t)node] : -1;
	lo = c->ustart[t];
	hi = lo + c->ucount[t];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->node[c->order[mid]] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->ustart[t] + c->ucount[t] && c->node[c->order[lo]] == node)
		return (ptrdiff_t)c->order[lo];
	return -1;
}

/* Returns: the attribute index of node (tree, node), or -1. */
static ptrdiff_t
lookup(const classic *c, int64_t tree, int64_t node)
{
	size_t lo = 0, hi = c->nu;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->utree[mid] < tree)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->nu || c->utree[lo] != tree)
		return -1;
	return lookup_in(c, lo, node);
}

static int
mode_of(const char *m)
{
	static const char *const names[] = { "BRANCH_LEQ", "BRANCH_LT",
	    "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ",
	    "BRANCH_MEMBER", "LEAF" };

	for (int i = 0; i < 8; i++)
		if (strcmp(m, names[i]) == 0)
			return i;
	return -1;
}

/*
 * Depth-first flattening of one tree from attribute index root. map[i] is
 * the flat index of attribute node i (-1 until reached). child(i, which)
 * gives a child's attribute index or -1 for none.
 */
static int
flatten_classic(const denai_node *n, const classic *c, tree_state *s,
    size_t root, ptrdiff_t *map, size_t *stack, size_t *ord, size_t *nord,
    denai_err *err)
{
	size_t sp = 0;

	stack[sp++] = root;
	while (sp > 0) {
		size_t i = stack[--sp];
		int m = c->mode[i];

		if (map[i] != -1)
			return denai_node_fail(n, err, DENAI_EDATA,
			    "tree %lld: node %lld is reached twice",
			    (long long)c->tree[i], (long long)c->node[i]);
		map[i] = (ptrdiff_t)*nord;
		ord[(*nord)++] = i;
		if (m == M_LEAF)
			continue;
		for (int k = 0; k < 2; k++) {
			int64_t id = k == 0 ? c->fid[i] : c->tid[i];
			ptrdiff_t j = k == 0 ? c->fch[i] : c->tch[i];

			if (j < 0)
				return denai_node_fail(n, err, DENAI_EDATA,
				    "tree %lld: node %lld has no child %lld",
				    (long long)c->tree[i],
				    (long long)c->node[i], (long long)id);
			stack[sp++] = (size_t)j;
		}
	}
	return 0;
}

static int
build_classic(const denai_node *n, classic *c, tree_state *s, denai_err *err)
{
	ptrdiff_t *map = NULL;
	size_t *stack = NULL, *ord = NULL, nord = 0, *cnt = NULL;
	uint8_t *ref = NULL;
	int rc = -1;

	if (c->n == 0)
		return denai_node_fail(n, err, DENAI_EDATA, "no tree nodes");
	map = malloc(c->n * sizeof(*map));
	stack = malloc((2 * c->n + 2) * sizeof(*stack));
	ord = malloc(c->n * sizeof(*ord));
	ref = calloc(c->n, 1);
	c->order = malloc(c->n * sizeof(size_t));
	s->nodes = calloc(c->n, sizeof(tnode));
	s->roots = malloc(c->n * sizeof(int32_t));
	cnt = calloc(c->n + 1, sizeof(size_t));
	if (!map || !stack || !ord || !ref || !c->order || !s->nodes ||
	    !s->roots || !cnt) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	c->mode = malloc(c->n);
	c->utree = malloc(c->n * sizeof(int64_t));
	c->ustart = malloc(c->n * sizeof(size_t));
	c->ucount = malloc(c->n * sizeof(size_t));
	c->udense = malloc(c->n);
	c->ut = malloc(c->n * sizeof(size_t));
	c->tch = malloc(c->n * sizeof(ptrdiff_t));
	c->fch = malloc(c->n * sizeof(ptrdiff_t));
	if (!c->mode || !c->utree || !c->ustart || !c->ucount || !c->udense ||
	    !c->ut || !c->tch || !c->fch) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0, last = 0; i < c->n; i++) {
		/* Runs of one mode are common: compare with the last first. */
		int m = i > 0 && strcmp(c->modes[i], c->modes[last]) == 0 ?
		    c->mode[last] : mode_of(c->modes[i]);

		c->mode[i] = (uint8_t)(m < 0 ? 255 : m);
		last = i;
		c->order[i] = i;
		map[i] = -1;
		if (m < 0 || m == M_MEMBER) {
			denai_node_fail(n, err, DENAI_EUNSUP,
			    "unsupported node mode %s", c->modes[i]);
			goto out;
		}
		if (m != M_LEAF && (c->feat[i] < 0 || c->feat[i] >= INT32_MAX)) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "bad feature id %lld", (long long)c->feat[i]);
			goto out;
		}
	}
	/* Converters write the nodes sorted already: check before sorting. */
	for (size_t k = 1; k < c->n; k++)
		if (cmp_tn(&c->order[k - 1], &c->order[k], c) > 0) {
			qsort_r(c->order, c->n, sizeof(size_t), cmp_tn, c);
			break;
		}
	for (size_t k = 1; k < c->n; k++)
		if (cmp_tn(&c->order[k - 1], &c->order[k], c) == 0) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "tree %lld: node %lld is defined twice",
			    (long long)c->tree[c->order[k]],
			    (long long)c->node[c->order[k]]);
			goto out;
		}
	c->nu = 0;
	for (size_t k = 0; k < c->n; k++) {
		size_t i = c->order[k];

		if (k == 0 || c->tree[c->order[k - 1]] != c->tree[i]) {
			c->utree[c->nu] = c->tree[i];
			c->ustart[c->nu] = k;
			c->ucount[c->nu] = 0;
			c->udense[c->nu] = 1;
			c->nu++;
		}
		if (c->node[i] != (int64_t)c->ucount[c->nu - 1])
			c->udense[c->nu - 1] = 0;
		c->ucount[c->nu - 1]++;
		c->ut[i] = c->nu - 1;
	}
	/* A root is a node no branch of its tree points to. */
	for (size_t i = 0; i < c->n; i++) {
		ptrdiff_t j;

		c->tch[i] = c->fch[i] = -1;
		if (c->mode[i] == M_LEAF)
			continue;
		if ((j = c->tch[i] = lookup_in(c, c->ut[i], c->tid[i])) >= 0)
			ref[j] = 1;
		if ((j = c->fch[i] = lookup_in(c, c->ut[i], c->fid[i])) >= 0)
			ref[j] = 1;
	}
	for (size_t k = 0; k < c->n; k++) {
		size_t i = c->order[k];

		if (k > 0 && c->tree[c->order[k - 1]] == c->tree[i])
			continue;
		/* first node of tree c->tree[i]: find its root */
		for (size_t q = k; q < c->n &&
		    c->tree[c->order[q]] == c->tree[i]; q++)
			if (!ref[c->order[q]]) {
				s->roots[s->ntrees++] = (int32_t)nord;
				if (flatten_classic(n, c, s, c->order[q], map,
				    stack, ord, &nord, err) != 0)
					goto out;
				break;
			}
	}
	if (s->ntrees == 0) {
		denai_node_fail(n, err, DENAI_EDATA, "no tree has a root");
		goto out;
	}
	/* leaf weights, grouped per leaf in attribute order */
	for (size_t j = 0; j < c->nw; j++) {
		ptrdiff_t i = lookup(c, c->wtree[j], c->wnode[j]);

		if (i < 0 || c->mode[i] != M_LEAF) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "a weight is on tree %lld node %lld, which is %s",
			    (long long)c->wtree[j], (long long)c->wnode[j],
			    i < 0 ? "missing" : "not a leaf");
			goto out;
		}
		if (c->wid[j] < 0 || c->wid[j] >= s->ntargets) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "class or target id %lld out of range",
			    (long long)c->wid[j]);
			goto out;
		}
		if (map[i] >= 0)
			cnt[map[i] + 1]++;
	}
	for (size_t k = 0; k < nord; k++)
		cnt[k + 1] += cnt[k];
	s->nnodes = nord;
	if ((s->w = malloc((cnt[nord] + 1) * sizeof(tweight))) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	s->nw = cnt[nord];
	for (size_t k = 0; k < nord; k++) {
		size_t i = ord[k];
		tnode *t = &s->nodes[k];

		if (c->mode[i] == M_LEAF) {
			t->feat = -1;
			t->mode = M_LEAF;
			t->t = (int32_t)cnt[k];
			t->f = 0;
			continue;
		}
		t->feat = (int32_t)c->feat[i];
		if (t->feat + 1 > s->nfeat)
			s->nfeat = t->feat + 1;
		t->mode = c->mode[i];
		t->thr = c->val != NULL ? c->val[i] : 0.0;
		t->mtrue = c->miss != NULL && i < c->nmiss && c->miss[i] != 0;
		t->t = (int32_t)map[c->tch[i]];
		t->f = (int32_t)map[c->fch[i]];
	}
	for (size_t j = 0; j < c->nw; j++) {
		ptrdiff_t i = lookup(c, c->wtree[j], c->wnode[j]);
		tnode *t;

		if (map[i] < 0)
			continue;
		t = &s->nodes[map[i]];
		s->w[t->t + t->f].id = (int32_t)c->wid[j];
		s->w[t->t + t->f].w = c->wv[j];
		t->f++;
	}
	rc = 0;
out:
	free(map);
	free(stack);
	free(ord);
	free(ref);
	free(cnt);
	free(c->order);
	free(c->mode);
	free(c->utree);
	free(c->ustart);
	free(c->ucount);
	free(c->udense);
	free(c->ut);
	free(c->tch);
	free(c->fch);
	c->order = NULL;
	return rc;
}

void
denai_ml_tree_finish_flags(tree_state *s)
{
	s->simple = 1;
	for (size_t k = 0; k < s->nnodes; k++)
		if (s->nodes[k].feat >= 0 && (s->nodes[k].mode != M_LEQ ||
		    s->nodes[k].mtrue))
			s->simple = 0;
}

int
denai_ml_tree_same_len(const denai_node *n, size_t want, size_t got, const char *name,
    denai_err *err)
{
	if (got != want)
		return denai_node_fail(n, err, DENAI_EDATA,
		    "%s has %zu entries, not %zu", name, got, want);
	return 0;
}

static int
classic_prepare(denai_node *n, int classifier, denai_err *err)
{
	static const char *const kc[] = { "base_values", "base_values_as_tensor",
	    "class_ids", "class_nodeids", "class_treeids", "class_weights",
	    "class_weights_as_tensor", "classlabels_int64s",
	    "classlabels_strings", "nodes_falsenodeids", "nodes_featureids",
	    "nodes_hitrates", "nodes_hitrates_as_tensor",
	    "nodes_missing_value_tracks_true", "nodes_modes", "nodes_nodeids",
	    "nodes_treeids", "nodes_truenodeids", "nodes_values",
	    "nodes_values_as_tensor", "post_transform", NULL };
	static const char *const kr[] = { "aggregate_function", "base_values",
	    "base_values_as_tensor", "n_targets", "nodes_falsenodeids",
	    "nodes_featureids", "nodes_hitrates", "nodes_hitrates_as_tensor",
	    "nodes_missing_value_tracks_true", "nodes_modes", "nodes_nodeids",
	    "nodes_treeids", "nodes_truenodeids", "nodes_values",
	    "nodes_values_as_tensor", "post_transform", "target_ids",
	    "target_nodeids", "target_treeids", "target_weights",
	    "target_weights_as_tensor", NULL };
	const char *pfx = classifier ? "class" : "target", *agg;
	char nm[64];
	classic c;
	tree_state *s;
	size_t n1, n2, n3, n4, n5, n6, nv, nwi, nwn, nwv;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if (denai_node_check_attrs(n, classifier ? kc : kr, err) != 0)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	n->state = s;
	s->kind = classifier ? K_CLASSIFIER : K_REGRESSOR;
	if (denai_ml_post_parse(n, &s->post, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_treeids", &c.tree, &n1, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_nodeids", &c.node, &n2, err) != 0 ||
	    denai_node_attr_ints(n, "nodes_featureids", &c.feat, &n3,
	    err) != 0 ||
	    denai_node_attr_ints(n, "nodes_truenodeids", &c.tid, &n4,
	    err) != 0 ||
	    denai_node_attr_ints(n, "nodes_falsenodeids", &c.fid, &n5,
	    err) != 0 ||
	    denai_node_attr_strings(n, "nodes_modes", &c.modes, &n6,
	    err) != 0 ||
	    denai_node_attr_ints(n, "nodes_missing_value_tracks_true",
	    &c.miss, &c.nmiss, err) != 0 ||
	    get_doubles(n, "nodes_values", &c.val, &nv, &s->dbl, err) != 0)
		goto out;
	c.n = n1;
	if (denai_ml_tree_same_len(n, n1, n2, "nodes_nodeids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n3, "nodes_featureids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n4, "nodes_truenodeids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n5, "nodes_falsenodeids", err) != 0 ||
	    denai_ml_tree_same_len(n, n1, n6, "nodes_modes", err) != 0 ||
	    (nv != 0 && denai_ml_tree_same_len(n, n1, nv, "nodes_values", err) != 0) ||
	    (c.nmiss != 0 && denai_ml_tree_same_len(n, n1, c.nmiss,
	    "nodes_missing_value_tracks_true", err) != 0))
		goto out;
	snprintf(nm, sizeof(nm), "%s_treeids", pfx);
	if (denai_node_attr_ints(n, nm, &c.wtree, &c.nw, err) != 0)
		goto out;
	snprintf(nm, sizeof(nm), "%s_nodeids", pfx);
	if (denai_node_attr_ints(n, nm, &c.wnode, &nwn, err) != 0 ||
	    denai_ml_tree_same_len(n, c.nw, nwn, nm, err) != 0)
		goto out;
	snprintf(nm, sizeof(nm), "%s_ids", pfx);
	if (denai_node_attr_ints(n, nm, &c.wid, &nwi, err) != 0 ||
	    denai_ml_tree_same_len(n, c.nw, nwi, nm, err) != 0)
		goto out;
	snprintf(nm, sizeof(nm), "%s_weights", pfx);
	if (get_doubles(n, nm, &c.wv, &nwv, &s->dbl, err) != 0 ||
	    denai_ml_tree_same_len(n, c.nw, nwv, nm, err) != 0 ||
	    get_doubles(n, "base_values", &s->base, &s->nbase, &s->dbl,
	    err) != 0)
		goto out;
	if (classifier) {
		if (denai_ml_labels_parse(n, "classlabels_int64s",
		    "classlabels_strings", &s->labels, err) != 0)
			goto out;
		s->ntargets = (int64_t)s->labels.n;
		if (s->ntargets < 2) {
			denai_node_fail(n, err, DENAI_EUNSUP,
			    "a classifier needs two or more class labels");
			goto out;
		}
		s->agg = AGG_SUM;
		s->allpos = 1;
		for (size_t j = 0; j < c.nw; j++) {
			if (c.wv[j] < 0)
				s->allpos = 0;
			if (c.wid[j] != c.wid[0])
				s->binary_case = -1;
		}
		s->binary_case = s->ntargets == 2 && c.nw > 0 &&
		    s->binary_case == 0;
	} else {
		if (denai_node_attr_int(n, "n_targets", 1, &s->ntargets,
		    err) != 0 ||
		    denai_node_attr_string(n, "aggregate_function", "SUM",
		    &agg, err) != 0)
			goto out;
		if (s->ntargets < 1 || s->ntargets > 1 << 20) {
			denai_node_fail(n, err, DENAI_EDATA,
			    "bad n_targets %lld", (long long)s->ntargets);
			goto out;
		}
		if (strcmp(agg, "SUM") == 0)
			s->agg = AGG_SUM;
		else if (strcmp(agg, "AVERAGE") == 0)
			s->agg = AGG_AVERAGE;
		else if (strcmp(agg, "MIN") == 0)
			s->agg = AGG_MIN;
		else if (strcmp(agg, "MAX") == 0)
			s->agg = AGG_MAX;
		else {
			denai_node_fail(n, err, DENAI_EUNSUP,
			    "unsupported aggregate_function %s", agg);
			goto out;
		}
	}
	if (build_classic(n, &c, s, err) != 0)
		goto out;
	denai_ml_tree_finish_flags(s);
	rc = 0;
out:
	free(c.val);
	free(c.wv);
	return rc;
}

int
denai_ml_treeclass_prepare(denai_node *n, denai_err *err)
{
	return classic_prepare(n, 1, err);
}

int
denai_ml_treereg_prepare(denai_node *n, denai_err *err)
{
	return classic_prepare(n, 0, err);
}
