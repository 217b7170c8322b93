/* watch.c - following PredictionRequested logs with a reorg-safe cursor. */
#include "node/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eth/bloom.h"
#include "eth/hex.h"
#include "eth/keccak.h"
#include "node/serve_rule.h"

#define RING 128		/* recent block hashes kept */
#define SEEN 1024		/* recent request keys kept */
#define PAGE 100		/* openRequests page */
#define SEALED 1u		/* an item's flag: a sealed request */

typedef struct offered {
	denai_u256 id;
	uint64_t at;			/* block it was last offered at */
	uint64_t wait;			/* blocks before offering it again */
} offered;

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
	offered *off;			/* the re-offer table */
	size_t noff, offcap;
	uint64_t scanned;		/* head of the last scan of open ones */
	uint64_t head;			/* the node's head at the last poll */
	uint64_t last_id;		/* the highest request id seen */
};

void
denai_watch_opts_default(denai_watch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->range = 2000;
	o->reoffer_after = 20;
	denai_policy_default(&o->policy);
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
	if (w == NULL)
		return;
	free(w->off);
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

uint64_t
denai_watch_head(const denai_watch *w)
{
	return w->head;
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

/* The logs of one block, by its hash (EIP-234): all of that block or
 * nothing, whatever the chain does meanwhile. */
static json_t *
block_filter(const denai_watch *w, const uint8_t hash[32])
{
	char a[2 * DENAI_ADDR_LEN + 3], t0[67], h[67];
	uint8_t topic[32];

	denai_abi_topic0(topic, denai_oracle_event(w->oracle,
	    DENAI_EV_REQUESTED));
	return json_pack("{s:s,s:[s],s:s}", "address",
	    denai_hex_encode(a, w->dep.oracle, DENAI_ADDR_LEN), "topics",
	    denai_hex_encode(t0, topic, 32), "blockHash",
	    denai_hex_encode(h, hash, 32));
}

/* The request record of request id, from its log at or before block head.
 * Out: *rec, or NULL when no log is there (the id is a later block's). */
static int
record_of(denai_watch *w, const denai_u256 *rid, uint64_t head,
    json_t **rec, denai_err *err)
{
	uint8_t be[32];
	char topic[67];
	json_t *f, *logs = NULL;
	int rc = -1;

	*rec = NULL;
	denai_u256_to_be32(be, rid);
	f = log_filter(w, w->dep.block, head, denai_hex_encode(topic, be, 32));
	if (denai_rpc_get_logs(w->rpc, f, &logs, err) == 0) {
		rc = 0;
		if (json_array_size(logs) > 0 && (*rec =
		    denai_oracle_request_record(w->oracle,
		    json_array_get(logs, json_array_size(logs) - 1),
		    w->dep.chain_id, err)) == NULL)
			rc = -1;
	}
	json_decref(f);
	json_decref(logs);
	return rc;
}

/* What the chain says of one request: getRequest, hasSubmitted (when the
 * watch has a miner) and sealedInfo, asked in one batch. */
typedef struct rview {
	denai_request_info info;
	int sub;
	denai_sealed_info si;
} rview;

/*
 * Whether the request v tells of is wanted at block head: open, still
 * servable (serve_rule.h), taken by the policy, not answered by the
 * miner, and (sealed) still taking seals: a sealed request takes them
 * until its quorum of them is in (then the reveal deadline is set).
 * Out: *flags.
 */
static int
decide(const denai_watch *w, uint64_t head, const rview *v, unsigned *flags)
{
	const char *why;

	*flags = 0;
	if (v->info.status != DENAI_REQ_OPEN ||
	    !denai_request_can_serve(head, v->info.expires_at) ||
	    !denai_policy_takes(&w->opts.policy, &v->info, &why) || v->sub ||
	    (v->si.sealed && v->si.reveal_deadline != 0))
		return 0;
	*flags = v->si.sealed ? SEALED : 0;
	return 1;
}

/*
 * Is request rid wanted at block head (tag)? (decide, on the views read
 * now.) Out: *yes, *info, *flags.
 */
static int
wanted(denai_watch *w, const denai_u256 *rid, uint64_t head, const char *tag,
    denai_request_info *info, int *yes, unsigned *flags, denai_err *err)
{
	rview v;

	*yes = 0;
	*flags = 0;
	if (denai_oracle_request_view(w->oracle, w->rpc, w->dep.oracle, rid,
	    w->opts.has_miner ? w->opts.miner : NULL, tag, &v.info, &v.sub,
	    &v.si, err) != 0)
		return -1;
	*info = v.info;
	*yes = decide(w, head, &v, flags);
	return 0;
}

/* The views of the request the head is likeliest to hold (the one after
 * the last seen), asked with the head's logs in one batch. */
typedef struct spec {
	int ok;
	denai_u256 id;
	rview v;
} spec;

/*
 * Whether the head's bloom says it may hold a PredictionRequested of the
 * oracle: when it says no, no log of it is there (a bloom has no false
 * negatives) and its logs need not be asked for.
 */
static int
may_request(const denai_watch *w, const denai_rpc_block *b)
{
	uint8_t topic[32];

	if (!b->has_bloom)
		return 1;
	denai_abi_topic0(topic, denai_oracle_event(w->oracle,
	    DENAI_EV_REQUESTED));
	return denai_bloom_may_have(b->bloom, w->dep.oracle, DENAI_ADDR_LEN) &&
	    denai_bloom_may_have(b->bloom, topic, 32);
}

/*
 * The head's logs, by its hash, in one batch with the views of the
 * request after the last one seen (*sp). Returns: 0, or -1 (the caller
 * asks for the logs alone).
 */
static int
logs_with_spec(denai_watch *w, const uint8_t tip[32], const char *tag,
    json_t **logs, spec *sp, denai_err *err)
{
	json_t *p = json_pack("[o]", block_filter(w, tip));
	denai_rpc_req q;
	int rc = -1;

	memset(&q, 0, sizeof(q));
	memset(sp, 0, sizeof(*sp));
	*logs = NULL;
	if (p == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	q.method = "eth_getLogs";
	q.params = p;
	denai_u256_from_u64(&sp->id, w->last_id + 1);
	if (denai_oracle_request_view_with(w->oracle, w->rpc, w->dep.oracle,
	    &sp->id, w->opts.has_miner ? w->opts.miner : NULL, tag,
	    &sp->v.info, &sp->v.sub, &sp->v.si, &q, 1, err) == 0 &&
	    !q.error.set && json_is_array(q.result)) {
		*logs = json_incref(q.result);
		sp->ok = 1;
		rc = 0;
	}
	denai_rpc_req_clear(&q);
	json_decref(p);
	return rc;
}

/* Notes rid as seen: the next head's likeliest request is the one after. */
static void
note_id(denai_watch *w, const denai_u256 *rid)
{
	denai_u256 big;

	denai_u256_from_u64(&big, UINT64_MAX - 1);
	if (denai_u256_cmp(rid, &big) < 0 && rid->w[0] > w->last_id)
		w->last_id = rid->w[0];
}

static int
id_of(denai_u256 *rid, const json_t *rec, denai_err *err)
{
	const char *id = json_string_value(json_object_get(rec, "request_id"));

	if (id == NULL)
		return denai_err_set(err, DENAI_EDATA, "record has no request_id");
	return denai_u256_parse(rid, id, strlen(id), err);
}

/* The re-offer table: when each request was last offered, and how long
 * to wait before offering it again. */
static offered *
offered_find(denai_watch *w, const denai_u256 *rid)
{
	for (size_t i = 0; i < w->noff; i++)
		if (denai_u256_cmp(&w->off[i].id, rid) == 0)
			return &w->off[i];
	return NULL;
}

static void
offered_drop(denai_watch *w, offered *o)
{
	*o = w->off[--w->noff];
}

/* Notes that rid was offered at head. Returns: 0 or -1 (no memory). */
static int
offered_note(denai_watch *w, const denai_u256 *rid, uint64_t head,
    denai_err *err)
{
	offered *o;

	if (!w->opts.has_miner || w->opts.reoffer_after == 0)
		return 0;
	if ((o = offered_find(w, rid)) != NULL) {
		o->at = head;
		o->wait = o->wait < (UINT64_MAX >> 2) ? 2 * o->wait : o->wait;
		return 0;
	}
	if (w->noff == w->offcap) {
		size_t nc = w->offcap ? 2 * w->offcap : 64;
		offered *n = realloc(w->off, nc * sizeof(*n));
		if (n == NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		w->off = n;
		w->offcap = nc;
	}
	o = &w->off[w->noff++];
	o->id = *rid;
	o->at = head;
	o->wait = w->opts.reoffer_after;
	return 0;
}

/* Emits rec, counting it seen and offered at head. */
static int
emit_one(denai_watch *w, json_t *rec, const denai_u256 *rid, unsigned flags,
    uint64_t head, denai_watch_emit_fn emit, void *ctx, denai_err *err)
{
	uint64_t k = request_key(rec);

	if (flags & SEALED)
		json_object_set_new(rec, "sealed", json_true());

	if (!seen_has(w, k))
		seen_add(w, k);
	if (offered_note(w, rid, head, err) != 0)
		return -1;
	return emit(ctx, rec, err);
}

/* A batch's candidates are policy items whose ctx is the record (NULL
 * until fetched). */
static void
items_free(denai_policy_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(it[i].ctx);
	free(it);
}

static int
items_add(denai_policy_item **it, size_t *n, size_t *cap,
    const denai_u256 *rid, const denai_u256 *tip, unsigned flags,
    json_t *rec, denai_err *err)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		denai_policy_item *ni = realloc(*it, nc * sizeof(*ni));
		if (ni == NULL) {
			json_decref(rec);
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		}
		*it = ni;
		*cap = nc;
	}
	(*it)[*n].id = *rid;
	(*it)[*n].tip = *tip;
	(*it)[*n].ctx = rec;
	(*it)[*n].flags = flags;
	(*n)++;
	return 0;
}

/* Emits the batch in the policy's order; records not yet fetched are
 * fetched at head (one whose log is not there is skipped). */
static int
emit_batch(denai_watch *w, denai_policy_item *it, size_t n, uint64_t head,
    denai_watch_emit_fn emit, void *ctx, denai_err *err)
{
	int emitted = 0;

	denai_policy_sort(&w->opts.policy, it, n);
	for (size_t i = 0; i < n; i++) {
		if (it[i].ctx == NULL) {
			json_t *rec;
			if (record_of(w, &it[i].id, head, &rec, err) != 0)
				return -1;
			if (rec == NULL)
				continue;
			it[i].ctx = rec;
		}
		if (emit_one(w, it[i].ctx, &it[i].id, it[i].flags, head, emit,
		    ctx, err) != 0)
			return -1;
		emitted++;
	}
	return emitted;
}

static void
tag_of(char tag[24], uint64_t n)
{
	snprintf(tag, 24, "0x%llx", (unsigned long long)n);
}

int
denai_watch_scan_open(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    denai_err *err)
{
	json_t *r = NULL, *args, *ids, *v;
	denai_policy_item *it = NULL;
	denai_request_info info;
	denai_u256 rid;
	uint64_t head, lanes = 0, off;
	size_t n = 0, cap = 0, i;
	uint8_t hash[32];
	char tag[24];
	int rc = -1, e, yes, pass;
	unsigned flags;

	/* Every view at one block: the head read first. A request made
	 * after it is the next poll's. */
	if (denai_rpc_block_number(w->rpc, &head, err) != 0)
		return -1;
	tag_of(tag, head);
	if (denai_oracle_call_at(w->oracle, w->rpc, w->dep.oracle,
	    DENAI_FN_LANE_COUNT, NULL, tag, &r, err) != 0)
		return -1;
	{
		const char *s = json_string_value(json_array_get(r, 0));
		lanes = s ? strtoull(s, NULL, 10) : 0;
	}
	json_decref(r);
	r = NULL;
	/* Plain requests, then sealed ones taking seals (a contract from
	 * before sealed requests has no openSealedRequests: none). */
	for (pass = 0; pass < 2; pass++)
	for (off = 0; off < lanes; off += PAGE) {
		args = json_pack("[II]", (json_int_t)off, (json_int_t)PAGE);
		e = denai_oracle_call_at(w->oracle, w->rpc, w->dep.oracle,
		    pass == 0 ? DENAI_FN_OPEN_REQUESTS : DENAI_FN_OPEN_SEALED,
		    args, tag, &r, err);
		json_decref(args);
		if (e != 0 && pass == 1 && err != NULL &&
		    err->code == DENAI_ESTATE)
			break;
		if (e != 0)
			goto out;
		ids = json_array_get(r, 0);
		json_array_foreach(ids, i, v) {
			const char *id = json_string_value(v);
			json_t *rec = NULL;
			if (id == NULL || denai_u256_parse(&rid, id, strlen(id),
			    err) != 0 || wanted(w, &rid, head, tag, &info, &yes,
			    &flags, err) != 0)
				goto out;
			if (!yes)
				continue;
			/* Without a miner to ask, the checkpoint tells what
			 * went out already; with one, the chain does. */
			if (!w->opts.has_miner) {
				if (record_of(w, &rid, head, &rec, err) != 0)
					goto out;
				if (rec == NULL || seen_has(w, request_key(rec))) {
					json_decref(rec);
					continue;
				}
			}
			if (items_add(&it, &n, &cap, &rid, &info.tip, flags,
			    rec, err) != 0)
				goto out;
		}
		json_decref(r);
		r = NULL;
	}
	if ((e = emit_batch(w, it, n, head, emit, ctx, err)) < 0)
		goto out;
	if (!w->started) {
		if (block_hash(w, head, hash, err) != 0)
			goto out;
		w->next = head + 1;
		ring_add(w, head, hash);
		w->started = 1;
	}
	w->scanned = head;
	rc = e;
out:
	json_decref(r);
	items_free(it, n);
	return rc;
}

int
denai_watch_reoffer(denai_watch *w, denai_watch_emit_fn emit, void *ctx,
    denai_err *err)
{
	denai_policy_item *it = NULL;
	denai_request_info info;
	denai_u256 *due = NULL;
	uint64_t head;
	size_t n = 0, cap = 0, ndue = 0, i;
	char tag[24];
	int rc = -1, yes;
	unsigned flags;
	offered *o;

	if (!w->opts.has_miner || w->opts.reoffer_after == 0 || w->noff == 0)
		return 0;
	/* The head the poll just read, if it read one. */
	if ((head = w->head) == 0 &&
	    denai_rpc_block_number(w->rpc, &head, err) != 0)
		return -1;
	if ((due = calloc(w->noff, sizeof(*due))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (i = 0; i < w->noff; i++)
		if (head >= w->off[i].at + w->off[i].wait)
			due[ndue++] = w->off[i].id;
	tag_of(tag, head);
	for (i = 0; i < ndue; i++) {
		if (wanted(w, &due[i], head, tag, &info, &yes, &flags, err) != 0)
			goto out;
		if (!yes) {
			/* Answered, closed or expired: done with it. */
			if ((o = offered_find(w, &due[i])) != NULL)
				offered_drop(w, o);
			continue;
		}
		if (items_add(&it, &n, &cap, &due[i], &info.tip, flags, NULL,
		    err) != 0)
			goto out;
	}
	rc = emit_batch(w, it, n, head, emit, ctx, err);
out:
	free(due);
	items_free(it, n);
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

/*
 * A poll's start: the head, and the blocks scanned checked against the
 * chain. Following with no confirmations, one call (the head block)
 * answers both when the head is the last block scanned (nothing new) or
 * its child; otherwise check_reorg does as before.
 * Out: *head; *has_tip = 1 with tip the head's hash when it was read.
 */
static int
poll_start(denai_watch *w, uint64_t *head, denai_rpc_block *b, int *has_tip,
    denai_err *err)
{
	const mark *last = w->nring > 0 ? &w->ring[w->nring - 1] : NULL;

	*has_tip = 0;
	if (w->opts.confirmations > 0 || last == NULL) {
		if (check_reorg(w, err) != 0)
			return -1;
		return denai_rpc_block_number(w->rpc, head, err);
	}
	if (denai_rpc_get_block(w->rpc, "latest", b, err) != 0)
		return -1;
	*head = b->number;
	*has_tip = 1;
	if ((b->number == last->number &&
	    memcmp(b->hash, last->hash, 32) == 0) ||
	    (b->number == last->number + 1 &&
	    memcmp(b->parent_hash, last->hash, 32) == 0))
		return 0;
	return check_reorg(w, err);
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
	denai_policy_item *it = NULL;
	denai_request_info info;
	denai_u256 rid;
	uint8_t hash[32];
	const uint8_t *tip;
	denai_rpc_block tb = { 0 };
	size_t i, n = 0, cap = 0;
	char tag[24];
	int emitted = 0, e, yes, has_tip, one;
	unsigned flags;
	spec sp = { 0 };

	*caught_up = 0;
	if (poll_start(w, &head, &tb, &has_tip, err) != 0)
		return -1;
	tip = tb.hash;
	w->head = head;
	tag_of(tag, head);
	safe = head >= w->opts.confirmations ? head - w->opts.confirmations : 0;
	if (w->next > safe) {
		*caught_up = 1;
		return 0;
	}
	for (;;) {
		to = w->next + w->range - 1;
		if (to > safe || to < w->next)
			to = safe;
		/* The head alone, its hash in hand: its logs by that hash;
		 * none asked for when its bloom rules a request out, else
		 * with the views of the likeliest request (the next id). */
		one = has_tip && w->next == head && to == head;
		if (one && !may_request(w, &tb)) {
			if ((logs = json_array()) == NULL)
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			break;
		}
		if (one && w->last_id > 0 &&
		    logs_with_spec(w, tip, tag, &logs, &sp, err) == 0)
			break;
		f = one ? block_filter(w, tip) :
		    log_filter(w, w->next, to, NULL);
		e = denai_rpc_get_logs(w->rpc, f, &logs, err);
		json_decref(f);
		if (e == 0)
			break;
		if (!range_error(err) || w->range == 1)
			return -1;
		w->range = w->range / 2;
	}
	/* The hash of the range's last block, read before its logs count
	 * (the head's, read before its logs, is as good: a reorg since
	 * shows at the next poll). */
	if (has_tip && to == head)
		memcpy(hash, tip, 32);
	else if (block_hash(w, to, hash, err) != 0)
		goto fail;
	json_array_foreach(logs, i, v) {
		if (json_is_true(json_object_get(v, "removed")))
			continue;
		if ((rec = denai_oracle_request_record(w->oracle, v,
		    w->dep.chain_id, err)) == NULL)
			goto fail;
		if (seen_has(w, request_key(rec))) {
			json_decref(rec);
			continue;
		}
		if (id_of(&rid, rec, err) != 0) {
			json_decref(rec);
			goto fail;
		}
		if (sp.ok && denai_u256_cmp(&rid, &sp.id) == 0) {
			info = sp.v.info;
			yes = decide(w, head, &sp.v, &flags);
		} else if (wanted(w, &rid, head, tag, &info, &yes, &flags,
		    err) != 0) {
			json_decref(rec);
			goto fail;
		}
		note_id(w, &rid);
		if (!yes) {
			json_decref(rec);
			continue;
		}
		if (items_add(&it, &n, &cap, &rid, &info.tip, flags, rec,
		    err) != 0)
			goto fail;
	}
	if ((emitted = emit_batch(w, it, n, head, emit, ctx, err)) < 0)
		goto fail;
	items_free(it, n);
	json_decref(logs);
	ring_add(w, to, hash);
	w->next = to + 1;
	w->started = 1;
	*caught_up = w->next > safe;
	if (w->range < w->opts.range)
		w->range *= 2;
	return emitted;
fail:
	items_free(it, n);
	json_decref(logs);
	return -1;
}
