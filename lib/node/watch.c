/* watch.c - following PredictionRequested logs with a reorg-safe cursor. */
#include "node/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eth/hex.h"
#include "eth/keccak.h"

#define RING 128		/* recent block hashes kept */
#define SEEN 1024		/* recent request keys kept */
#define PAGE 100		/* openRequests page */

typedef struct mark {
	uint64_t number;
	uint8_t hash[32];
} mark;

struct denai_watch {
	denai_rpc *rpc;
	const denai_oracle *oracle;
	denai_deployment dep;
	denai_watch_opts opts;
	uint64_t range;			/* current getLogs range */
	uint64_t next;			/* next block to scan */
	int started;
	unsigned reorgs;
	mark ring[RING];		/* oldest first */
	size_t nring;
	uint64_t seen[SEEN];		/* ring of request keys */
	size_t nseen, seen_pos;
};

void
denai_watch_opts_default(denai_watch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->range = 2000;
}

denai_watch *
denai_watch_new(denai_rpc *rpc, const denai_oracle *oracle,
    const denai_deployment *dep, const denai_watch_opts *opts, denai_err *err)
{
	denai_watch *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	w->rpc = rpc;
	w->oracle = oracle;
	w->dep = *dep;
	if (opts != NULL)
		w->opts = *opts;
	else
		denai_watch_opts_default(&w->opts);
	if (w->opts.range == 0)
		w->opts.range = 1;
	w->range = w->opts.range;
	w->next = dep->block;
	return w;
}

void
denai_watch_free(denai_watch *w)
{
	free(w);
}

int
denai_watch_started(const denai_watch *w)
{
	return w->started;
}

uint64_t
denai_watch_next_block(const denai_watch *w)
{
	return w->next;
}

unsigned
denai_watch_reorgs(const denai_watch *w)
{
	return w->reorgs;
}

/*
 * A request's key: 8 bytes of keccak256(request id ":" challenge ":" block
 * hash). The block hash makes a request that a reorg put in a new block a
 * new key: the same id at the same height has the same challenge (it comes
 * from the parent block), but may carry other data, and a submission made
 * on the dropped branch is gone with it.
 */
static uint64_t
request_key(const json_t *rec)
{
	char buf[256];
	uint8_t h[32];
	uint64_t k = 0;
	int n;

	n = snprintf(buf, sizeof(buf), "%s:%s:%s",
	    json_string_value(json_object_get(rec, "request_id")),
	    json_string_value(json_object_get(rec, "challenge")),
	    json_string_value(json_object_get(rec, "block_hash")));
	denai_keccak256(h, buf, (size_t)n < sizeof(buf) ? (size_t)n :
	    sizeof(buf) - 1);
	for (int i = 0; i < 8; i++)
		k = k << 8 | h[i];
	return k;
}

static int
seen_has(const denai_watch *w, uint64_t k)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i] == k)
			return 1;
	return 0;
}

static void
seen_add(denai_watch *w, uint64_t k)
{
	w->seen[w->seen_pos] = k;
	w->seen_pos = (w->seen_pos + 1) % SEEN;
	if (w->nseen < SEEN)
		w->nseen++;
}

static void
ring_add(denai_watch *w, uint64_t number, const uint8_t hash[32])
{
	if (w->nring > 0 && w->ring[w->nring - 1].number >= number)
		return;
	if (w->nring == RING) {
		memmove(w->ring, w->ring + 1, (RING - 1) * sizeof(mark));
		w->nring--;
	}
	w->ring[w->nring].number = number;
	memcpy(w->ring[w->nring].hash, hash, 32);
	w->nring++;
}

json_t *
denai_watch_state(const denai_watch *w)
{
	char hex[67], addr[DENAI_ADDR_HEX_MAX], k[17];
	json_t *o = json_object(), *blocks = json_array(), *seen = json_array();

	for (size_t i = 0; i < w->nring; i++)
		json_array_append_new(blocks, json_pack("[Is]",
		    (json_int_t)w->ring[i].number,
		    denai_hex_encode(hex, w->ring[i].hash, 32)));
	/* Oldest first, so a restore refills the ring in the same order. */
	for (size_t i = 0; i < w->nseen; i++) {
		size_t j = (w->seen_pos + SEEN - w->nseen + i) % SEEN;
		snprintf(k, sizeof(k), "%016llx",
		    (unsigned long long)w->seen[j]);
		json_array_append_new(seen, json_string(k));
	}
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "chain_id", json_integer((json_int_t)w->dep.chain_id));
	json_object_set_new(o, "contract",
	    json_string(denai_secp_addr_checksum(addr, w->dep.oracle)));
	json_object_set_new(o, "next_block", json_integer((json_int_t)w->next));
	json_object_set_new(o, "blocks", blocks);
	json_object_set_new(o, "emitted", seen);
	return o;
}

