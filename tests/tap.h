/*
 * tap.h - a tiny TAP producer for the C unit tests (header only).
 *
 *   plan_no_plan(); ok(cond, "name %d", i); is_str(got, want, "name");
 *   is_mem(got, want, n, "name"); skip_all("why"); return done_testing();
 *
 * On failure the got and want values are printed as diagnostics ("# ..."),
 * byte strings in hex.
 */
#ifndef DENAI_TAP_H
#define DENAI_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3), unused))
#endif
static int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), unused))
#endif
static void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

__attribute__((unused)) static int
is_str(const char *got, const char *want, const char *name)
{
	int c = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!ok(c, "%s", name)) {
		diag("     got: %s", got ? got : "(null)");
		diag("    want: %s", want ? want : "(null)");
	}
	return c;
}

__attribute__((unused)) static void
tap_hex(const char *label, const void *p, size_t n)
{
	const unsigned char *b = p;

	printf("# %8s: ", label);
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

__attribute__((unused)) static int
is_mem(const void *got, const void *want, size_t n, const char *name)
{
	int c = memcmp(got, want, n) == 0;

	if (!ok(c, "%s", name)) {
		tap_hex("got", got, n);
		tap_hex("want", want, n);
	}
	return c;
}

__attribute__((unused)) static int
is_int(long long got, long long want, const char *name)
{
	int c = got == want;

	if (!ok(c, "%s", name))
		diag("got %lld, want %lld", got, want);
	return c;
}

__attribute__((unused)) static void
skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

__attribute__((unused)) static void
skip(const char *why)
{
	tap_n++;
	printf("ok %d # skip %s\n", tap_n, why);
}

__attribute__((unused)) static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

/* The folder holding ../shared (vectors, onnx node tests), or NULL. */
__attribute__((unused)) static const char *
tap_shared_dir(void)
{
	const char *d = getenv("DENAI_SHARED");

	return d != NULL && *d != '\0' ? d : "../shared";
}

#endif
