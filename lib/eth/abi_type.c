/* abi_type.c - parsing and printing ABI types. */
#include "eth/abi.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi_priv.h"

/* The largest head a static type may take (bytes). */
#define HEAD_MAX ((size_t)1 << 24)

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	denai_err *err;
};

static int
fail(struct parser *ps, const char *what)
{
	return denai_err_set(ps->err, DENAI_EDATA,
	    "abi: type \"%.*s\": %s at position %zu",
	    ps->len > 120 ? 120 : (int)ps->len, ps->s, what, ps->pos);
}

static void
skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len && isspace((unsigned char)ps->s[ps->pos]))
		ps->pos++;
}

static int
peek(struct parser *ps)
{
	skip_ws(ps);
	return ps->pos < ps->len ? (unsigned char)ps->s[ps->pos] : -1;
}

static int
is_ident(int c, int first)
{
	return isalpha(c) || c == '_' || c == '$' || (!first && isdigit(c));
}

/* Reads an identifier; *n is its length (0 if none). */
static const char *
ident(struct parser *ps, size_t *n)
{
	size_t start;

	skip_ws(ps);
	start = ps->pos;
	if (ps->pos < ps->len && is_ident((unsigned char)ps->s[ps->pos], 1))
		while (ps->pos < ps->len &&
		    is_ident((unsigned char)ps->s[ps->pos], 0))
			ps->pos++;
	*n = ps->pos - start;
	return ps->s + start;
}

void
denai_abi_type_free(denai_abi_type *t)
{
	if (t == NULL)
		return;
	denai_abi_type_free(t->elem);
	for (size_t i = 0; i < t->nfields; i++)
		denai_abi_type_free(t->fields[i]);
	free(t->fields);
	free(t->name);
	free(t);
}

int
denai_abi_type_is_dynamic(const denai_abi_type *t)
{
	switch (t->kind) {
	case DENAI_ABI_BYTES:
	case DENAI_ABI_STRING:
	case DENAI_ABI_ARRAY:
		return 1;
	case DENAI_ABI_FARRAY:
		return denai_abi_type_is_dynamic(t->elem);
	case DENAI_ABI_TUPLE:
		for (size_t i = 0; i < t->nfields; i++)
			if (denai_abi_type_is_dynamic(t->fields[i]))
				return 1;
		return 0;
	default:
		return 0;
	}
}

size_t
denai_abi_type_head_size(const denai_abi_type *t)
{
	size_t n = 0;

	if (denai_abi_type_is_dynamic(t))
		return 32;
	switch (t->kind) {
	case DENAI_ABI_FARRAY:
		return t->size * denai_abi_type_head_size(t->elem);
	case DENAI_ABI_TUPLE:
		for (size_t i = 0; i < t->nfields; i++)
			n += denai_abi_type_head_size(t->fields[i]);
		return n;
	default:
		return 32;
	}
}

static denai_abi_type *
new_type(int kind)
{
	denai_abi_type *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->kind = kind;
	return t;
}

