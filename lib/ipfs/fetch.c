/* ipfs_fetch.c - verified block and file fetch: store, then gateways. */
#include "ipfs/fetch.h"
#include "url.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#define MAX_GATEWAYS 32

struct denai_fetcher {
	denai_blockstore *bs;
	denai_fetch_opts o;
	char *list;			/* copy of the gateway list */
	const char *gw[MAX_GATEWAYS];	/* into list, no trailing '/' */
	char gwname[MAX_GATEWAYS][160];	/* as messages show them (url.h) */
	size_t ngw;
	unsigned char liar[MAX_GATEWAYS];	/* lied for this object */
	unsigned char slow[MAX_GATEWAYS];	/* failed for this object: last */
	CURL *curl;
	uint8_t *buf;			/* response body, DENAI_BLOCK_MAX */
	size_t got;
	int over;			/* body passed DENAI_BLOCK_MAX */
};

denai_fetcher *
denai_fetcher_new(denai_blockstore *bs, const denai_fetch_opts *opts,
    denai_err *err)
{
	denai_fetcher *f;
	char *p, *tok, *save = NULL;
	size_t n;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto nomem;
	f->bs = bs;
	if (opts != NULL)
		f->o = *opts;
	if (f->o.timeout_ms <= 0)
		f->o.timeout_ms = 30000;
	if (f->o.connect_timeout_ms <= 0)
		f->o.connect_timeout_ms = 10000;
	if (f->o.max_size == 0)
		f->o.max_size = DENAI_FETCH_MAX_DEFAULT;
	if (f->o.gateways != NULL) {
		if ((f->list = strdup(f->o.gateways)) == NULL)
			goto nomem;
		for (p = f->list; (tok = strtok_r(p, ", \t", &save)) != NULL;
		    p = NULL) {
			if (strncmp(tok, "http://", 7) != 0 &&
			    strncmp(tok, "https://", 8) != 0) {
				denai_err_set(err, DENAI_EUSAGE,
				    "gateway %zu is not an http:// or "
				    "https:// url", f->ngw + 1);
				goto fail;
			}
			if (f->ngw == MAX_GATEWAYS) {
				denai_err_set(err, DENAI_EUSAGE,
				    "more than %d gateways", MAX_GATEWAYS);
				goto fail;
			}
			n = strlen(tok);
			while (n > 0 && tok[n - 1] == '/')
				tok[--n] = '\0';
			denai_url_redact(f->gwname[f->ngw], sizeof(f->gwname[0]),
			    tok);
			f->gw[f->ngw++] = tok;
		}
	}
	if (f->ngw > 0) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			denai_err_set(err, DENAI_EIO, "cannot start libcurl");
			goto fail;
		}
		if ((f->curl = curl_easy_init()) == NULL ||
		    (f->buf = malloc(DENAI_BLOCK_MAX)) == NULL)
			goto nomem;
	}
	return f;
nomem:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
fail:
	denai_fetcher_free(f);
	return NULL;
}

void
denai_fetcher_free(denai_fetcher *f)
{
	if (f == NULL)
		return;
	if (f->curl != NULL) {
		curl_easy_cleanup(f->curl);
		curl_global_cleanup();
	}
	free(f->buf);
	free(f->list);
	free(f);
}

size_t
denai_fetcher_ngateways(const denai_fetcher *f)
{
	return f->ngw;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	denai_fetcher *f = arg;
	size_t n = size * nmemb;

	if (n > DENAI_BLOCK_MAX - f->got) {
		f->over = 1;
		return 0;
	}
	memcpy(f->buf + f->got, p, n);
	f->got += n;
	return n;
}

static void
warn(denai_fetcher *f, const char *gw, const denai_cid *cid, const char *why)
{
	char line[512];

	if (f->o.warn == NULL)
		return;
	snprintf(line, sizeof(line), "gateway %s: %s: %s", gw,
	    denai_cid_str(cid), why);
	f->o.warn(f->o.warn_arg, line);
}

static int
looks_html(const uint8_t *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\n' || *p == '\r' ||
	    *p == '\t')) {
		p++;
		n--;
	}
	return (n >= 9 && strncasecmp((const char *)p, "<!doctype", 9) == 0) ||
	    (n >= 5 && strncasecmp((const char *)p, "<html", 5) == 0);
}

/*
 * Asks gateway i for the block. Returns: 0 with the verified block in
 * f->buf[0..f->got), 1 on a transient failure, 2 when the gateway lied.
 * why gets the reason.
 */
