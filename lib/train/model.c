/*
 * train/model.c - the trained model's storage: adding a grown tree,
 * freeing. (The algorithms call this; train.c calls the algorithms.)
 */
#include "train/train_impl.h"

#include <stdlib.h>
#include <string.h>

void
denai_trained_free(denai_trained *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->ntrees; i++) {
		free(m->trees[i].nodes);
		free(m->trees[i].values);
	}
	free(m->trees);
	free(m->classes);
	free(m->edge);
	free(m->coef);
	free(m->icpt);
	free(m);
}

int
denai_tmodel_add_tree(denai_trained *m, const tgrow *g, int target, int nval,
    denai_err *err)
{
	ttree *t;

	if ((m->ntrees & (m->ntrees - 1)) == 0) {
		size_t cap = m->ntrees ? m->ntrees * 2 : 16;
		ttree *nt = realloc(m->trees, cap * sizeof(*nt));

		if (nt == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		m->trees = nt;
	}
	t = &m->trees[m->ntrees];
	memset(t, 0, sizeof(*t));
	t->nodes = malloc(g->nnodes * sizeof(*t->nodes));
	t->values = calloc(g->nleaves * (size_t)nval, sizeof(*t->values));
	if (t->nodes == NULL || t->values == NULL) {
		free(t->nodes);
		free(t->values);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	memcpy(t->nodes, g->nodes, g->nnodes * sizeof(*t->nodes));
	t->nnodes = g->nnodes;
	t->nleaves = g->nleaves;
	t->target = target;
	m->ntrees++;
	return 0;
}
