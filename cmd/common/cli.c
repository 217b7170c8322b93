/* cli.c - messages, exits and settings shared by the programs. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *progname = "denai";

void
cli_init(const char *name)
{
	progname = name;
}

const char *
cli_progname(void)
{
	return progname;
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void
cli_die_err(const denai_err *err)
{
	cli_die(denai_err_exit_status(err->code), "%s", err->msg);
}

const char *
cli_setting(const char *flag, const char *env, const char *def)
{
	const char *v;

	if (flag != NULL)
		return flag;
	if (env != NULL && (v = getenv(env)) != NULL && *v != '\0')
		return v;
	return def;
}

void
cli_state_root(char *dir, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg != '\0')
		snprintf(dir, n, "%s/denai", xdg);
	else
		snprintf(dir, n, "%s/.local/state/denai", home ? home : ".");
}

unsigned long long
cli_parse_count(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (s == NULL || *s < '0' || *s > '9')
		cli_die(EX_USAGE, "%s: expected a non-negative number, got '%s'",
		    opt, s ? s : "");
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		cli_die(EX_USAGE, "%s: expected a non-negative number, got '%s'",
		    opt, s);
	return v;
}