int
denai_watch_restore(denai_watch *w, const json_t *st, denai_err *err)
{
	const char *c = json_string_value(json_object_get(st, "contract"));
	const json_t *blocks = json_object_get(st, "blocks");
	const json_t *seen = json_object_get(st, "emitted");
	json_int_t next = json_integer_value(json_object_get(st, "next_block"));
	uint8_t a[DENAI_ADDR_LEN], h[32];
	size_t i;
	json_t *v;

	if (json_integer_value(json_object_get(st, "version")) != 1 ||
	    !json_is_array(blocks) || !json_is_array(seen) || c == NULL ||
	    next < 0 || denai_hex_decode_exact(a, DENAI_ADDR_LEN, c, NULL) != 0)
		return denai_err_set(err, DENAI_EDATA,
		    "watch state is malformed");
	if ((uint64_t)json_integer_value(json_object_get(st, "chain_id")) !=
	    w->dep.chain_id || memcmp(a, w->dep.oracle, DENAI_ADDR_LEN) != 0)
		return denai_err_set(err, DENAI_EUSAGE,
		    "watch state is for another chain or contract");
	w->nring = 0;
	json_array_foreach(blocks, i, v) {
		const char *hx = json_string_value(json_array_get(v, 1));
		json_int_t n = json_integer_value(json_array_get(v, 0));
		if (hx == NULL || n < 0 ||
		    denai_hex_decode_exact(h, 32, hx, NULL) != 0)
			return denai_err_set(err, DENAI_EDATA,
			    "watch state: bad block entry %zu", i);
		ring_add(w, (uint64_t)n, h);
	}
	w->nseen = w->seen_pos = 0;
	json_array_foreach(seen, i, v) {
		const char *k = json_string_value(v);
		char *end;
		unsigned long long x;
		if (k == NULL)
			return denai_err_set(err, DENAI_EDATA,
			    "watch state: bad emitted entry %zu", i);
		x = strtoull(k, &end, 16);
		if (*end != '\0')
			return denai_err_set(err, DENAI_EDATA,
			    "watch state: bad emitted entry %zu", i);
		seen_add(w, x);
	}
	w->next = (uint64_t)next;
	w->started = 1;
	return 0;
}

static int
block_hash(denai_watch *w, uint64_t n, uint8_t hash[32], denai_err *err)
{
	char tag[24];
	denai_rpc_block b;

	snprintf(tag, sizeof(tag), "0x%llx", (unsigned long long)n);
	if (denai_rpc_get_block(w->rpc, tag, &b, err) != 0)
		return -1;
	memcpy(hash, b.hash, 32);
	return 0;
}

/* Is the request still open at block head, and not ours already? */
static int
wanted(denai_watch *w, const json_t *rec, uint64_t head, int *yes,
    denai_err *err)
{
	const char *id = json_string_value(json_object_get(rec, "request_id"));
	denai_request_info info;
	denai_u256 rid;
	int sub = 0;

	*yes = 0;
	if (id == NULL || denai_u256_parse(&rid, id, strlen(id), err) != 0)
		return -1;
	if (denai_oracle_get_request(w->oracle, w->rpc, w->dep.oracle, &rid,
	    &info, err) != 0)
		return -1;
	if (info.status != DENAI_REQ_OPEN || info.expires_at < head)
		return 0;
	if (w->opts.has_miner && denai_oracle_has_submitted(w->oracle, w->rpc,
	    w->dep.oracle, &rid, w->opts.miner, &sub, err) != 0)
		return -1;
	*yes = !sub;
	return 0;
}

