/* data/csv.c - the platform's CSV grammar, read with bounded memory. */
#include "data/csv.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct denai_csv_limits denai_csv_limits_v1 = {
	.max_bytes = (size_t)64 << 20,
	.max_line = (size_t)1 << 20,
	.max_rows = 1000000,
	.max_cols = 1024,
};

/* ---- numbers ---- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void
c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod in the C locale, whatever the program's locale is. */
static double
strtod_c(const char *s, char **end)
{
	pthread_once(&c_locale_once, c_locale_init);
	if (c_locale != (locale_t)0)
		return strtod_l(s, end, c_locale);
	return strtod(s, end);
}

/*
 * Clinger's fast path for a number already checked against the grammar:
 * with at most 15 digits the digits are an integer m < 2^53, exact in a
 * double, and with a decimal exponent e, |e| <= 22, so is 10^|e|; one
 * multiplication or division, correctly rounded, is then strtod's
 * correctly rounded result. Returns: 0 and *d, or -1 (use strtod).
 */
static int
fast_decimal(double *d, const char *s, size_t len)
{
	static const double p10[23] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	size_t i = 0;
	int neg = 0, digits = 0, e = 0, eneg = 0, ex = 0;
	uint64_t m = 0;
	double v;

	if (s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		m = m * 10 + (uint64_t)(s[i] - '0');
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++,
		    digits++, e--)
			m = m * 10 + (uint64_t)(s[i] - '0');
	if (digits > 15)
		return -1;
	if (i < len) {			/* e or E */
		i++;
		if (s[i] == '+' || s[i] == '-')
			eneg = s[i++] == '-';
		for (; i < len; i++) {
			ex = ex * 10 + (s[i] - '0');
			if (ex > 400)
				return -1;
		}
		e += eneg ? -ex : ex;
	}
	if (e < -22 || e > 22)
		return -1;
	v = (double)m;
	v = e < 0 ? v / p10[-e] : v * p10[e];
	*d = neg ? -v : v;
	return 0;
}

/*
 * Converts s (NUL-terminated, len bytes) as the JSON data-point path does.
 * Returns: 0 and *v, or -1 with *why (a static phrase).
 */