static int
parse_num(const char *p, size_t n, size_t max, size_t *v)
{
	size_t x = 0;

	if (n == 0 || (p[0] == '0' && n > 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		x = x * 10 + (size_t)(p[i] - '0');
		if (x > max)
			return -1;
	}
	*v = x;
	return 0;
}

static denai_abi_type *parse_type(struct parser *ps);

/* Parses "(" params ")" into a tuple; a parameter may have a data
 * location, "indexed" and a name after its type. */
static denai_abi_type *
parse_tuple(struct parser *ps)
{
	denai_abi_type *t, *f, **nf;
	const char *w;
	size_t n;

	if (peek(ps) != '(') {
		fail(ps, "expected '('");
		return NULL;
	}
	ps->pos++;
	if ((t = new_type(DENAI_ABI_TUPLE)) == NULL)
		goto nomem;
	if (peek(ps) == ')') {
		ps->pos++;
		return t;
	}
	for (;;) {
		if ((f = parse_type(ps)) == NULL)
			goto bad;
		nf = realloc(t->fields, (t->nfields + 1) * sizeof(*nf));
		if (nf == NULL) {
			denai_abi_type_free(f);
			goto nomem;
		}
		t->fields = nf;
		t->fields[t->nfields++] = f;
		/* Optional location, "indexed" and a name. */
		for (;;) {
			w = ident(ps, &n);
			if (n == 0)
				break;
			if (n == 7 && memcmp(w, "indexed", 7) == 0)
				f->indexed = 1;
			else if ((n == 6 && memcmp(w, "memory", 6) == 0) ||
			    (n == 8 && memcmp(w, "calldata", 8) == 0) ||
			    (n == 7 && memcmp(w, "storage", 7) == 0))
				continue;
			else if (f->name == NULL) {
				if ((f->name = strndup(w, n)) == NULL)
					goto nomem;
			} else {
				ps->pos -= n;
				fail(ps, "unexpected word");
				goto bad;
			}
		}
		switch (peek(ps)) {
		case ',':
			ps->pos++;
			continue;
		case ')':
			ps->pos++;
			return t;
		default:
			fail(ps, "expected ',' or ')'");
			goto bad;
		}
	}
nomem:
	denai_err_set(ps->err, DENAI_ENOMEM, "abi: out of memory");
bad:
	denai_abi_type_free(t);
	return NULL;
}

static denai_abi_type *
parse_elementary(struct parser *ps)
{
	size_t n, v, start;
	const char *w;
	denai_abi_type *t = NULL;

	skip_ws(ps);
	start = ps->pos;
	w = ident(ps, &n);
	if (n == 0) {
		fail(ps, "expected a type");
		return NULL;
	}
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)
#define PFX(lit) (n > sizeof(lit) - 1 && memcmp(w, lit, sizeof(lit) - 1) == 0)
	if (IS("tuple") && peek(ps) == '(')
		return parse_tuple(ps);
	if (IS("address"))
		t = new_type(DENAI_ABI_ADDRESS);
	else if (IS("bool"))
		t = new_type(DENAI_ABI_BOOL);
	else if (IS("string"))
		t = new_type(DENAI_ABI_STRING);
	else if (IS("bytes"))
		t = new_type(DENAI_ABI_BYTES);
	else if (IS("uint") || IS("int")) {
		if ((t = new_type(w[0] == 'u' ? DENAI_ABI_UINT :
		    DENAI_ABI_INT)) != NULL)
			t->bits = 256;
	} else if (PFX("bytes")) {
		if (parse_num(w + 5, n - 5, 32, &v) != 0 || v == 0)
			goto unknown;
		if ((t = new_type(DENAI_ABI_FBYTES)) != NULL)
			t->size = v;
	} else if (PFX("uint") || PFX("int")) {
		size_t k = w[0] == 'u' ? 4 : 3;

		if (parse_num(w + k, n - k, 256, &v) != 0 || v == 0 ||
		    v % 8 != 0)
			goto unknown;
		if ((t = new_type(k == 4 ? DENAI_ABI_UINT :
		    DENAI_ABI_INT)) != NULL)
			t->bits = (unsigned)v;
	} else if (IS("function") || PFX("fixed") || PFX("ufixed")) {
		ps->pos = start;
		denai_err_set(ps->err, DENAI_EUNSUP,
		    "abi: type \"%.*s\": %.*s is not supported",
		    ps->len > 120 ? 120 : (int)ps->len, ps->s, (int)n, w);
		return NULL;
	} else
		goto unknown;
#undef IS
#undef PFX
	if (t == NULL)
		denai_err_set(ps->err, DENAI_ENOMEM, "abi: out of memory");
	return t;
unknown:
	ps->pos = start;
	fail(ps, "unknown type");
	return NULL;
}

static denai_abi_type *parse_type1(struct parser *ps);

/* Parses a type, counting its nesting for the depth limit. */
static denai_abi_type *
parse_type(struct parser *ps)
{
	int depth = ps->depth;
	denai_abi_type *t = parse_type1(ps);

	ps->depth = depth;
	return t;
}

static denai_abi_type *
parse_type1(struct parser *ps)
{
	denai_abi_type *t, *a;
	size_t start, v;

	if (++ps->depth > DENAI_ABI_MAX_DEPTH) {
		fail(ps, "types nested too deep");
		return NULL;
	}
	t = peek(ps) == '(' ? parse_tuple(ps) : parse_elementary(ps);
	if (t != NULL && t->kind == DENAI_ABI_TUPLE && t->nfields == 0) {
		ps->pos--;
		fail(ps, "empty tuple");
		goto bad;
	}
	while (t != NULL && peek(ps) == '[') {
		if (++ps->depth > DENAI_ABI_MAX_DEPTH) {
			fail(ps, "types nested too deep");
			goto bad;
		}
		ps->pos++;
		skip_ws(ps);
		start = ps->pos;
		while (ps->pos < ps->len && isdigit((unsigned char)ps->s[ps->pos]))
			ps->pos++;
		if ((a = new_type(ps->pos == start ? DENAI_ABI_ARRAY :
		    DENAI_ABI_FARRAY)) == NULL) {
			denai_err_set(ps->err, DENAI_ENOMEM,
			    "abi: out of memory");
			goto bad;
		}
		a->elem = t;
		t = a;
		if (ps->pos != start) {
			if (parse_num(ps->s + start, ps->pos - start,
			    HEAD_MAX, &v) != 0 || v == 0) {
				ps->pos = start;
				fail(ps, "bad array length");
				goto bad;
			}
			t->size = v;
			if (!denai_abi_type_is_dynamic(t->elem) &&
			    denai_abi_type_head_size(t->elem) > HEAD_MAX / v) {
				ps->pos = start;
				fail(ps, "fixed array too large");
				goto bad;
			}
		}
		if (peek(ps) != ']') {
			fail(ps, "expected ']'");
			goto bad;
		}
		ps->pos++;
	}
	if (t != NULL && t->kind == DENAI_ABI_TUPLE &&
	    denai_abi_type_head_size(t) > HEAD_MAX) {
		fail(ps, "tuple too large");
		goto bad;
	}
	return t;
bad:
	denai_abi_type_free(t);
	return NULL;
}

