/* fuzz_csv.c - the CSV reader: from memory and from a stream it gives the
 * same table or the same error; what it accepts has finite values and
 * texts that convert back to the same floats. Small caps, so that the
 * line, row and column limits are reached too. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "data/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct denai_csv *a, const struct denai_csv *b)
{
	if (a->rows != b->rows || a->cols != b->cols)
		abort();
	for (size_t i = 0; i < a->cols; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			abort();
	if (memcmp(a->x, b->x, a->rows * a->cols * sizeof(float)) != 0)
		abort();
	for (size_t i = 0; i < a->rows * a->cols; i++) {
		float v;

		if (!isfinite(a->x[i]))
			abort();
		/* Every number is a label of either kind, or says why not. */
		if (a->text != NULL) {
			denai_u256 t;
			denai_err e;
			char d[DENAI_U256_DEC_MAX];

			for (unsigned k = 0; k < 2; k++)
				if (denai_score_target(&t, (int)k, k * 18,
				    a->text[i], strlen(a->text[i]), &e) == 0)
					denai_int256_to_dec(d, &t);
				else if (e.code != DENAI_EDATA)
					abort();
		}
		if (a->text != NULL && (denai_csv_number(&v, a->text[i],
		    strlen(a->text[i]), NULL) != 0 ||
		    memcmp(&v, &a->x[i], sizeof(v)) != 0))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct denai_csv_limits small = { 4096, 64, 50, 8 };
	const struct denai_csv_limits *lims[2] = { NULL, &small };
	struct denai_csv a, b;
	denai_err ea, eb;

	for (int k = 0; k < 2; k++) {
		int ra, rb = -1;
		FILE *f;

		ra = denai_csv_parse(&a, &ea, (const char *)data, size, lims[k],
		    k == 0);
		if (size > 0 && (f = fmemopen((void *)data, size, "r")) != NULL) {
			rb = denai_csv_read_stream(&b, &eb, f, "the CSV",
			    lims[k], k == 0);
			fclose(f);
			if (ra != rb)
				abort();
			if (ra != 0 && size <= (k ? small.max_bytes : (size_t)1 << 26) &&
			    strcmp(ea.msg, eb.msg) != 0)
				abort();
			if (ra == 0)
				check(&a, &b);
			denai_csv_free(&b);
		}
		if (ra == 0)
			check(&a, &a);
		denai_csv_free(&a);
	}
	return 0;
}
