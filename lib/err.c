/* err.c - filling and mapping denai_err values. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

int
denai_err_set(denai_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
denai_err_prefix(denai_err *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	size_t n, m;
	va_list ap;

	if (err == NULL)
		return -1;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* Append ": " and the old message, truncating at the end. */
	n = strlen(err->msg);
	m = strlen(old);
	if (n + 2 < sizeof(err->msg)) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
		if (m > sizeof(err->msg) - 1 - n)
			m = sizeof(err->msg) - 1 - n;
		memcpy(err->msg + n, old, m);
		err->msg[n + m] = '\0';
	}
	return -1;
}

void
denai_err_clear(denai_err *err)
{
	if (err == NULL)
		return;
	err->code = DENAI_OK;
	err->msg[0] = '\0';
}

int
denai_err_exit_status(int code)
{
	switch (code) {
	case DENAI_OK:		return 0;
	case DENAI_EDATA:	return EX_DATAERR;
	case DENAI_EUSAGE:	return EX_USAGE;
	case DENAI_EIO:		return EX_IOERR;
	case DENAI_EPEER:	return EX_UNAVAILABLE;
	case DENAI_ENOMEM:	return EX_OSERR;
	case DENAI_EUNSUP:	return EX_DATAERR;
	case DENAI_ECRYPTO:	return EX_NOPERM;
	case DENAI_ESTATE:	return EX_TEMPFAIL;
	default:		return EX_SOFTWARE;
	}
}

const char *
denai_err_code_name(int code)
{
	static const char *names[] = {
		"ok", "bad data", "usage", "i/o error", "unavailable",
		"out of memory", "unsupported", "crypto check failed",
		"refused by chain state",
	};

	if (code < 0 || (size_t)code >= sizeof(names) / sizeof(names[0]))
		return "unknown error";
	return names[code];
}