denai_abi_type *
denai_abi_type_parse(const char *s, size_t len, denai_err *err)
{
	struct parser ps = { s, len, 0, 0, err };
	denai_abi_type *t;

	if ((t = parse_type(&ps)) == NULL)
		return NULL;
	if (peek(&ps) != -1) {
		fail(&ps, "unexpected character");
		denai_abi_type_free(t);
		return NULL;
	}
	return t;
}

/* Appends the canonical form of t to b. */
static void
canon(struct denai_abi_sbuf *b, const denai_abi_type *t)
{
	char num[32];

	switch (t->kind) {
	case DENAI_ABI_UINT:
	case DENAI_ABI_INT:
		snprintf(num, sizeof(num), "%sint%u",
		    t->kind == DENAI_ABI_UINT ? "u" : "", t->bits);
		denai_abi_sbuf_puts(b, num);
		break;
	case DENAI_ABI_ADDRESS:
		denai_abi_sbuf_puts(b, "address");
		break;
	case DENAI_ABI_BOOL:
		denai_abi_sbuf_puts(b, "bool");
		break;
	case DENAI_ABI_FBYTES:
		snprintf(num, sizeof(num), "bytes%zu", t->size);
		denai_abi_sbuf_puts(b, num);
		break;
	case DENAI_ABI_BYTES:
		denai_abi_sbuf_puts(b, "bytes");
		break;
	case DENAI_ABI_STRING:
		denai_abi_sbuf_puts(b, "string");
		break;
	case DENAI_ABI_ARRAY:
		canon(b, t->elem);
		denai_abi_sbuf_puts(b, "[]");
		break;
	case DENAI_ABI_FARRAY:
		canon(b, t->elem);
		snprintf(num, sizeof(num), "[%zu]", t->size);
		denai_abi_sbuf_puts(b, num);
		break;
	case DENAI_ABI_TUPLE:
		denai_abi_sbuf_puts(b, "(");
		for (size_t i = 0; i < t->nfields; i++) {
			if (i > 0)
				denai_abi_sbuf_puts(b, ",");
			canon(b, t->fields[i]);
		}
		denai_abi_sbuf_puts(b, ")");
		break;
	}
}

char *
denai_abi_type_canonical(const denai_abi_type *t)
{
	struct denai_abi_sbuf b = { 0 };

	canon(&b, t);
	return denai_abi_sbuf_take(&b);
}

void
denai_abi_sig_free(denai_abi_sig *sig)
{
	if (sig == NULL)
		return;
	free(sig->name);
	denai_abi_type_free(sig->inputs);
	denai_abi_type_free(sig->outputs);
	free(sig->canonical);
	free(sig);
}

denai_abi_sig *
denai_abi_sig_parse(const char *s, denai_err *err)
{
	struct parser ps = { s, strlen(s), 0, 0, err };
	denai_abi_sig *sig;
	const char *w;
	size_t n;
	char *c;

	if ((sig = calloc(1, sizeof(*sig))) == NULL)
		goto nomem;
	w = ident(&ps, &n);
	if ((n == 8 && memcmp(w, "function", 8) == 0) ||
	    (n == 5 && memcmp(w, "event", 5) == 0) ||
	    (n == 5 && memcmp(w, "error", 5) == 0)) {
		if (peek(&ps) != '(')
			w = ident(&ps, &n);
	}
	if (n == 0) {
		fail(&ps, "expected a name");
		goto bad;
	}
	if ((sig->name = strndup(w, n)) == NULL)
		goto nomem;
	if ((sig->inputs = parse_tuple(&ps)) == NULL)
		goto bad;
	w = ident(&ps, &n);
	if (n == 7 && memcmp(w, "returns", 7) == 0)
		skip_ws(&ps);
	else
		ps.pos -= n;
	if (peek(&ps) == '(' && (sig->outputs = parse_tuple(&ps)) == NULL)
		goto bad;
	if (peek(&ps) != -1) {
		fail(&ps, "unexpected character");
		goto bad;
	}
	if ((c = denai_abi_type_canonical(sig->inputs)) == NULL)
		goto nomem;
	if ((sig->canonical = malloc(strlen(sig->name) + strlen(c) + 1)) ==
	    NULL) {
		free(c);
		goto nomem;
	}
	strcpy(sig->canonical, sig->name);
	strcat(sig->canonical, c);
	free(c);
	return sig;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "abi: out of memory");
bad:
	denai_abi_sig_free(sig);
	return NULL;
}

void
denai_abi_selector(uint8_t out[4], const denai_abi_sig *sig)
{
	uint8_t h[32];

	denai_keccak256(h, sig->canonical, strlen(sig->canonical));
	memcpy(out, h, 4);
}

void
denai_abi_topic0(uint8_t out[32], const denai_abi_sig *sig)
{
	denai_keccak256(out, sig->canonical, strlen(sig->canonical));
}
