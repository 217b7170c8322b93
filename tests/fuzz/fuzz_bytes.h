/*
 * fuzz_bytes.h - reading a fuzzer's input as a stream of choices (header
 * only): byte() hands out the next byte, 0 once the input is used up.
 */
#ifndef DENAI_FUZZ_BYTES_H
#define DENAI_FUZZ_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t n;
};

static unsigned
byte(struct rd *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

#endif