static json_t *
log_filter(const denai_watch *w, uint64_t from, uint64_t to,
    const char *id_topic)
{
	char a[2 * DENAI_ADDR_LEN + 3], t0[67], f[24], t[24];
	uint8_t topic[32];
	json_t *topics;

	denai_abi_topic0(topic, denai_oracle_event(w->oracle,
	    DENAI_EV_REQUESTED));
	topics = json_pack("[s]", denai_hex_encode(t0, topic, 32));
	if (id_topic != NULL)
		json_array_append_new(topics, json_string(id_topic));
	snprintf(f, sizeof(f), "0x%llx", (unsigned long long)from);
	snprintf(t, sizeof(t), "0x%llx", (unsigned long long)to);
	return json_pack("{s:s,s:o,s:s,s:s}", "address",
	    denai_hex_encode(a, w->dep.oracle, DENAI_ADDR_LEN), "topics", topics,
	    "fromBlock", f, "toBlock", t);
}

/* Emits rec unless seen, closed, or ours. Returns: 1 emitted, 0, -1. */
static int
offer(denai_watch *w, json_t *rec, uint64_t head, denai_watch_emit_fn emit,
    void *ctx, denai_err *err)
{
	uint64_t k = request_key(rec);
	int yes;

	if (seen_has(w, k))
		return 0;
	if (wanted(w, rec, head, &yes, err) != 0)
		return -1;
	if (!yes)
		return 0;
	seen_add(w, k);
	if (emit(ctx, rec, err) != 0)
		return -1;
	return 1;
}

static int
tip_desc(const void *a, const void *b)
{
	const json_t *ra = *(json_t *const *)a, *rb = *(json_t *const *)b;
	const char *ta = json_string_value(json_object_get(ra, "tip"));
	const char *tb = json_string_value(json_object_get(rb, "tip"));
	denai_u256 ua, ub;

	if (denai_u256_parse(&ua, ta, strlen(ta), NULL) != 0 ||
	    denai_u256_parse(&ub, tb, strlen(tb), NULL) != 0)
		return 0;
	return denai_u256_cmp(&ub, &ua);
}

/* The request record of request id (decimal), from its log. */
static json_t *
record_of(denai_watch *w, const char *id, uint64_t head, denai_err *err)
{
	denai_u256 rid;
	uint8_t be[32];
	char topic[67];
	json_t *f, *logs = NULL, *rec = NULL;

	if (denai_u256_parse(&rid, id, strlen(id), err) != 0)
		return NULL;
	denai_u256_to_be32(be, &rid);
	f = log_filter(w, w->dep.block, head, denai_hex_encode(topic, be, 32));
	if (denai_rpc_get_logs(w->rpc, f, &logs, err) == 0) {
		if (json_array_size(logs) == 0)
			denai_err_set(err, DENAI_EDATA,
			    "no PredictionRequested log for open request %s", id);
		else
			rec = denai_oracle_request_record(w->oracle,
			    json_array_get(logs, json_array_size(logs) - 1),
			    w->dep.chain_id, err);
	}
	json_decref(f);
	json_decref(logs);
	return rec;
}

int
denai_watch_scan_open(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    denai_err *err)
{
	json_t *r = NULL, *args, *ids, *v, **recs = NULL;
	uint64_t head, lanes = 0, off;
	size_t n = 0, cap = 0, i;
	uint8_t hash[32];
	char tag[24];
	int emitted = 0, rc = -1, e;

	if (denai_rpc_block_number(w->rpc, &head, err) != 0)
		return -1;
	snprintf(tag, sizeof(tag), "0x%llx", (unsigned long long)head);
	if (denai_oracle_call(w->oracle, w->rpc, w->dep.oracle,
	    DENAI_FN_LANE_COUNT, NULL, &r, err) != 0)
		return -1;
	{
		const char *s = json_string_value(json_array_get(r, 0));
		lanes = s ? strtoull(s, NULL, 10) : 0;
	}
	json_decref(r);
	r = NULL;
	for (off = 0; off < lanes; off += PAGE) {
		args = json_pack("[II]", (json_int_t)off, (json_int_t)PAGE);
		e = denai_oracle_call(w->oracle, w->rpc, w->dep.oracle,
		    DENAI_FN_OPEN_REQUESTS, args, &r, err);
		json_decref(args);
		if (e != 0)
			goto out;
		ids = json_array_get(r, 0);
		json_array_foreach(ids, i, v) {
			json_t *rec = record_of(w, json_string_value(v), head, err);
			if (rec == NULL)
				goto out;
			if (n == cap) {
				json_t **nr = realloc(recs, (cap = cap ? 2 * cap :
				    16) * sizeof(*recs));
				if (nr == NULL) {
					json_decref(rec);
					denai_err_set(err, DENAI_ENOMEM,
					    "out of memory");
					goto out;
				}
				recs = nr;
			}
			recs[n++] = rec;
		}
		json_decref(r);
		r = NULL;
	}
	if (n > 1)
		qsort(recs, n, sizeof(*recs), tip_desc);
	for (i = 0; i < n; i++) {
		if ((e = offer(w, recs[i], head, emit, ctx, err)) < 0)
			goto out;
		emitted += e;
	}
	if (!w->started) {
		if (block_hash(w, head, hash, err) != 0)
			goto out;
		w->next = head + 1;
		ring_add(w, head, hash);
		w->started = 1;
	}
	rc = emitted;
out:
	json_decref(r);
	for (i = 0; i < n; i++)
		json_decref(recs[i]);
	free(recs);
	return rc;
}

