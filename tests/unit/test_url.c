/* test_url.c - URLs as messages show them: scheme://host[:port], never the
 * user, password, path, query or fragment (RPC endpoints and gateways). */
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "url.h"

static void
check(const char *url, int want_rc, const char *want)
{
	char out[160];
	int rc = denai_url_redact(out, sizeof(out), url);

	ok(rc == want_rc && strcmp(out, want) == 0, "%s -> %s (got %s)", url,
	    want, out);
}

int
main(void)
{
	char small[12];

	check("http://127.0.0.1:8545", 0, "http://127.0.0.1:8545");
	check("https://user:secret@host.example/?token=abc", 0,
	    "https://host.example");
	check("https://mainnet.example/v3/APIKEY", 0, "https://mainnet.example");
	check("https://a@b:c@host:443/x#frag", 0, "https://host:443");
	check("https://host?key=1", 0, "https://host");
	check("https://host#k", 0, "https://host");
	check("user:pw@host", -1, "(bad url)");
	check("https://user:pw@/path", -1, "(bad url)");
	check("://host", -1, "(bad url)");
	denai_url_redact(small, sizeof(small), "https://averylonghost.example");
	ok(strlen(small) == sizeof(small) - 1, "truncated to fit");
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
