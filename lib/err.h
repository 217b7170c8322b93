/*
 * err.h - the one error type every libdenai function fills.
 *
 * Ownership, for the whole library: fixed-size contexts (hash states, error
 * values, u256) belong to the caller; heap objects come in _new/_free pairs
 * and _free(NULL) is a no-op; a returned pointer that is not from a _new
 * function points into an argument and lives as long as it does.
 *
 * Convention: a function that can fail returns int, 0 on success and -1 on
 * failure, and fills *err (which may be NULL when the caller does not care).
 * The library never prints, never exits and never reads the environment.
 */
#ifndef DENAI_ERR_H
#define DENAI_ERR_H

#include <stddef.h>

#if defined(__GNUC__)
#define DENAI_WUR __attribute__((warn_unused_result))
#define DENAI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DENAI_WUR
#define DENAI_PRINTF(f, a)
#endif

/* What kind of failure: programs map these to sysexits(3) codes. */
enum denai_code {
	DENAI_OK = 0,
	DENAI_EDATA,	/* the input was malformed or failed a check */
	DENAI_EUSAGE,	/* the caller asked for something impossible */
	DENAI_EIO,	/* a local file or stream failed */
	DENAI_EPEER,	/* a remote peer (RPC node, gateway) failed; may retry */
	DENAI_ENOMEM,	/* out of memory or over a configured cap */
	DENAI_EUNSUP,	/* well-formed but not supported */
	DENAI_ECRYPTO,	/* a signature, MAC or password check failed */
	DENAI_ESTATE,	/* the chain or contract state refused it */
};

typedef struct denai_err {
	int code;		/* enum denai_code */
	char msg[256];		/* one lowercase sentence, no trailing newline */
} denai_err;

/* Fills err (if not NULL) with code and a printf-formatted message.
 * Returns: -1 always, so callers can `return denai_err_set(...)`. */
int denai_err_set(denai_err *err, int code, const char *fmt, ...)
    DENAI_PRINTF(3, 4);

/* Prepends "context: " to err's message, keeping its code.
 * Returns: -1 always. */
int denai_err_prefix(denai_err *err, const char *fmt, ...) DENAI_PRINTF(2, 3);

/* Clears err to DENAI_OK with an empty message. */
void denai_err_clear(denai_err *err);

/* Returns: the sysexits(3) exit status for a code (EX_DATAERR, EX_USAGE,
 * EX_IOERR, EX_UNAVAILABLE, EX_OSERR, EX_SOFTWARE, EX_NOPERM, ...). */
int denai_err_exit_status(int code);

/* Returns: a short name for a code ("bad data", "unavailable", ...). */
const char *denai_err_code_name(int code);

#endif