static int
number(float *v, const char *s, size_t len, const char **why)
{
	size_t i = 0;
	int neg = 0, is_int = 1;
	double d;
	float f;

	if (len == 0)
		return *why = "is empty", -1;
	if (memchr(s, '"', len) != NULL)
		return *why = "holds a quote (CSV quoting is not allowed)", -1;
	if (s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		goto bad;
	if (i < len && s[i] == '.') {
		is_int = 0;
		if (++i >= len || s[i] < '0' || s[i] > '9')
			goto bad;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			goto bad;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len)
		goto bad;
	if (is_int) {
		/* As Jansson: strtoll, and ERANGE is an error. */
		uint64_t m = 0, lim = neg ? (uint64_t)1 << 63 :
		    ((uint64_t)1 << 63) - 1;

		for (i = (size_t)neg; i < len; i++) {
			unsigned dg = (unsigned)(s[i] - '0');

			if (m > (lim - dg) / 10)
				return *why = "is an integer beyond int64 "
				    "(write it with an exponent)", -1;
			m = m * 10 + dg;
		}
		d = (double)(neg ? (m == (uint64_t)1 << 63 ? INT64_MIN :
		    -(int64_t)m) : (int64_t)m);
	} else if (fast_decimal(&d, s, len) != 0) {
		d = strtod_c(s, NULL);
		if (isinf(d))
			return *why = "is beyond float32 range", -1;
	}
	f = (float)d;
	if (isinf(f))
		return *why = "is beyond float32 range", -1;
	*v = f;
	return 0;
bad:
	return *why = "is not a number (JSON's number grammar)", -1;
}

int
denai_csv_number(float *v, const char *s, size_t len, denai_err *err)
{
	char small[128], *p = small;
	const char *why;
	int rc;

	if (len >= sizeof(small) && (p = malloc(len + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	memcpy(p, s, len);
	p[len] = '\0';
	rc = number(v, p, len, &why);
	if (p != small)
		free(p);
	if (rc != 0)
		return denai_err_set(err, DENAI_EDATA, "the field %s", why);
	return 0;
}

/* ---- lines ---- */

struct src {
	FILE *f;			/* or NULL: memory */
	const char *mem;
	size_t memlen, pos;
	char *buf;			/* stream: read buffer; memory: scratch */
	size_t cap, start, end;
	int eof;
	size_t total;			/* bytes read so far */
	unsigned long lineno;
	const struct denai_csv_limits *lim;
	const char *name;
};

/*
 * Hands out the next line, writable and NUL-terminated, without its LF
 * (a CR before the LF is kept: the caller strips it).
 * Returns: 1 and *line, *len; 0 at the end; -1 with err.
 */
static int
next_line(struct src *s, char **line, size_t *len, denai_err *err)
{
	size_t max = s->lim->max_line + 1;	/* a CR may end it */
	char *nl;

	if (s->f == NULL) {
		const char *p = s->mem + s->pos, *q;
		size_t n;

		if (s->pos >= s->memlen)
			return 0;
		q = memchr(p, '\n', s->memlen - s->pos);
		n = q != NULL ? (size_t)(q - p) : s->memlen - s->pos;
		s->lineno++;
		if (n > max)
			goto overlong;
		memcpy(s->buf, p, n);
		s->buf[n] = '\0';
		s->pos += n + (q != NULL);
		*line = s->buf;
		*len = n;
		return 1;
	}
	for (;;) {
		nl = memchr(s->buf + s->start, '\n', s->end - s->start);
		if (nl != NULL) {
			*line = s->buf + s->start;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			s->start += *len + 1;
			s->lineno++;
			if (*len > max)
				goto overlong;
			return 1;
		}
		if (s->end - s->start > max) {
			s->lineno++;
			goto overlong;
		}
		if (s->eof) {
			if (s->start == s->end)
				return 0;
			*line = s->buf + s->start;
			*len = s->end - s->start;
			s->buf[s->end] = '\0';
			s->start = s->end;
			s->lineno++;
			return 1;
		}
		if (s->start > 0) {
			memmove(s->buf, s->buf + s->start, s->end - s->start);
			s->end -= s->start;
			s->start = 0;
		}
		size_t got = fread(s->buf + s->end, 1, s->cap - 1 - s->end,
		    s->f);

		s->end += got;
		s->total += got;
		if (s->total > s->lim->max_bytes)
			return denai_err_set(err, DENAI_EDATA, "%s is larger "
			    "than %zu bytes", s->name, s->lim->max_bytes);
		if (got == 0) {
			if (ferror(s->f))
				return denai_err_set(err, DENAI_EIO, "cannot "
				    "read %s: %s", s->name, strerror(errno));
			s->eof = 1;
		}
	}
overlong:
	return denai_err_set(err, DENAI_EDATA, "%s: line %lu is longer than "
	    "%zu bytes", s->name, s->lineno, s->lim->max_line);
}

/* ---- the table ---- */

struct acc {
	float *x;
	size_t rows, caprows, cols;
	uint32_t *off;			/* rows * cols text offsets, or NULL */
	char *arena;
	size_t alen, acap;
};

/* Copies s for a message: printable ASCII, at most 32 bytes. */
static const char *
shown(char *buf, size_t n, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < n && i < 32; i++)
		buf[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (i < len && o + 4 < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (n - i <= k)
			return 0;
		for (unsigned j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
		    || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += k + 1;
	}
	return 1;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits the header line into out->names (one block). */
static int
header(struct denai_csv *out, struct src *s, char *line, size_t len,
    denai_err *err)
{
	size_t cols = 1, i, at = 0;
	char **sorted = NULL, *blk, sh[48];

	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		return denai_err_set(err, DENAI_EDATA, "%s starts with a "
		    "byte-order mark (refused: plain UTF-8 only)", s->name);
	if (len == 0)
		return denai_err_set(err, DENAI_EDATA, "%s: line 1 is empty, "
		    "not a header row", s->name);
	if (!utf8_ok((const unsigned char *)line, len))
		return denai_err_set(err, DENAI_EDATA, "%s: the header is not "
		    "valid UTF-8", s->name);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == ',')
			cols++;
		else if (c == '"')
			return denai_err_set(err, DENAI_EDATA, "%s: line 1, "
			    "column %zu: a quote (CSV quoting is not allowed)",
			    s->name, cols);
		else if (c < 0x20 || c == 0x7f)
			return denai_err_set(err, DENAI_EDATA, "%s: line 1, "
			    "column %zu: a control character in a column name",
			    s->name, cols);
	}
	if (cols > s->lim->max_cols)
		return denai_err_set(err, DENAI_EDATA, "%s has %zu columns, "
		    "more than %zu", s->name, cols, s->lim->max_cols);
	if ((blk = malloc(cols * sizeof(char *) + len + 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	out->names = (char **)(void *)blk;
	out->cols = cols;
	memcpy(blk + cols * sizeof(char *), line, len + 1);
	line = blk + cols * sizeof(char *);
	for (i = 0; i < cols; i++) {
		char *e = strchr(line + at, ',');

		out->names[i] = line + at;
		if (e != NULL)
			*e = '\0';
		if (out->names[i][0] == '\0')
			return denai_err_set(err, DENAI_EDATA, "%s: line 1, "
			    "column %zu has an empty name", s->name, i + 1);
		at += strlen(out->names[i]) + 1;
	}
	if ((sorted = malloc(cols * sizeof(char *))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	memcpy(sorted, out->names, cols * sizeof(char *));
	qsort(sorted, cols, sizeof(char *), cmp_name);
	for (i = 1; i < cols; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			denai_err_set(err, DENAI_EDATA, "%s: column name '%s' "
			    "appears twice in the header", s->name,
			    shown(sh, sizeof(sh), sorted[i], strlen(sorted[i])));
			free(sorted);
			return -1;
		}
	free(sorted);
	return 0;
}

static int
grow(struct acc *a, int keep_text, denai_err *err)
{
	size_t nc = a->caprows ? a->caprows * 2 : 256;
	void *p;

	if ((p = realloc(a->x, nc * a->cols * sizeof(float))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	a->x = p;
	if (keep_text) {
		if ((p = realloc(a->off, nc * a->cols * sizeof(uint32_t))) ==
		    NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		a->off = p;
	}
	a->caprows = nc;
	return 0;
}

static int
keep(struct acc *a, const char *f, size_t n, denai_err *err)
{
	if (a->alen + n + 1 > UINT32_MAX)
		return denai_err_set(err, DENAI_ENOMEM, "over 4 GiB of field "
		    "text");
	if (a->acap - a->alen < n + 1) {
		size_t nc = a->acap ? a->acap : 4096;
		char *p;

		while (nc - a->alen < n + 1)
			nc *= 2;
		if ((p = realloc(a->arena, nc)) == NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		a->arena = p;
		a->acap = nc;
	}
	memcpy(a->arena + a->alen, f, n + 1);
	return 0;
}

/* Parses one data row (line, NUL-terminated, CR stripped) into a. */
static int
row(struct acc *a, struct denai_csv *out, struct src *s, char *line,
    size_t len, int keep_text, denai_err *err)
{
	size_t r = a->rows, c, nf = 1;
	char *p = line, *end = line + len, sh[48], nm[48];
	const char *why;

	if (len == 0)
		return denai_err_set(err, DENAI_EDATA, "%s: line %lu (row %zu) "
		    "is empty", s->name, s->lineno, r + 1);
	if (r >= s->lim->max_rows)
		return denai_err_set(err, DENAI_EDATA, "%s has more than %zu "
		    "data rows", s->name, s->lim->max_rows);
	for (char *q = line; (q = memchr(q, ',', (size_t)(end - q))) != NULL;
	    q++)
		nf++;
	if (nf != a->cols)
		return denai_err_set(err, DENAI_EDATA, "%s: line %lu (row %zu) "
		    "has %zu fields, the header has %zu", s->name, s->lineno,
		    r + 1, nf, a->cols);
	if (r == a->caprows && grow(a, keep_text, err) != 0)
		return -1;
	for (c = 0; c < a->cols; c++) {
		char *e = memchr(p, ',', (size_t)(end - p));
		size_t n;

		if (e == NULL)
			e = end;
		*e = '\0';
		n = (size_t)(e - p);
		if (number(&a->x[r * a->cols + c], p, n, &why) != 0)
			return denai_err_set(err, DENAI_EDATA, "%s: line %lu "
			    "(row %zu), column %zu '%s': '%s' %s", s->name,
			    s->lineno, r + 1, c + 1, shown(nm, sizeof(nm),
			    out->names[c], strlen(out->names[c])),
			    shown(sh, sizeof(sh), p, n), why);
		if (keep_text) {
			if (keep(a, p, n, err) != 0)
				return -1;
			a->off[r * a->cols + c] = (uint32_t)a->alen;
			a->alen += n + 1;
		}
		p = e + 1;
	}
	a->rows++;
	return 0;
}

static int
read_all(struct denai_csv *out, struct src *s, int keep_text, int header_only,
    denai_err *err)
{
	struct acc a;
	char *line;
	size_t len;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(out, 0, sizeof(*out));
	if ((rc = next_line(s, &line, &len, err)) <= 0) {
		if (rc == 0)
			denai_err_set(err, DENAI_EDATA, "%s is empty: no header "
			    "row", s->name);
		return -1;
	}
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len > s->lim->max_line) {
		denai_err_set(err, DENAI_EDATA, "%s: line 1 is longer than %zu "
		    "bytes", s->name, s->lim->max_line);
		goto fail;
	}
	if (header(out, s, line, len, err) != 0)
		goto fail;
	a.cols = out->cols;
	if (header_only)
		return 0;
	while ((rc = next_line(s, &line, &len, err)) == 1) {
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > s->lim->max_line) {
			denai_err_set(err, DENAI_EDATA, "%s: line %lu is longer "
			    "than %zu bytes", s->name, s->lineno,
			    s->lim->max_line);
			goto fail;
		}
		if (row(&a, out, s, line, len, keep_text, err) != 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	if (a.rows == 0) {
		denai_err_set(err, DENAI_EDATA, "%s has a header but no data "
		    "rows", s->name);
		goto fail;
	}
	out->rows = a.rows;
	out->x = a.x;
	a.x = NULL;
	if (keep_text) {
		size_t n = a.rows * a.cols;
		char *blk = malloc(n * sizeof(char *) + a.alen);

		if (blk == NULL) {
			denai_err_set(err, DENAI_ENOMEM, "out of memory");
			goto fail;
		}
		out->text = (char **)(void *)blk;
		memcpy(blk + n * sizeof(char *), a.arena, a.alen);
		for (size_t i = 0; i < n; i++)
			out->text[i] = blk + n * sizeof(char *) + a.off[i];
	}
	free(a.off);
	free(a.arena);
	return 0;
fail:
	free(a.x);
	free(a.off);
	free(a.arena);
	denai_csv_free(out);
	return -1;
}

int
denai_csv_read_stream(struct denai_csv *out, denai_err *err, FILE *in,
    const char *name, const struct denai_csv_limits *lim, int keep_text)
{
	struct src s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.lim = lim != NULL ? lim : &denai_csv_limits_v1;
	s.name = name;
	s.f = in;
	s.cap = s.lim->max_line + 3;	/* CR, LF, NUL */
	if (s.cap > s.lim->max_bytes + 2)
		s.cap = s.lim->max_bytes + 2;
	if (s.cap < 64)
		s.cap = 64;
	if ((s.buf = malloc(s.cap)) == NULL) {
		memset(out, 0, sizeof(*out));
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	rc = read_all(out, &s, keep_text, 0, err);
	free(s.buf);
	return rc;
}

/* Opens path, refusing a regular file over the byte limit unread. */
static FILE *
open_capped(const char *path, const struct denai_csv_limits *l,
    denai_err *err)
{
	struct stat st;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot open %s: %s",
		    path, strerror(errno)), NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > l->max_bytes) {
		fclose(f);
		return denai_err_set(err, DENAI_EDATA, "%s is larger than %zu "
		    "bytes", path, l->max_bytes), NULL;
	}
	return f;
}

int
denai_csv_read_header(struct denai_csv *out, denai_err *err,
    const char *path, const struct denai_csv_limits *lim)
{
	const struct denai_csv_limits *l = lim != NULL ? lim :
	    &denai_csv_limits_v1;
	struct src s;
	FILE *f;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((f = open_capped(path, l, err)) == NULL)
		return -1;
	memset(&s, 0, sizeof(s));
	s.lim = l;
	s.name = path;
	s.f = f;
	s.cap = l->max_line + 3;
	rc = -1;
	if ((s.buf = malloc(s.cap)) == NULL)
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
	else
		rc = read_all(out, &s, 0, 1, err);
	free(s.buf);
	fclose(f);
	return rc;
}

int
denai_csv_read(struct denai_csv *out, denai_err *err, const char *path,
    const struct denai_csv_limits *lim, int keep_text)
{
	const struct denai_csv_limits *l = lim != NULL ? lim :
	    &denai_csv_limits_v1;
	FILE *f;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((f = open_capped(path, l, err)) == NULL)
		return -1;
	rc = denai_csv_read_stream(out, err, f, path, l, keep_text);
	fclose(f);
	return rc;
}

int
denai_csv_parse(struct denai_csv *out, denai_err *err, const char *buf,
    size_t len, const struct denai_csv_limits *lim, int keep_text)
{
	struct src s;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(out, 0, sizeof(*out));
	s.lim = lim != NULL ? lim : &denai_csv_limits_v1;
	s.name = "the CSV";
	s.mem = buf;
	s.memlen = len;
	if (len > s.lim->max_bytes)
		return denai_err_set(err, DENAI_EDATA, "%s is larger than %zu "
		    "bytes", s.name, s.lim->max_bytes);
	s.cap = (s.lim->max_line + 2 < len ? s.lim->max_line + 2 : len) + 1;
	if ((s.buf = malloc(s.cap)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = read_all(out, &s, keep_text, 0, err);
	free(s.buf);
	return rc;
}

void
denai_csv_free(struct denai_csv *csv)
{
	if (csv == NULL)
		return;
	free(csv->names);
	free(csv->x);
	free(csv->text);
	memset(csv, 0, sizeof(*csv));
}

int
denai_csv_column(const struct denai_csv *csv, const char *name)
{
	for (size_t i = 0; i < csv->cols; i++)
		if (strcmp(csv->names[i], name) == 0)
			return (int)i;
	return -1;
}
