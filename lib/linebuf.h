/*
 * linebuf.h - splitting bytes read from a descriptor into lines, for
 * programs that poll(2) their input while doing other work (stdio's
 * buffering hides data from poll).
 */
#ifndef DENAI_LINEBUF_H
#define DENAI_LINEBUF_H

#include <stddef.h>

#include "err.h"

typedef struct denai_linebuf {
	int fd;
	char *buf;
	size_t len, cap, max;
	size_t off;			/* start of the next line */
	size_t scanned;			/* buf[off, scanned) holds no newline */
	int eof;
	int skipping;			/* inside an overlong line */
	unsigned long lineno;		/* number of the line last returned */
} denai_linebuf;

/* Reads from fd; lines longer than max bytes are an error. */
void denai_linebuf_init(denai_linebuf *lb, int fd, size_t max);
void denai_linebuf_free(denai_linebuf *lb);

/* Reads once from the descriptor (call when poll says it is readable).
 * Returns: bytes read (0 at end of input), or -1 (DENAI_EIO). */
long denai_linebuf_fill(denai_linebuf *lb, denai_err *err) DENAI_WUR;

/*
 * Hands out the next complete line (without its newline; a last line
 * without one counts once end of input was seen).
 * Out: *line (valid until the next call), *len.
 * Returns: 1 with a line, 0 when none is complete yet, -1 for a line over
 * the limit (it is skipped).
 */
int denai_linebuf_next(denai_linebuf *lb, const char **line, size_t *len,
    denai_err *err);

#endif
