/*
 * abi_priv.h - what the abi_*.c files share and nothing else uses: growable
 * byte and text buffers with a sticky out-of-memory flag, 256-bit words as
 * ABI values, and value paths for messages.
 */
#ifndef DENAI_ABI_PRIV_H
#define DENAI_ABI_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "eth/abi.h"
#include "err.h"
#include "eth/keccak.h"
#include "eth/u256.h"

/* A growable byte buffer; oom is set (and sticks) when growing fails. */
struct denai_abi_buf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

/* Appends n bytes (zeros when p is NULL). Returns: the offset they start
 * at, or (size_t)-1 with oom set. */
size_t denai_abi_buf_put(struct denai_abi_buf *b, const void *p, size_t n);

/* A growable NUL-terminated text buffer. */
struct denai_abi_sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

void denai_abi_sbuf_putn(struct denai_abi_sbuf *b, const char *s, size_t n);
void denai_abi_sbuf_puts(struct denai_abi_sbuf *b, const char *s);
/* Returns: the malloc'd text (b is emptied), or NULL if it ran out of
 * memory (b is freed). */
char *denai_abi_sbuf_take(struct denai_abi_sbuf *b);

/* Value paths for messages: "[1][0]"; "" is the top level. */
#define DENAI_ABI_PATH_MAX 256
void denai_abi_path_push(char path[DENAI_ABI_PATH_MAX], size_t i);
void denai_abi_path_pop(char path[DENAI_ABI_PATH_MAX], size_t keep);

/* Parses the value of an intN/uintN JSON value into a two's complement
 * word. Returns: 0, or -1 with a message naming path and type. */
int denai_abi_num_from_json(uint8_t word[32], const denai_abi_type *t,
    const json_t *v, const char *path, denai_err *err);
/* Returns: a new JSON decimal string for an intN/uintN word. */
json_t *denai_abi_num_to_json(const uint8_t word[32], const denai_abi_type *t);

/* Returns: a new JSON string holding n bytes of text, with each invalid
 * UTF-8 sequence replaced by U+FFFD. */
json_t *denai_abi_json_text(const uint8_t *p, size_t n);

#endif
