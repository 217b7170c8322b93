/* data.c (task) - header checks of a task's CSVs; only-hash CIDs. */
#include "task/data.h"

#include <string.h>

#include "data/csv.h"
#include "ipfs/unixfs.h"

/* Reads one CSV with the platform's reader (data/csv.h). */
static int
parse(struct denai_csv *c, const uint8_t *p, size_t n, const char *what,
    denai_err *err)
{
	if (denai_csv_parse(c, err, (const char *)p, n, NULL, 1) != 0)
		return denai_err_prefix(err, "%s", what);
	return 0;
}

/* An integer in the label column (classification labels are int64). */
static int
integer_text(const char *s)
{
	return strpbrk(s, ".eE") == NULL;
}

int
denai_task_csv_check(const uint8_t *train, size_t ntrain,
    const uint8_t *test, size_t ntest, const char *label, int integer_labels,
    size_t *cols, denai_err *err)
{
	struct denai_csv a = { 0 }, b = { 0 };
	const struct denai_csv *cs[2] = { &a, &b };
	static const char *const what[2] = { "train", "test" };
	int li, rc = -1;

	if (parse(&a, train, ntrain, "train", err) != 0 ||
	    parse(&b, test, ntest, "test", err) != 0)
		goto out;
	if ((li = denai_csv_column(&a, label)) < 0) {
		denai_err_set(err, DENAI_EDATA, "train: no label column \"%s\" "
		    "in the header", label);
		goto out;
	}
	if (a.cols < 2) {
		denai_err_set(err, DENAI_EDATA, "train: the label is the only "
		    "column");
		goto out;
	}
	if (a.cols != b.cols) {
		denai_err_set(err, DENAI_EDATA, "test: its header differs from "
		    "the training set's");
		goto out;
	}
	for (size_t i = 0; i < a.cols; i++)
		if (strcmp(a.names[i], b.names[i]) != 0) {
			denai_err_set(err, DENAI_EDATA, "test: its header differs "
			    "from the training set's");
			goto out;
		}
	for (int f = 0; f < 2 && integer_labels; f++)
		for (size_t r = 0; r < cs[f]->rows; r++)
			if (!integer_text(cs[f]->text[r * cs[f]->cols +
			    (size_t)li])) {
				denai_err_set(err, DENAI_EDATA, "%s: row %zu: "
				    "the label \"%s\" is not an integer (a "
				    "classification task)", what[f], r + 1,
				    cs[f]->text[r * cs[f]->cols + (size_t)li]);
				goto out;
			}
	if (cols != NULL)
		*cols = a.cols;
	rc = 0;
out:
	denai_csv_free(&a);
	denai_csv_free(&b);
	return rc;
}

static int
drop(void *ctx, const denai_cid *cid, const uint8_t *block, size_t len,
    denai_err *err)
{
	(void)ctx; (void)cid; (void)block; (void)len; (void)err;
	return 0;
}

int
denai_task_cid_only(denai_cid *cid, const uint8_t *p, size_t n,
    denai_err *err)
{
	denai_unixfs_builder *b = denai_unixfs_builder_new(1, 1, drop, NULL,
	    err);
	int rc;

	if (b == NULL)
		return -1;
	rc = denai_unixfs_builder_write(b, p, n, err) != 0 ||
	    denai_unixfs_builder_finish(b, cid, NULL, err) != 0 ? -1 : 0;
	denai_unixfs_builder_free(b);
	return rc;
}
