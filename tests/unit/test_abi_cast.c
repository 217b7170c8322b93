/* test_abi_cast.c - the ABI against cast. 50 random parameter lists of 20
 * random types each (1,000 random type/value cases: all uint/int widths,
 * address, bool, bytesN, bytes, string, T[], T[k], nested tuples), each
 *   encoded by us and by `cast abi-encode`,
 *   made into calldata by us and by `cast calldata` (random names),
 *   decoded from our encoding by `cast abi-decode --json` and by us;
 * and selectors and event topics of 150 random signatures each, spelled
 * loosely (uint, int, parameter names, indexed, spaces), against `cast sig`
 * and `cast sig-event`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../tap.h"
#include "../diff/cast.h"
#include "eth/abi.h"
#include "eth/hex.h"
#include "eth/u256.h"

#define NSETS 50
#define PER 20
#define NSIG 150

/* A growable string. */
struct str {
	char *p;
	size_t len, cap;
};

static void
sputs(struct str *s, const char *t)
{
	size_t n = strlen(t);

	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		if ((s->p = realloc(s->p, s->cap)) == NULL)
			abort();
	}
	memcpy(s->p + s->len, t, n + 1);
	s->len += n;
}

/* Appends a random type: canonical form to canon, a loose spelling (uint
 * for uint256, spaces) to loose. */
static void
rnd_type(struct str *canon, struct str *loose, int depth)
{
	char b[32];
	size_t r = rndn(100);

	if (depth < 3 && r < 12) {		/* tuple */
		size_t n = 1 + rndn(3);

		sputs(canon, "(");
		sputs(loose, "(");
		for (size_t i = 0; i < n; i++) {
			if (i > 0) {
				sputs(canon, ",");
				sputs(loose, rndn(2) ? ", " : ",");
			}
			rnd_type(canon, loose, depth + 1);
		}
		sputs(canon, ")");
		sputs(loose, ")");
	} else {
		switch (rndn(7)) {
		case 0:
		case 1: {
			unsigned bits = 8 * (unsigned)(1 + rndn(32));
			const char *u = rndn(2) ? "u" : "";

			snprintf(b, sizeof(b), "%sint%u", u, bits);
			sputs(canon, b);
			if (bits == 256 && rndn(2))
				snprintf(b, sizeof(b), "%sint", u);
			sputs(loose, b);
			break;
		}
		case 2: sputs(canon, "address"); sputs(loose, "address"); break;
		case 3: sputs(canon, "bool"); sputs(loose, "bool"); break;
		case 4:
			snprintf(b, sizeof(b), "bytes%u", (unsigned)(1 + rndn(32)));
			sputs(canon, b);
			sputs(loose, b);
			break;
		case 5: sputs(canon, "bytes"); sputs(loose, "bytes"); break;
		case 6: sputs(canon, "string"); sputs(loose, "string"); break;
		}
	}
	r = rndn(100);
	if (depth < 3 && r < 12) {
		sputs(canon, "[]");
		sputs(loose, "[]");
	} else if (depth < 3 && r < 22) {
		snprintf(b, sizeof(b), "[%u]", (unsigned)(1 + rndn(3)));
		sputs(canon, b);
		sputs(loose, b);
	}
}

static const char *const chars[] = {
	"a", "b", "z", "Q", "0", "7", "_", "\xc3\xa9", "\xe6\x97\xa5",
	"\xf0\x9f\x98\x80",
};

/*
 * A random value of type t, as our JSON and as cast's argument text
 * (top: not inside an array or tuple, where strings go bare).
 */
