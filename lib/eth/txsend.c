/* txsend.c - nonces, fees, receipts and replacements for one key. */
#include "eth/txsend.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "eth/hex.h"
#include "eth/tx.h"

#define MAX_VERSIONS 8

typedef struct pending {
	unsigned ticket;
	denai_tx tx;			/* tx.data points at data */
	uint8_t *data;
	uint8_t hashes[MAX_VERSIONS][32];
	unsigned nversions;
	uint64_t sent_ms;
	json_t *early;			/* its receipt, from a sync send */
	struct pending *next;
} pending;

struct denai_sender {
	denai_rpc *rpc;
	uint8_t sk[32];
	uint8_t addr[DENAI_ADDR_LEN];
	uint64_t chain_id;
	uint64_t nonce;
	unsigned next_ticket;
	denai_sender_opts opts;
	pending *pend;
	size_t npend;
	denai_fee_figures fees;	/* the next send's, when has_fees */
	int has_fees;
	int sync;		/* send with eth_sendRawTransactionSync:
				 * 1 yes, 0 not yet, -1 never */
	unsigned instant;	/* receipts there at the first look */
};

uint64_t
denai_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
denai_sender_opts_default(denai_sender_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->gas_margin_pct = 25;
	o->replace_after_ms = 20000;
	o->bump_pct = 25;
	o->max_bumps = 5;
}

denai_sender *
denai_sender_new(denai_rpc *rpc, const uint8_t sk[32], uint64_t chain_id,
    const denai_sender_opts *opts, denai_err *err)
{
	denai_sender *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	s->rpc = rpc;
	memcpy(s->sk, sk, 32);
	s->chain_id = chain_id;
	s->next_ticket = 1;
	if (opts != NULL)
		s->opts = *opts;
	else
		denai_sender_opts_default(&s->opts);
	if (denai_secp_address(s->addr, sk, err) != 0 ||
	    denai_rpc_nonce(rpc, s->addr, "pending", &s->nonce, err) != 0) {
		denai_sender_free(s);
		return NULL;
	}
	return s;
}

static void
pending_free(pending *p)
{
	json_decref(p->early);
	free(p->data);
	free(p);
}

void
denai_sender_free(denai_sender *s)
{
	pending *p, *n;

	if (s == NULL)
		return;
	for (p = s->pend; p != NULL; p = n) {
		n = p->next;
		pending_free(p);
	}
	explicit_bzero(s->sk, sizeof(s->sk));
	free(s);
}

const uint8_t *
denai_sender_address(const denai_sender *s)
{
	return s->addr;
}

size_t
denai_sender_pending(const denai_sender *s)
{
	return s->npend;
}

static int
value_hex(char out[DENAI_U256_HEX_MAX], const denai_u256 *value)
{
	denai_u256 zero = {{0, 0, 0, 0}};

	denai_u256_to_hex(out, value ? value : &zero);
	return 0;
}

