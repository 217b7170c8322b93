/* data.c (task) - header checks of a task's CSVs; only-hash CIDs. */
#include "task/data.h"

#include <string.h>

#include "ipfs/unixfs.h"

#define NAME_MAX_LEN 255
#define COLS_MAX 1024

/* The header line of a CSV (without its line end). */
static int
header(const uint8_t *p, size_t n, const char *what, const char **h,
    size_t *hl, denai_err *err)
{
	const uint8_t *nl;

	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return denai_err_set(err, DENAI_EDATA, "%s: starts with a "
		    "byte order mark (save it as UTF-8 without BOM)", what);
	if ((nl = memchr(p, '\n', n)) == NULL)
		return denai_err_set(err, DENAI_EDATA, "%s: no data rows after "
		    "the header", what);
	*h = (const char *)p;
	*hl = (size_t)(nl - p);
	if (*hl > 0 && (*h)[*hl - 1] == '\r')
		(*hl)--;
	/* At least one non-empty row after the header. */
	for (const uint8_t *q = nl + 1; q < p + n; q++)
		if (*q != '\n' && *q != '\r')
			return 0;
	return denai_err_set(err, DENAI_EDATA, "%s: a header only, no data "
	    "rows", what);
}

int
denai_task_csv_check(const uint8_t *train, size_t ntrain,
    const uint8_t *test, size_t ntest, const char *label, size_t *cols,
    denai_err *err)
{
	const char *h, *h2, *names[COLS_MAX];
	size_t hl, hl2, lens[COLS_MAX], nc = 0, start = 0;
	int has_label = 0;

	if (header(train, ntrain, "train", &h, &hl, err) != 0 ||
	    header(test, ntest, "test", &h2, &hl2, err) != 0)
		return -1;
	for (size_t i = 0; i <= hl; i++) {
		if (i < hl && h[i] != ',')
			continue;
		if (nc == COLS_MAX)
			return denai_err_set(err, DENAI_EDATA, "train: over %d "
			    "columns", COLS_MAX);
		names[nc] = h + start;
		lens[nc] = i - start;
		if (lens[nc] == 0 || lens[nc] > NAME_MAX_LEN)
			return denai_err_set(err, DENAI_EDATA, "train: header "
			    "column %zu: %s name", nc + 1, lens[nc] ? "too long a"
			    : "an empty");
		if (memchr(names[nc], '"', lens[nc]) != NULL)
			return denai_err_set(err, DENAI_EDATA, "train: header "
			    "column %zu: quotes are not allowed", nc + 1);
		for (size_t j = 0; j < nc; j++)
			if (lens[j] == lens[nc] && memcmp(names[j], names[nc],
			    lens[nc]) == 0)
				return denai_err_set(err, DENAI_EDATA, "train: "
				    "header column %zu: \"%.*s\" appears twice",
				    nc + 1, (int)lens[nc], names[nc]);
		if (strlen(label) == lens[nc] && memcmp(label, names[nc],
		    lens[nc]) == 0)
			has_label = 1;
		nc++;
		start = i + 1;
	}
	if (!has_label)
		return denai_err_set(err, DENAI_EDATA, "train: no label column "
		    "\"%s\" in the header", label);
	if (nc < 2)
		return denai_err_set(err, DENAI_EDATA, "train: the label is the "
		    "only column");
	if (hl != hl2 || memcmp(h, h2, hl) != 0)
		return denai_err_set(err, DENAI_EDATA, "test: its header differs "
		    "from the training set's");
	if (cols != NULL)
		*cols = nc;
	return 0;
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