static json_t *
rnd_value(const denai_abi_type *t, struct str *arg, int top)
{
	json_t *j;
	char *h;

	switch (t->kind) {
	case DENAI_ABI_UINT:
	case DENAI_ABI_INT: {
		denai_u256 v;
		unsigned bits = t->bits - (t->kind == DENAI_ABI_INT);
		char d[DENAI_U256_DEC_MAX + 1];
		size_t r = rndn(10);
		int neg = t->kind == DENAI_ABI_INT && rndn(2);

		for (int k = 0; k < 4; k++)
			v.w[k] = rnd();
		if (r < 5)	/* a random width below the type's */
			bits = (unsigned)rndn(bits + 1);
		for (int k = 0; k < 4; k++) {
			unsigned lo = 64 * (unsigned)k;

			if (bits <= lo)
				v.w[k] = 0;
			else if (bits < lo + 64)
				v.w[k] &= ((uint64_t)1 << (bits - lo)) - 1;
		}
		if (r == 9 && neg) {	/* the minimum, -2^(bits) */
			denai_u256_from_u64(&v, 0);
			v.w[bits / 64] = (uint64_t)1 << (bits % 64);
		}
		d[0] = '-';
		denai_u256_to_dec(d + 1, &v);
		if (strcmp(d + 1, "0") == 0)
			neg = 0;
		sputs(arg, neg ? d : d + 1);
		return json_string(neg ? d : d + 1);
	}
	case DENAI_ABI_ADDRESS:
		h = rnd_hex(20, NULL);
		break;
	case DENAI_ABI_BOOL:
		j = json_boolean(rndn(2));
		sputs(arg, json_is_true(j) ? "true" : "false");
		return j;
	case DENAI_ABI_FBYTES:
		h = rnd_hex(t->size, NULL);
		break;
	case DENAI_ABI_BYTES:
		h = rnd_hex(rndn(4) ? rndn(40) : rndn(100), NULL);
		break;
	case DENAI_ABI_STRING: {
		struct str s = { 0 };
		size_t n = rndn(5) ? rndn(12) : rndn(70);

		sputs(&s, "");
		for (size_t i = 0; i < n; i++)
			sputs(&s, chars[rndn(sizeof(chars) / sizeof(chars[0]))]);
		/* Bare at the top (cast reads a leading quote as quoting). */
		if (!top || s.len == 0)
			sputs(arg, "\"");
		sputs(arg, s.p);
		if (!top || s.len == 0)
			sputs(arg, "\"");
		if (top && s.len == 0)	/* "" at the top: cast's empty */
			arg->len -= 2, arg->p[arg->len] = '\0';
		j = json_string(s.p);
		free(s.p);
		return j;
	}
	case DENAI_ABI_ARRAY:
	case DENAI_ABI_FARRAY:
	case DENAI_ABI_TUPLE: {
		size_t n = t->kind == DENAI_ABI_ARRAY ? rndn(4) :
		    t->kind == DENAI_ABI_FARRAY ? t->size : t->nfields;

		j = json_array();
		sputs(arg, t->kind == DENAI_ABI_TUPLE ? "(" : "[");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				sputs(arg, ",");
			json_array_append_new(j, rnd_value(t->kind ==
			    DENAI_ABI_TUPLE ? t->fields[i] : t->elem, arg, 0));
		}
		sputs(arg, t->kind == DENAI_ABI_TUPLE ? ")" : "]");
		return j;
	}
	default:
		abort();
	}
	sputs(arg, h);
	j = json_string(h);
	free(h);
	return j;
}

/* Compares cast's decoded JSON (numbers quoted) with ours for type t. */
static int
same_value(const denai_abi_type *t, const json_t *c, const json_t *o)
{
	switch (t->kind) {
	case DENAI_ABI_BOOL:
		return json_equal(c, o);
	case DENAI_ABI_ADDRESS:
		return json_is_string(c) && json_is_string(o) &&
		    strcasecmp(json_string_value(c), json_string_value(o)) == 0;
	case DENAI_ABI_ARRAY:
	case DENAI_ABI_FARRAY:
	case DENAI_ABI_TUPLE:
		if (!json_is_array(c) || !json_is_array(o) ||
		    json_array_size(c) != json_array_size(o))
			return 0;
		for (size_t i = 0; i < json_array_size(c); i++)
			if (!same_value(t->kind == DENAI_ABI_TUPLE ?
			    t->fields[i] : t->elem, json_array_get(c, i),
			    json_array_get(o, i)))
				return 0;
		return 1;
	default:
		return json_is_string(c) && json_equal(c, o);
	}
}

