/*
 * fuzz_serve_body.c - denai-serve's body readers: the JSON of POST
 * /api/tasks and POST /api/requests, and the CSV check of inline data
 * sets. The first byte picks the reader; none may crash, leak or read
 * past the length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	serve_task_in t;
	serve_request_in r;
	serve_bad bad;
	size_t rows, cols;
	char hdr[256];
	char *copy;

	if (size < 1)
		return 0;
	/* An exact-size copy, so ASan sees any read past the end. */
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		if (denai_serve_task_parse(&t, copy, size - 1, &bad) == 0) {
			if (t.train_csv != NULL)
				(void)denai_serve_csv_check(t.train_csv,
				    t.train_len, t.label, &rows, &cols, hdr,
				    sizeof(hdr), &bad);
			denai_serve_task_in_free(&t);
		}
		break;
	case 1:
		if (denai_serve_request_parse(&r, copy, size - 1, &bad) == 0)
			denai_serve_request_in_free(&r);
		break;
	default:
		(void)denai_serve_csv_check(copy, size - 1, "y", &rows, &cols,
		    hdr, sizeof(hdr), &bad);
	}
	free(copy);
	return 0;
}
