/* linebuf.c - lines from a polled descriptor. */
#include "linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
denai_linebuf_init(denai_linebuf *lb, int fd, size_t max)
{
	memset(lb, 0, sizeof(*lb));
	lb->fd = fd;
	lb->max = max;
}

void
denai_linebuf_free(denai_linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->len = lb->cap = lb->off = lb->scanned = 0;
}

long
denai_linebuf_fill(denai_linebuf *lb, denai_err *err)
{
	ssize_t n;
	char *nb;

	if (lb->off > 0) {
		memmove(lb->buf, lb->buf + lb->off, lb->len - lb->off);
		lb->len -= lb->off;
		lb->scanned = lb->scanned > lb->off ? lb->scanned - lb->off : 0;
		lb->off = 0;
	}
	if (lb->cap - lb->len < 4096) {
		/* Never past the cap and a read's worth: a longer line is
		 * dropped (by _next) before the buffer needs more. */
		size_t ncap = lb->cap ? lb->cap * 2 : 65536;
		if (ncap > lb->max + 65536)
			ncap = lb->max + 65536;
		if (ncap <= lb->cap)
			return denai_err_set(err, DENAI_ENOMEM,
			    "line buffer full");
		if ((nb = realloc(lb->buf, ncap)) == NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		lb->buf = nb;
		lb->cap = ncap;
	}
	do
		n = read(lb->fd, lb->buf + lb->len, lb->cap - lb->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return denai_err_set(err, DENAI_EIO, "cannot read input: %s",
		    strerror(errno));
	if (n == 0)
		lb->eof = 1;
	lb->len += (size_t)n;
	return (long)n;
}

int
denai_linebuf_next(denai_linebuf *lb, const char **line, size_t *len,
    denai_err *err)
{
	char *start = lb->buf + lb->off, *nl;
	size_t avail = lb->len - lb->off;

	if (avail == 0)
		return 0;
	/* Search only what was not searched before: a long line arriving
	 * in small reads costs linear time, not quadratic. */
	if (lb->scanned < lb->off)
		lb->scanned = lb->off;
	nl = memchr(lb->buf + lb->scanned, '\n', lb->len - lb->scanned);
	lb->scanned = nl ? lb->off : lb->len;
	if (lb->skipping) {
		/* The tail of a line already reported as too long. */
		lb->off = nl ? lb->off + (size_t)(nl - start) + 1 : lb->len;
		lb->skipping = nl == NULL;
		return denai_linebuf_next(lb, line, len, err);
	}
	if (nl == NULL) {
		if (avail > lb->max) {
			/* Drop what we have; the rest of the line follows. */
			lb->off = lb->len;
			lb->skipping = !lb->eof;
			lb->lineno++;
			return denai_err_set(err, DENAI_EDATA,
			    "line %lu: longer than %zu bytes", lb->lineno,
			    lb->max);
		}
		if (!lb->eof)
			return 0;
		nl = start + avail;
		lb->off = lb->len;
	} else {
		lb->off += (size_t)(nl - start) + 1;
		if ((size_t)(nl - start) > lb->max) {
			lb->lineno++;
			return denai_err_set(err, DENAI_EDATA,
			    "line %lu: longer than %zu bytes", lb->lineno,
			    lb->max);
		}
	}
	lb->lineno++;
	*line = start;
	*len = (size_t)(nl - start);
	return 1;
}