int
main(void)
{
	struct cast_batch b = { 0 };
	denai_abi_type *types[NSETS];
	json_t *vals[NSETS];
	char *ours_enc[NSETS], *ours_cd[NSETS], *sigs[NSETS];
	size_t i_enc[NSETS], i_cd[NSETS], i_dec[NSETS], i_sig[NSIG],
	    i_ev[NSIG];
	char want_sig[NSIG][11], want_ev[NSIG][67];
	char *sig_text[NSIG], *ev_text[NSIG];
	size_t bad_enc = 0, bad_cd = 0, bad_dec = 0, bad_ours = 0, bad_sig = 0,
	    bad_ev = 0;
	denai_err err;

	cast_init(20261128);
	for (size_t s = 0; s < NSETS; s++) {
		struct str canon = { 0 }, loose = { 0 }, name = { 0 };
		const char *argv[PER + 6];
		struct str args[PER];
		char fname[32], *types_s, *decsig;
		uint8_t *out;
		size_t n, k = 0;
		denai_abi_sig *sig;

		sputs(&canon, "(");
		sputs(&loose, "(");
		for (size_t i = 0; i < PER; i++) {
			if (i > 0) {
				sputs(&canon, ",");
				sputs(&loose, ",");
			}
			rnd_type(&canon, &loose, 0);
		}
		sputs(&canon, ")");
		sputs(&loose, ")");
		types[s] = denai_abi_type_parse(loose.p, loose.len, &err);
		if (types[s] == NULL) {
			diag("%s: %s", loose.p, err.msg);
			abort();
		}
		vals[s] = json_array();
		for (size_t i = 0; i < PER; i++) {
			memset(&args[i], 0, sizeof(args[i]));
			sputs(&args[i], "");
			json_array_append_new(vals[s], rnd_value(
			    types[s]->fields[i], &args[i], 1));
		}
		if (denai_abi_encode(&out, &n, types[s], vals[s], &err) != 0) {
			diag("encode %s: %s", canon.p, err.msg);
			abort();
		}
		ours_enc[s] = denai_hex_dup(out, n);
		free(out);
		snprintf(fname, sizeof(fname), "fn%zu_%x", s, (unsigned)rndn(999));
		sputs(&name, fname);
		sputs(&name, loose.p);
		sigs[s] = strdup(name.p);
		if ((sig = denai_abi_sig_parse(name.p, &err)) == NULL ||
		    denai_abi_calldata(&out, &n, sig, vals[s], &err) != 0) {
			diag("calldata %s: %s", name.p, err.msg);
			abort();
		}
		ours_cd[s] = denai_hex_dup(out, n);
		free(out);
		denai_abi_sig_free(sig);

		types_s = loose.p;
		argv[k++] = "abi-encode";
		argv[k++] = "f";	/* replaced below */
		argv[k++] = "--";
		for (size_t i = 0; i < PER; i++)
			argv[k++] = args[i].p;
		argv[k] = NULL;
		{
			struct str f = { 0 };

			sputs(&f, "f");
			sputs(&f, types_s);
			argv[1] = f.p;
#define ADD(v) cast_add(&b, v[0], v[1], v[2], v[3], v[4], v[5], v[6], \
    v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], \
    v[17], v[18], v[19], v[20], v[21], v[22], NULL)
			i_enc[s] = ADD(argv);
			argv[0] = "calldata";
			argv[1] = sigs[s];
			i_cd[s] = ADD(argv);
			free(f.p);
		}
		decsig = malloc(strlen(types_s) + 4);
		sprintf(decsig, "f()%s", types_s);
		i_dec[s] = cast_add(&b, "abi-decode", "--json", decsig,
		    ours_enc[s], NULL);
		free(decsig);
		for (size_t i = 0; i < PER; i++)
			free(args[i].p);
		free(canon.p);
		free(loose.p);
		free(name.p);
	}

	/* Loose signatures: names, indexed, spaces. */
	for (size_t i = 0; i < 2 * NSIG; i++) {
		struct str canon = { 0 }, loose = { 0 };
		size_t n = rndn(6);
		int ev = i >= NSIG;
		char nm[32];
		denai_abi_sig *sig;

		snprintf(nm, sizeof(nm), "%s%zu", ev ? "Ev" : "fn", rnd() % 10000);
		sputs(&loose, nm);
		sputs(&loose, "(");
		sputs(&canon, "");
		for (size_t k = 0; k < n; k++) {
			if (k > 0)
				sputs(&loose, rndn(2) ? ", " : ",");
			rnd_type(&canon, &loose, 1);
			if (ev && rndn(3) == 0)
				sputs(&loose, " indexed");
			if (rndn(2)) {
				snprintf(nm, sizeof(nm), " p%zu", k);
				sputs(&loose, nm);
			}
		}
		sputs(&loose, ")");
		if ((sig = denai_abi_sig_parse(loose.p, &err)) == NULL) {
			diag("%s: %s", loose.p, err.msg);
			abort();
		}
		if (ev) {
			uint8_t t0[32];

			denai_abi_topic0(t0, sig);
			denai_hex_encode(want_ev[i - NSIG], t0, 32);
			ev_text[i - NSIG] = strdup(loose.p);
			i_ev[i - NSIG] = cast_add(&b, "sig-event", loose.p, NULL);
		} else {
			uint8_t sel[4];

			denai_abi_selector(sel, sig);
			denai_hex_encode(want_sig[i], sel, 4);
			sig_text[i] = strdup(loose.p);
			i_sig[i] = cast_add(&b, "sig", loose.p, NULL);
		}
		denai_abi_sig_free(sig);
		free(canon.p);
		free(loose.p);
	}

	if (cast_run(&b) != 0)
		skip_all("cannot run cast");

	for (size_t s = 0; s < NSETS; s++) {
		char *q;
		json_t *c, *o;
		uint8_t *in;
		size_t n, len = strlen(ours_enc[s]);

		if (strcmp(b.out[i_enc[s]], ours_enc[s]) != 0 && bad_enc++ < 3)
			diag("set %zu: cast abi-encode differs (rc %d: %.300s)",
			    s, b.rc[i_enc[s]], b.errout[i_enc[s]]);
		if (strcmp(b.out[i_cd[s]], ours_cd[s]) != 0 && bad_cd++ < 3)
			diag("set %zu: cast calldata differs (rc %d: %.300s)",
			    s, b.rc[i_cd[s]], b.errout[i_cd[s]]);
		q = cast_quote_numbers(b.out[i_dec[s]]);
		c = json_loads(q, 0, NULL);
		free(q);
		in = malloc(len / 2 + 1);
		if (denai_hex_decode(in, len / 2 + 1, &n, ours_enc[s], len, 0,
		    NULL) != 0)
			abort();
		o = denai_abi_decode(types[s], in, n, &err);
		if (o == NULL || !json_equal(o, vals[s]))
			if (bad_ours++ < 3)
				diag("set %zu: our decode: %s", s,
				    o ? "differs" : err.msg);
		if (c == NULL || o == NULL || !same_value(types[s], c, o))
			if (bad_dec++ < 3)
				diag("set %zu: cast abi-decode differs (rc %d: "
				    "%.300s)", s, b.rc[i_dec[s]],
				    b.errout[i_dec[s]]);
		json_decref(c);
		json_decref(o);
		free(in);
	}
	ok(bad_enc == 0, "abi_encode equals cast abi-encode: %d sets of %d "
	    "random values (%zu sets differ)", NSETS, PER, bad_enc);
	ok(bad_cd == 0, "abi_calldata equals cast calldata: %d sets of %d "
	    "(%zu differ)", NSETS, PER, bad_cd);
	ok(bad_ours == 0, "abi_decode gives back the %d x %d values "
	    "(%zu sets differ)", NSETS, PER, bad_ours);
	ok(bad_dec == 0, "abi_decode equals cast abi-decode on them "
	    "(%zu sets differ)", bad_dec);
	for (size_t i = 0; i < NSIG; i++) {
		if (strcmp(b.out[i_sig[i]], want_sig[i]) != 0 && bad_sig++ < 3)
			diag("cast sig '%s': %s (%.200s), ours %s", sig_text[i],
			    b.out[i_sig[i]], b.errout[i_sig[i]], want_sig[i]);
		if (strcmp(b.out[i_ev[i]], want_ev[i]) != 0 && bad_ev++ < 3)
			diag("cast sig-event '%s': %s (%.200s), ours %s",
			    ev_text[i], b.out[i_ev[i]], b.errout[i_ev[i]],
			    want_ev[i]);
		free(sig_text[i]);
		free(ev_text[i]);
	}
	ok(bad_sig == 0, "selectors equal cast sig for %d random signatures "
	    "(%zu differ)", NSIG, bad_sig);
	ok(bad_ev == 0, "event topics equal cast sig-event for %d random "
	    "events (%zu differ)", NSIG, bad_ev);

	for (size_t s = 0; s < NSETS; s++) {
		denai_abi_type_free(types[s]);
		json_decref(vals[s]);
		free(ours_enc[s]);
		free(ours_cd[s]);
		free(sigs[s]);
	}
	cast_free(&b);
	return done_testing();
}
