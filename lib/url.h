/*
 * url.h - a URL as messages may show it. RPC endpoints and IPFS gateways
 * alike can carry credentials (https://user:secret@host/key/...?token=...),
 * so every message names one as scheme://host[:port] only: no user info,
 * no path, no query, no fragment.
 */
#ifndef DENAI_URL_H
#define DENAI_URL_H

#include <stddef.h>

/*
 * Writes scheme://host[:port] of url into out (cap bytes; truncated to
 * fit). A url without "://" or without a host becomes "(bad url)".
 * Returns: 0, or -1 when url had no scheme or no host.
 */
int denai_url_redact(char *out, size_t cap, const char *url);

#endif
