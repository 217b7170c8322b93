/* test_rlp_cast.c - RLP against cast: 1,000 random nested structures
 * encoded by us and by `cast to-rlp` (40 to a call, as the elements of one
 * list), our encodings decoded by `cast from-rlp` back to the structures,
 * and 120 mutated encodings accepted or refused by both. cast ignores bytes
 * after the first item; we refuse them, and that is the one difference
 * allowed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "../diff/cast.h"
#include "eth/hex.h"
#include "eth/rlp.h"

#define N 1000
#define PER 40
#define NMUT 120

static json_t *
rnd_item(int depth)
{
	size_t r = rndn(100), len;
	char *h;
	json_t *j;

	if (depth < 4 && r < 25) {
		size_t n = rndn(depth == 0 ? 8 : 5);

		j = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(j, rnd_item(depth + 1));
		return j;
	}
	r = rndn(100);
	len = r < 15 ? 0 : r < 45 ? 1 : r < 75 ? 2 + rndn(54) :
	    r < 90 ? 54 + rndn(4) : 56 + rndn(250);
	h = rnd_hex(len, NULL);
	if (len == 1 && rndn(2))	/* half of single bytes below 0x80 */
		h[2] = "01234567"[rndn(8)];
	j = json_string(h);
	free(h);
	return j;
}

static uint8_t *
encode(const json_t *v, size_t *n)
{
	denai_rlp_buf b;
	uint8_t *out;
	denai_err err;

	denai_rlp_buf_init(&b);
	if (denai_rlp_put_json(&b, v, &err) != 0 ||
	    denai_rlp_buf_finish(&b, &out, n, &err) != 0) {
		diag("encode: %s", err.msg);
		denai_rlp_buf_free(&b);
		return NULL;
	}
	return out;
}

/* Loads cast's JSON output. */
static json_t *
load(const char *s)
{
	return json_loads(s, JSON_DECODE_ANY, NULL);
}

int
main(void)
{
	struct cast_batch b = { 0 };
	json_t *batch[N / PER];
	size_t i_to[N / PER], i_from[N / PER], i_mut[NMUT];
	char *ours_to[N / PER], *mut[NMUT];
	size_t bad_to = 0, bad_from = 0, bad_mut = 0, n, lenient = 0;
	uint8_t *enc;

	cast_init(20261127);
	for (size_t c = 0; c < N / PER; c++) {
		char *js;

		batch[c] = json_array();
		for (size_t i = 0; i < PER; i++)
			json_array_append_new(batch[c], rnd_item(1));
		js = json_dumps(batch[c], JSON_COMPACT);
		enc = encode(batch[c], &n);
		ours_to[c] = enc ? denai_hex_dup(enc, n) : strdup("?");
		i_to[c] = cast_add(&b, "to-rlp", js, NULL);
		i_from[c] = cast_add(&b, "from-rlp", ours_to[c], NULL);
		free(js);
		free(enc);
	}
	for (size_t i = 0; i < NMUT; i++) {
		json_t *it = rnd_item(rndn(3));
		uint8_t *e = encode(it, &n), *m;
		size_t mn = n, k;

		if ((m = malloc(n + 2)) == NULL)
			abort();
		memcpy(m, e, n);
		k = rndn(n);
		switch (rndn(6)) {
		case 0: m[k] ^= (uint8_t)(1u << rndn(8)); break;
		case 1: m[k] = (uint8_t)rnd(); break;
		case 2: mn = k; break;				/* truncate */
		case 3: m[mn++] = (uint8_t)rnd(); break;	/* append */
		case 4: m[0] = (uint8_t)(m[0] + 1); break;
		case 5:	/* a long-form header for a short payload */
			if (n >= 2 && n < 57 && (m[0] >= 0xc0 || m[0] >= 0x80)) {
				memmove(m + 2, m + 1, n - 1);
				m[1] = (uint8_t)(n - 1);
				m[0] = m[0] >= 0xc0 ? 0xf8 : 0xb8;
				mn = n + 1;
			}
			break;
		}
		mut[i] = denai_hex_dup(m, mn);
		i_mut[i] = cast_add(&b, "from-rlp", mut[i], NULL);
		free(e);
		free(m);
		json_decref(it);
	}
	if (cast_run(&b) != 0)
		skip_all("cannot run cast");

	for (size_t c = 0; c < N / PER; c++) {
		json_t *back;

		if (b.rc[i_to[c]] != 0 || strcmp(b.out[i_to[c]], ours_to[c]) != 0)
			if (bad_to++ < 3)
				diag("batch %zu: cast to-rlp %.80s (rc %d), ours "
				    "%.80s", c, b.out[i_to[c]], b.rc[i_to[c]],
				    ours_to[c]);
		back = load(b.out[i_from[c]]);
		if (back == NULL || !json_equal(back, batch[c]))
			if (bad_from++ < 3)
				diag("batch %zu: cast from-rlp gives %.120s", c,
				    b.out[i_from[c]]);
		json_decref(back);
	}
	ok(bad_to == 0, "our encoding equals cast to-rlp for %d structures in "
	    "%d lists (%zu lists differ)", N, N / PER, bad_to);
	ok(bad_from == 0, "cast from-rlp decodes our encodings of %d "
	    "structures back to them (%zu lists differ)", N, bad_from);

	for (size_t i = 0; i < NMUT; i++) {
		uint8_t *in;
		size_t len = strlen(mut[i]);
		denai_err err;
		json_t *ours, *theirs;
		int cast_ok = b.rc[i_mut[i]] == 0 &&
		    strstr(b.errout[i_mut[i]], "Error") == NULL &&
		    b.out[i_mut[i]][0] != '\0';

		if ((in = malloc(len / 2 + 1)) == NULL ||
		    denai_hex_decode(in, len / 2 + 1, &n, mut[i], len, 0,
		    NULL) != 0)
			abort();
		ours = denai_rlp_to_json(in, n, &err);
		theirs = cast_ok ? load(b.out[i_mut[i]]) : NULL;
		if (ours != NULL && theirs != NULL && json_equal(ours, theirs))
			;
		else if (ours == NULL && !cast_ok)
			;
		else if (ours == NULL && cast_ok &&
		    strstr(err.msg, "trailing bytes") != NULL)
			lenient++;
		else if (bad_mut++ < 5)
			diag("%s: ours %s, cast %s%s", mut[i],
			    ours ? "accepts" : err.msg, cast_ok ? "accepts " :
			    "refuses ", cast_ok ? b.out[i_mut[i]] :
			    b.errout[i_mut[i]]);
		json_decref(ours);
		json_decref(theirs);
		free(in);
	}
	ok(bad_mut == 0, "%d mutated encodings: accepted (same value) or "
	    "refused as cast does (%zu differ; %zu with trailing bytes that "
	    "only we refuse)", NMUT, bad_mut, lenient);

	for (size_t c = 0; c < N / PER; c++) {
		json_decref(batch[c]);
		free(ours_to[c]);
	}
	for (size_t i = 0; i < NMUT; i++)
		free(mut[i]);
	cast_free(&b);
	return done_testing();
}
