/*
 * api_ipfs.c - GET /ipfs/{cid}, the trustless gateway protocol over the
 * public block store (a raw block for Accept: application/vnd.ipld.raw or
 * ?format=raw; the file itself otherwise), and POST /api/ipfs, which adds
 * the body as a file (?private=1: to the private store, for a test set
 * named by CID in POST /api/tasks; never served).
 */
#include <stdlib.h>
#include <string.h>

#include "ipfs/add.h"
#include "ipfs/cid.h"
#include "ipfs/fetch.h"
#include "serve/priv.h"

#define FILE_MAX (64u << 20)

static int
wants_raw(serve_req *r)
{
	const char *f = denai_serve_query(r, "format"), *a;

	if (f != NULL)
		return strcmp(f, "raw") == 0 ? 1 : -1;
	a = denai_serve_header(r, "Accept");
	if (a == NULL)
		return 0;
	if (strstr(a, "application/vnd.ipld.raw") != NULL)
		return 1;
	if (strstr(a, "application/vnd.ipld.car") != NULL &&
	    strstr(a, "*/*") == NULL)
		return -1;
	return 0;
}

void
denai_serve_api_ipfs_get(denai_serve *s, serve_req *r)
{
	denai_cid cid;
	denai_err err;
	uint8_t *blk = NULL;
	size_t len = 0;
	int raw = wants_raw(r), rc;
	denai_fetcher *f;

	if (denai_cid_parse_any(&cid, r->arg, strlen(r->arg), &err) != 0 ||
	    denai_cid_check(&cid, &err) != 0) {
		denai_serve_error(r, 400, "cid", "%s", err.msg);
		return;
	}
	if (raw < 0) {
		denai_serve_error(r, 406, "format",
		    "this gateway serves raw blocks "
		    "(format=raw, application/vnd.ipld.raw) and files");
		return;
	}
	if (raw) {
		rc = denai_blockstore_get(s->bs, &cid, &blk, &len, &err);
		if (rc < 0) {
			denai_serve_error(r, 500, NULL, "%s", err.msg);
			return;
		}
		if (rc == 0) {
			denai_serve_error(r, 404, NULL, "no block %s here",
			    r->arg);
			return;
		}
		r->out = (char *)blk;
		r->out_len = len;
		r->status = 200;
		r->ctype = "application/vnd.ipld.raw";
		r->cache = "public, max-age=29030400, immutable";
		return;
	}
	if (!denai_blockstore_has(s->bs, &cid)) {
		denai_serve_error(r, 404, NULL, "no block %s here", r->arg);
		return;
	}
	if ((f = denai_fetcher_new(s->bs, NULL, &err)) == NULL ||
	    denai_fetch_mem(f, &cid, FILE_MAX, &blk, &len, &err) != 0) {
		denai_fetcher_free(f);
		denai_serve_error(r, err.code == DENAI_EPEER ? 404 : 500, NULL,
		    "%s: %s", r->arg, err.msg);
		return;
	}
	denai_fetcher_free(f);
	r->out = (char *)blk;
	r->out_len = len;
	r->status = 200;
	r->ctype = "application/octet-stream";
	r->cache = "public, max-age=29030400, immutable";
}

void
denai_serve_api_ipfs_add(denai_serve *s, serve_req *r)
{
	const char *p = denai_serve_query(r, "private");
	int priv = p != NULL && strcmp(p, "0") != 0;
	denai_cid cid;
	denai_err err;

	if (r->body_len == 0) {
		denai_serve_error(r, 400, NULL,
		    "the body is empty: send the file");
		return;
	}
	if (denai_ipfs_add(priv ? s->priv : s->bs, (const uint8_t *)r->body,
	    r->body_len, 1, &cid, &err) != 0) {
		denai_serve_error(r, 500, NULL, "%s", err.msg);
		return;
	}
	if (!priv)
		snprintf(r->location, sizeof(r->location), "/ipfs/%s",
		    denai_cid_str(&cid));
	denai_serve_json(r, 201, json_pack("{s:s, s:I, s:b}", "cid",
	    denai_cid_str(&cid), "size", (json_int_t)r->body_len, "private",
	    priv));
}