int
denai_sender_estimate(denai_sender *s, uint64_t *gas, denai_rpc_error *rerr,
    const uint8_t *to, const uint8_t *data, size_t len,
    const denai_u256 *value, denai_err *err)
{
	char v[DENAI_U256_HEX_MAX];
	json_t *call;
	int rc;

	value_hex(v, value);
	if ((call = denai_rpc_tx_object(to, s->addr, data, len, v)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_rpc_estimate_gas(s->rpc, gas, rerr, call, err);
	json_decref(call);
	return rc;
}

int
denai_sender_gas_limit(denai_sender *s, uint64_t *gas, denai_rpc_error *rerr,
    const uint8_t *to, const uint8_t *data, size_t len,
    const denai_u256 *value, denai_err *err)
{
	if (denai_sender_estimate(s, gas, rerr, to, data, len, value, err) != 0)
		return -1;
	*gas += *gas * s->opts.gas_margin_pct / 100;
	return 0;
}

/* Sets the fee fields of tx from the node's current figures. */
static int
set_fees(denai_sender *s, denai_tx *tx, denai_err *err)
{
	denai_u256 base, prio, two_base;
	int has_prio;

	if (s->opts.legacy) {
		tx->type = DENAI_TX_LEGACY;
		return denai_rpc_gas_price(s->rpc, &tx->gas_price, err);
	}
	tx->type = DENAI_TX_EIP1559;
	if (s->has_fees) {
		base = s->fees.base;
		prio = s->fees.priority;
		has_prio = s->fees.has_priority;
		s->has_fees = 0;
	} else if (denai_rpc_fee_figures(s->rpc, &base, &prio, &has_prio,
	    err) != 0)
		return -1;
	if (!has_prio)
		denai_u256_from_u64(&prio, 1000000000);	/* 1 gwei */
	denai_u256_add(&two_base, &base, &base);
	denai_u256_add(&tx->max_fee, &two_base, &prio);
	tx->max_priority_fee = prio;
	return 0;
}

/* Raises every fee of tx by pct percent (at least 1 wei). */
static void
bump_fees(denai_tx *tx, unsigned pct)
{
	denai_u256 *f[] = {&tx->gas_price, &tx->max_priority_fee, &tx->max_fee};
	denai_u256 add, one;
	uint64_t rem;

	denai_u256_from_u64(&one, 1);
	for (size_t i = 0; i < 3; i++) {
		denai_u256_div_small(&add, &rem, f[i], 100);
		(void)denai_u256_mul_small(&add, &add, pct);
		denai_u256_add(&add, &add, &one);
		denai_u256_add(f[i], f[i], &add);
	}
}

/*
 * Signs and sends tx. On a chain that mines each transaction at once (its
 * receipts were there at the first look, INSTANT times), the send is
 * eth_sendRawTransactionSync (EIP-7966), which answers with the receipt:
 * one round trip where a send and a receipt took two. A node without the
 * method, or one that kept a sync send waiting, is not asked again.
 * Out: hash; *early (when not NULL), the receipt of a sync send.
 */
#define INSTANT 2
#define INSTANT_MS 50		/* a receipt this soon after the send */
#define SYNC_SLOW_MS 1000	/* a sync send this slow: not again */

static int
sign_send(denai_sender *s, const denai_tx *tx, uint8_t hash[32],
    json_t **early, denai_err *err)
{
	uint8_t *raw = NULL, got[32];
	size_t rawlen;
	json_t *rc = NULL;
	int r, unknown = 0;

	if (denai_tx_sign(&raw, &rawlen, hash, tx, s->sk, err) != 0)
		return -1;
	if (s->sync == 1 && early != NULL) {
		uint64_t t0 = denai_now_ms();

		r = denai_rpc_send_raw_sync(s->rpc, raw, rawlen, &rc, &unknown,
		    err);
		if (denai_now_ms() - t0 > SYNC_SLOW_MS || unknown != 0)
			s->sync = -1;
		if (unknown != 1) {
			free(raw);
			*early = rc;
			return r;
		}
		/* the method is unknown: nothing was sent */
	}
	r = denai_rpc_send_raw(s->rpc, raw, rawlen, got, err);
	free(raw);
	return r;
}

static int
nonce_error(const denai_err *e)
{
	/* A fresh transaction refused as an "underpriced replacement" found
	 * its nonce taken by another pending one: another process sends from
	 * this key (queue workers), the same collision as "nonce too low". */
	return e->code == DENAI_ESTATE && (strcasestr(e->msg, "nonce") != NULL ||
	    strcasestr(e->msg, "replacement transaction underpriced") != NULL);
}

void
denai_sender_use_fees(denai_sender *s, const denai_fee_figures *f)
{
	s->fees = *f;
	s->has_fees = 1;
}

uint64_t
denai_sender_newest_ms(const denai_sender *s)
{
	uint64_t t = 0;

	for (const pending *p = s->pend; p != NULL; p = p->next)
		if (p->sent_ms > t)
			t = p->sent_ms;
	return t;
}

int
denai_sender_send(denai_sender *s, const uint8_t *to, const uint8_t *data,
    size_t len, const denai_u256 *value, uint64_t gas, unsigned *ticket,
    uint8_t hash[32], uint64_t *nonce, denai_err *err)
{
	pending *p;
	denai_err e2;
	uint8_t h[32];

	if (gas == 0) {
		if (denai_sender_gas_limit(s, &gas, NULL, to, data, len, value,
		    err) != 0)
			return -1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (len > 0 && (p->data = malloc(len)) == NULL)) {
		free(p);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	if (len > 0)
		memcpy(p->data, data, len);
	p->tx.chain_id = s->chain_id;
	p->tx.gas = gas;
	p->tx.has_to = to != NULL;
	if (to != NULL)
		memcpy(p->tx.to, to, DENAI_ADDR_LEN);
	if (value != NULL)
		p->tx.value = *value;
	p->tx.data = p->data;
	p->tx.datalen = len;
	if (set_fees(s, &p->tx, err) != 0)
		goto fail;
	p->tx.nonce = s->nonce;
	/* Someone else used this key (several queue workers may hold it),
	 * or a restart lost count: read the nonce again, a few times. */
	for (int tries = 0; sign_send(s, &p->tx, h, &p->early, &e2) != 0;
	    tries++) {
		if (!nonce_error(&e2) || tries == 5) {
			if (err != NULL)
				*err = e2;
			goto fail;
		}
		if (denai_rpc_nonce(s->rpc, s->addr, "pending", &s->nonce,
		    err) != 0)
			goto fail;
		p->tx.nonce = s->nonce;
	}
	s->nonce++;
	memcpy(p->hashes[0], h, 32);
	p->nversions = 1;
	p->sent_ms = denai_now_ms();
	p->ticket = s->next_ticket++;
	p->next = s->pend;
	s->pend = p;
	s->npend++;
	if (ticket != NULL)
		*ticket = p->ticket;
	if (hash != NULL)
		memcpy(hash, h, 32);
	if (nonce != NULL)
		*nonce = p->tx.nonce;
	return 0;
fail:
	pending_free(p);
	return -1;
}

static int
receipt_u64(const json_t *r, const char *key, uint64_t *v)
{
	return denai_rpc_quantity_u64(v, json_object_get(r, key), NULL);
}

/* Replaces p by the same nonce with higher fees. */
static void
replace(denai_sender *s, pending *p)
{
	uint8_t h[32];
	denai_tx tx = p->tx;

	bump_fees(&tx, s->opts.bump_pct);
	if (sign_send(s, &tx, h, NULL, NULL) == 0) {
		p->tx = tx;
		memcpy(p->hashes[p->nversions++], h, 32);
	}
	p->sent_ms = denai_now_ms();
}

int
denai_sender_poll(denai_sender *s, denai_sender_done_fn done, void *ctx,
    denai_err *err)
{
	pending **pp = &s->pend, *p;
	denai_sender_done d;
	json_t *rc;
	uint64_t st;
	int failed = 0;

	while ((p = *pp) != NULL) {
		rc = NULL;
		memset(&d, 0, sizeof(d));
		if (p->early != NULL) {
			/* a sync send's: mined already */
			rc = p->early;
			p->early = NULL;
			memcpy(d.hash, p->hashes[p->nversions - 1], 32);
		}
		for (unsigned v = p->nversions; v-- > 0 && rc == NULL;) {
			if (denai_rpc_receipt(s->rpc, p->hashes[v], &rc, err) != 0) {
				failed = 1;
				break;
			}
			if (rc != NULL)
				memcpy(d.hash, p->hashes[v], 32);
		}
		if (failed)
			break;
		/* mined by the first look: the chain mines at once */
		if (rc != NULL && s->sync == 0 && p->nversions == 1 &&
		    denai_now_ms() - p->sent_ms <= INSTANT_MS &&
		    ++s->instant >= INSTANT)
			s->sync = 1;
		if (rc == NULL) {
			if (denai_now_ms() - p->sent_ms < s->opts.replace_after_ms) {
				pp = &p->next;
				continue;
			}
			if (p->nversions < MAX_VERSIONS &&
			    p->nversions <= s->opts.max_bumps) {
				replace(s, p);
				pp = &p->next;
				continue;
			}
			memcpy(d.hash, p->hashes[p->nversions - 1], 32);
		}
		d.ticket = p->ticket;
		d.receipt = rc;
		d.replaced = p->nversions - 1;
		if (rc != NULL) {
			d.ok = receipt_u64(rc, "status", &st) == 0 && st == 1;
			(void)receipt_u64(rc, "gasUsed", &d.gas_used);
			(void)receipt_u64(rc, "blockNumber", &d.block_number);
		}
		*pp = p->next;
		s->npend--;
		if (done != NULL)
			done(ctx, &d);
		json_decref(rc);
		pending_free(p);
	}
	return failed ? -1 : (int)s->npend;
}

struct wait_one {
	unsigned ticket;
	json_t *receipt;
	int seen;
};

static void
wait_done(void *ctx, const denai_sender_done *d)
{
	struct wait_one *w = ctx;

	if (d->ticket != w->ticket)
		return;
	w->seen = 1;
	if (d->receipt != NULL)
		w->receipt = json_incref(d->receipt);
}

int
denai_sender_send_wait(denai_sender *s, const uint8_t *to,
    const uint8_t *data, size_t len, const denai_u256 *value, uint64_t gas,
    uint64_t timeout_ms, json_t **receipt, uint8_t hash[32], denai_err *err)
{
	struct wait_one w = {0, NULL, 0};
	uint64_t start = denai_now_ms(), delay = 50;

	*receipt = NULL;
	if (denai_sender_send(s, to, data, len, value, gas, &w.ticket, hash,
	    NULL, err) != 0)
		return -1;
	for (;;) {
		if (denai_sender_poll(s, wait_done, &w, err) < 0)
			return -1;
		if (w.seen)
			break;
		if (denai_now_ms() - start > timeout_ms)
			return denai_err_set(err, DENAI_EPEER,
			    "transaction not mined after %llu ms",
			    (unsigned long long)timeout_ms);
		usleep((useconds_t)delay * 1000);
		if (delay < 500)
			delay *= 2;
	}
	if (w.receipt == NULL)
		return denai_err_set(err, DENAI_EPEER,
		    "transaction not mined after %u fee bumps",
		    s->opts.max_bumps);
	*receipt = w.receipt;
	return 0;
}