/* Rewinds after a reorg. Returns: 0 (maybe rewound), or -1. */
static int
check_reorg(denai_watch *w, denai_err *err)
{
	uint8_t h[32];
	size_t i;

	if (w->nring == 0)
		return 0;
	if (block_hash(w, w->ring[w->nring - 1].number, h, err) != 0) {
		if (err == NULL || err->code != DENAI_EDATA)
			return -1;	/* the block vanished: a shorter chain */
		memset(h, 0, sizeof(h));
	}
	if (memcmp(h, w->ring[w->nring - 1].hash, 32) == 0)
		return 0;
	w->reorgs++;
	for (i = w->nring - 1; i-- > 0;) {
		if (block_hash(w, w->ring[i].number, h, err) != 0) {
			if (err == NULL || err->code != DENAI_EDATA)
				return -1;
			continue;
		}
		if (memcmp(h, w->ring[i].hash, 32) == 0) {
			w->nring = i + 1;
			w->next = w->ring[i].number + 1;
			return 0;
		}
	}
	/* Deeper than we remember: rescan what we remember. */
	w->next = w->ring[0].number > w->dep.block ? w->ring[0].number :
	    w->dep.block;
	w->nring = 0;
	return 0;
}

static int
range_error(const denai_err *e)
{
	static const char *const words[] = {"range", "too many", "limit",
	    "exceed", "too large", "10000"};

	if (e->code != DENAI_ESTATE)
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(e->msg, words[i]) != NULL)
			return 1;
	return 0;
}

int
denai_watch_poll(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    int *caught_up, denai_err *err)
{
	uint64_t head, safe, to;
	json_t *f, *logs = NULL, *v, *rec;
	uint8_t hash[32];
	size_t i;
	int emitted = 0, e;

	*caught_up = 0;
	if (check_reorg(w, err) != 0)
		return -1;
	if (denai_rpc_block_number(w->rpc, &head, err) != 0)
		return -1;
	safe = head >= w->opts.confirmations ? head - w->opts.confirmations : 0;
	if (w->next > safe) {
		*caught_up = 1;
		return 0;
	}
	for (;;) {
		to = w->next + w->range - 1;
		if (to > safe || to < w->next)
			to = safe;
		f = log_filter(w, w->next, to, NULL);
		e = denai_rpc_get_logs(w->rpc, f, &logs, err);
		json_decref(f);
		if (e == 0)
			break;
		if (!range_error(err) || w->range == 1)
			return -1;
		w->range = w->range / 2;
	}
	/* The hash of the range's last block, read before its logs count. */
	if (block_hash(w, to, hash, err) != 0)
		goto fail;
	json_array_foreach(logs, i, v) {
		if (json_is_true(json_object_get(v, "removed")))
			continue;
		if ((rec = denai_oracle_request_record(w->oracle, v,
		    w->dep.chain_id, err)) == NULL)
			goto fail;
		e = offer(w, rec, head, emit, ctx, err);
		json_decref(rec);
		if (e < 0)
			goto fail;
		emitted += e;
	}
	json_decref(logs);
	ring_add(w, to, hash);
	w->next = to + 1;
	w->started = 1;
	*caught_up = w->next > safe;
	if (w->range < w->opts.range)
		w->range *= 2;
	return emitted;
fail:
	json_decref(logs);
	return -1;
}
