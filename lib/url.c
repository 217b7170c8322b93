/* url.c - URLs without their secrets (see url.h). */
#include "url.h"

#include <stdio.h>
#include <string.h>

int
denai_url_redact(char *out, size_t cap, const char *url)
{
	const char *p = strstr(url, "://"), *host, *end, *at;

	if (p == NULL || p == url)
		goto bad;
	host = p + 3;
	end = host + strcspn(host, "/?#");
	/* user:password@ comes before the host; the last '@' ends it. */
	while ((at = memchr(host, '@', (size_t)(end - host))) != NULL)
		host = at + 1;
	if (end == host)
		goto bad;
	snprintf(out, cap, "%.*s://%.*s", (int)(p - url), url,
	    (int)(end - host), host);
	return 0;
bad:
	snprintf(out, cap, "(bad url)");
	return -1;
}