static int
ask(denai_fetcher *f, size_t i, const denai_cid *cid, const char *cidstr,
    char *why, size_t wcap)
{
	struct curl_slist *hdr = NULL;
	char url[2048];
	long status = 0;
	curl_off_t clen = -1;
	char *ctype = NULL;
	CURLcode rc;
	denai_err e;
	int ret = 1;

	snprintf(url, sizeof(url), "%s/ipfs/%s?format=raw", f->gw[i], cidstr);
	hdr = curl_slist_append(hdr, "Accept: application/vnd.ipld.raw");
	curl_easy_reset(f->curl);
	curl_easy_setopt(f->curl, CURLOPT_URL, url);
	curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->curl, CURLOPT_TIMEOUT_MS, f->o.timeout_ms);
	curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    f->o.connect_timeout_ms);
	curl_easy_setopt(f->curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(f->curl, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(f->curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(f->curl, CURLOPT_USERAGENT, "denai-fetch");
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, f);
	f->got = 0;
	f->over = 0;
	rc = curl_easy_perform(f->curl);
	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(f->curl, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(f->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	if (f->over) {
		snprintf(why, wcap, "sent more than %u bytes for one block",
		    DENAI_BLOCK_MAX);
		ret = 2;
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(why, wcap, "timed out after %ld ms (%zu bytes read)",
		    f->o.timeout_ms, f->got);
	} else if (rc == CURLE_PARTIAL_FILE) {
		snprintf(why, wcap, "truncated body: %zu of %lld bytes",
		    f->got, (long long)clen);
	} else if (rc != CURLE_OK) {
		snprintf(why, wcap, "%s", curl_easy_strerror(rc));
	} else if (status != 200) {
		snprintf(why, wcap, "HTTP status %ld%s", status,
		    status == 404 ? " (does not have the block)" : "");
	} else if (ctype != NULL && strncasecmp(ctype, "text/html", 9) == 0) {
		snprintf(why, wcap, "sent an HTML page (%s), not a raw block",
		    ctype);
		ret = 2;
	} else if (clen >= 0 && (size_t)clen != f->got) {
		snprintf(why, wcap, "truncated body: %zu of %lld bytes",
		    f->got, (long long)clen);
	} else if (denai_cid_verify(cid, f->buf, f->got, &e) != 0) {
		snprintf(why, wcap, "sent wrong bytes: %s%s", e.msg,
		    looks_html(f->buf, f->got) ? " (an HTML page)" : "");
		ret = 2;
	} else {
		ret = 0;
	}
	curl_slist_free_all(hdr);
	return ret;
}

static int
from_gateways(denai_fetcher *f, const denai_cid *cid, denai_err *err)
{
	char cidstr[DENAI_CID_STR_MAX], why[320] = "", last[400] = "";
	unsigned round, pass;
	size_t i;
	int r;

	if (f->ngw == 0)
		return denai_err_set(err, DENAI_EPEER,
		    "not in the local store, and no gateway is set");
	if (denai_cid_format(cidstr, sizeof(cidstr), cid, 0, err) != 0)
		return -1;
	for (round = 0; round <= f->o.retries; round++) {
		unsigned char tried[MAX_GATEWAYS] = { 0 };

		if (round > 0) {
			struct timespec ts = { 0, 200000000L * round };

			nanosleep(&ts, NULL);
		}
		/* Gateways that failed earlier for this object go last. */
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < f->ngw; i++) {
				if (f->liar[i] || tried[i] ||
				    (pass == 0 && f->slow[i]))
					continue;
				tried[i] = 1;
				r = ask(f, i, cid, cidstr, why, sizeof(why));
				if (r == 0)
					return 0;
				if (r == 2)
					f->liar[i] = 1;
				else
					f->slow[i] = 1;
				warn(f, f->gwname[i], cid, why);
				snprintf(last, sizeof(last), "%s: %s",
				    f->gwname[i], why);
			}
		}
	}
	return denai_err_set(err, DENAI_EPEER,
	    "no gateway gave the block (last: %s)",
	    last[0] ? last : "every gateway was skipped");
}

int
denai_fetch_block(denai_fetcher *f, const denai_cid *cid, uint8_t **block,
    size_t *len, denai_err *err)
{
	denai_err serr;
	int r;

	*block = NULL;
	*len = 0;
	if (denai_cid_check(cid, err) != 0)
		return -1;
	r = denai_blockstore_get(f->bs, cid, block, len, &serr);
	if (r == 1)
		return 0;
	if (r < 0 && f->o.warn != NULL)
		f->o.warn(f->o.warn_arg, serr.msg);
	if (from_gateways(f, cid, err) != 0)
		return -1;
	if ((*block = malloc(f->got ? f->got : 1)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	memcpy(*block, f->buf, f->got);
	*len = f->got;
	if (denai_blockstore_put(f->bs, cid, *block, *len, &serr) != 0 &&
	    f->o.warn != NULL)
		f->o.warn(f->o.warn_arg, serr.msg);
	return 0;
}

static int
get_block(void *ctx, const denai_cid *cid, uint8_t **block, size_t *len,
    denai_err *err)
{
	return denai_fetch_block(ctx, cid, block, len, err);
}

int
denai_fetch_cat(denai_fetcher *f, const denai_cid *root, uint64_t max,
    denai_unixfs_sink_fn sink, void *sink_ctx, uint64_t *size, denai_err *err)
{
	memset(f->liar, 0, sizeof(f->liar));
	memset(f->slow, 0, sizeof(f->slow));
	if (denai_unixfs_cat(root, max ? max : f->o.max_size, get_block, f,
	    sink, sink_ctx, size, err) != 0)
		return denai_err_prefix(err, "%s", denai_cid_str(root));
	return 0;
}

struct membuf {
	uint8_t *p;
	size_t n, cap;
};

static int
mem_sink(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	struct membuf *m = ctx;
	uint8_t *q;
	size_t cap;

	if (n + 1 > m->cap - m->n) {
		cap = m->cap ? m->cap : 4096;
		while (cap - m->n < n + 1)
			cap *= 2;
		if ((q = realloc(m->p, cap)) == NULL)
			return denai_err_set(err, DENAI_ENOMEM,
			    "out of memory");
		m->p = q;
		m->cap = cap;
	}
	memcpy(m->p + m->n, p, n);
	m->n += n;
	return 0;
}

int
denai_fetch_mem(denai_fetcher *f, const denai_cid *root, uint64_t max,
    uint8_t **out, size_t *len, denai_err *err)
{
	struct membuf m = { NULL, 0, 0 };

	*out = NULL;
	*len = 0;
	if (denai_fetch_cat(f, root, max, mem_sink, &m, NULL, err) != 0 ||
	    mem_sink(&m, (const uint8_t *)"", 0, err) != 0) {
		free(m.p);
		return -1;
	}
	m.p[m.n] = '\0';
	*out = m.p;
	*len = m.n;
	return 0;
}

struct filesink {
	int fd;
	EVP_MD_CTX *md;
	const char *path;
};

static int
file_sink(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	struct filesink *s = ctx;
	ssize_t w;

	if (EVP_DigestUpdate(s->md, p, n) != 1)
		return denai_err_set(err, DENAI_EIO, "sha256 failed");
	while (n > 0) {
		if ((w = write(s->fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return denai_err_set(err, DENAI_EIO,
			    "cannot write beside %s: %s", s->path,
			    strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
denai_fetch_file(denai_fetcher *f, const denai_cid *root, uint64_t max,
    const char *path, const uint8_t want_sha256[32], uint8_t sha256[32],
    denai_err *err)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
	struct filesink s = { -1, NULL, path };
	uint8_t d[32];
	unsigned dlen = 0;
	int rc = -1;

	if (dl + 16 >= sizeof(tmp))
		return denai_err_set(err, DENAI_EIO, "path too long: %s", path);
	memcpy(tmp, path, dl);
	strcpy(tmp + dl, ".tmp-XXXXXX");
	if ((s.fd = mkstemp(tmp)) < 0)
		return denai_err_set(err, DENAI_EIO,
		    "cannot create a temporary file beside %s: %s", path,
		    strerror(errno));
	if ((s.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1) {
		denai_err_set(err, DENAI_ENOMEM, "cannot start sha256");
		goto out;
	}
	if (denai_fetch_cat(f, root, max, file_sink, &s, NULL, err) != 0)
		goto out;
	if (EVP_DigestFinal_ex(s.md, d, &dlen) != 1 || dlen != 32) {
		denai_err_set(err, DENAI_EIO, "sha256 failed");
		goto out;
	}
	if (want_sha256 != NULL && memcmp(d, want_sha256, 32) != 0) {
		denai_err_set(err, DENAI_EDATA,
		    "%s: the file's sha256 is not the one expected",
		    denai_cid_str(root));
		goto out;
	}
	if (fchmod(s.fd, 0644) != 0 || fsync(s.fd) != 0 || close(s.fd) != 0) {
		s.fd = -1;
		denai_err_set(err, DENAI_EIO, "cannot write %s: %s", path,
		    strerror(errno));
		goto out;
	}
	s.fd = -1;
	if (rename(tmp, path) != 0) {
		denai_err_set(err, DENAI_EIO, "cannot rename into %s: %s",
		    path, strerror(errno));
		goto out;
	}
	if (sha256 != NULL)
		memcpy(sha256, d, 32);
	rc = 0;
out:
	if (s.fd >= 0)
		close(s.fd);
	if (rc != 0)
		unlink(tmp);
	EVP_MD_CTX_free(s.md);
	return rc;
}
