/* submit.c - the submit stage (see submit.h). */
#include "node/submit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"
#include "node/chain_read.h"
#include "node/chain_send.h"
#include "node/contract.h"
#include "node/outage.h"
#include "node/record.h"
#include "node/sealed.h"
#include "node/serve_rule.h"
#include "node/submit_check.h"

#define STAGE "submit"

typedef struct job {			/* a transaction in flight */
	unsigned ticket;
	json_t *rec;
} job;

typedef struct waiter {			/* a record waiting to be retried */
	json_t *rec;
	unsigned long line;
	uint64_t due_ms;
	uint64_t backoff_ms;
} waiter;

struct denai_submitter {
	denai_chain chain;		/* the same rpc, oracle and dep */
	denai_rpc *rpc;
	const denai_oracle *oracle;
	const denai_deployment *dep;
	denai_sender *sender;
	denai_submit_opts opts;
	denai_submit_out_fn out;
	denai_submit_note_fn note;
	void *ctx;
	uint8_t addr[DENAI_ADDR_LEN];
	job *jobs;
	size_t njobs, jcap;
	waiter *waits;			/* oldest first */
	size_t nwaits, wcap;
	denai_outage down;
	unsigned long sent, failed;
	denai_sealer *sealer;		/* with opts->state_dir, else NULL */
};

void
denai_submit_opts_default(denai_submit_opts *o)
{
	o->backoff_ms = 250;
	o->backoff_max_ms = 15000;
	o->state_dir = NULL;
}

denai_submitter *
denai_submitter_new(denai_rpc *rpc, const denai_oracle *oracle,
    const denai_deployment *dep, denai_sender *sender,
    const denai_submit_opts *opts, denai_submit_out_fn out,
    denai_submit_note_fn note, void *ctx, denai_err *err)
{
	denai_submitter *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	s->rpc = rpc;
	s->oracle = oracle;
	s->dep = dep;
	s->chain.rpc = rpc;
	s->chain.oracle = oracle;
	s->chain.dep = dep;
	s->chain.chain_id = dep->chain_id;
	s->sender = sender;
	if (opts != NULL)
		s->opts = *opts;
	else
		denai_submit_opts_default(&s->opts);
	s->out = out;
	s->note = note;
	s->ctx = ctx;
	memcpy(s->addr, denai_sender_address(sender), DENAI_ADDR_LEN);
	if (s->opts.state_dir != NULL && (s->sealer = denai_sealer_new(
	    &s->chain, sender, s->opts.state_dir, out, ctx, err)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
denai_submitter_free(denai_submitter *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->njobs; i++)
		json_decref(s->jobs[i].rec);
	for (size_t i = 0; i < s->nwaits; i++)
		json_decref(s->waits[i].rec);
	denai_sealer_free(s->sealer);
	free(s->jobs);
	free(s->waits);
	free(s);
}

unsigned long
denai_submitter_sent(const denai_submitter *s)
{
	return s->sent;
}

unsigned long
denai_submitter_failed(const denai_submitter *s)
{
	return s->failed + (s->sealer != NULL ?
	    denai_sealer_failed(s->sealer) : 0);
}

static void
fail(denai_submitter *s, const json_t *rec, unsigned long line,
    const char *msg)
{
	json_t *e = denai_record_error_new(STAGE, rec, line, msg);

	s->failed++;
	s->out(s->ctx, e);
	json_decref(e);
}

static void
finish(denai_submitter *s, json_t *rec, const char *status)
{
	json_object_set_new(rec, "status", json_string(status));
	s->out(s->ctx, rec);
}

/* The node answered: an outage, if any, is over. */
static void
node_up(denai_submitter *s)
{
	char msg[80];
	double secs;

	if (denai_outage_ok(&s->down, denai_now_ms(), &secs)) {
		snprintf(msg, sizeof(msg), "node answers again after %.1f s",
		    secs);
		s->note(s->ctx, msg);
	}
}

static void
node_down(denai_submitter *s, const char *why)
{
	char msg[400];

	if (denai_outage_fail(&s->down, denai_now_ms())) {
		snprintf(msg, sizeof(msg), "%s; retrying", why);
		s->note(s->ctx, msg);
	}
}

/* Reads a decimal or 0x field as uint256. */
static int
field(denai_u256 *v, const json_t *rec, const char *key, denai_err *err)
{
	const char *str = denai_record_str(rec, key);

	if (str == NULL)
		return denai_err_set(err, DENAI_EDATA, "record has no \"%s\"%s",
		    key, strcmp(key, "request_id") ? " (run denai-mine first)" :
		    "");
	if (denai_u256_parse(v, str, strlen(str), err) != 0)
		return denai_err_prefix(err, "\"%s\"", key);
	return 0;
}

static int
add_job(denai_submitter *s, denai_err *err)
{
	if (s->njobs == s->jcap) {
		size_t nc = s->jcap ? 2 * s->jcap : 16;
		job *nj = realloc(s->jobs, nc * sizeof(*nj));
		if (nj == NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		s->jobs = nj;
		s->jcap = nc;
	}
	return 0;
}

/*
 * One try at a record. Returns: 0 when the record is finished (out, or
 * in flight), 1 when the node could not be reached (try again later).
 */
static int
attempt(denai_submitter *s, json_t *rec, unsigned long line)
{
	denai_u256 id, pred, nonce;
	denai_submit_check ck = { 0 };
	char pd[DENAI_U256_DEC_MAX], nd[DENAI_U256_DEC_MAX],
	    idd[DENAI_U256_DEC_MAX];
	const char *miner = denai_record_str(rec, "miner"), *st;
	uint8_t m[DENAI_ADDR_LEN], *cd = NULL;
	size_t cdlen;
	json_t *args;
	denai_err err;
	int r;
	job *j;

	if (field(&id, rec, "request_id", &err) != 0 ||
	    field(&pred, rec, "prediction", &err) != 0 ||
	    field(&nonce, rec, "nonce", &err) != 0)
		goto bad;
	if (miner != NULL && (denai_secp_addr_parse(m, miner, strlen(miner),
	    &err) != 0 || memcmp(m, s->addr, DENAI_ADDR_LEN) != 0)) {
		char a[DENAI_ADDR_HEX_MAX];
		denai_err_set(&err, DENAI_EUSAGE, "the record was mined for %s, "
		    "but the key is %s", miner,
		    denai_secp_addr_checksum(a, s->addr));
		goto bad;
	}
	/* A sealed request: commit, then reveal (node/sealed.h). */
	if (denai_sealer_wants(rec)) {
		if (s->sealer == NULL) {
			denai_err_set(&err, DENAI_EUSAGE, "a sealed request "
			    "needs a state folder for its salt");
			goto bad;
		}
		if (denai_sealer_take(s->sealer, rec, &id, &pred, &err) != 0)
			goto bad;
		node_up(s);
		return 0;
	}
	/* Everything before the send in one round trip: no transaction for
	 * a closed request, nor for one that would revert; the gas limit is
	 * the contract's, enough for any submission, also the one that
	 * fulfils the request and calls back (node/submit_check.h). */
	args = json_pack("[sss]", denai_u256_to_dec(idd, &id),
	    denai_u256_to_dec(pd, &pred), denai_u256_to_dec(nd, &nonce));
	if (args == NULL) {
		denai_err_set(&err, DENAI_ENOMEM, "out of memory");
		goto bad;
	}
	r = denai_submit_check_run(&ck, s->oracle, s->rpc, s->dep->oracle,
	    s->addr, &id, args, &err);
	if (r == 0)
		r = denai_oracle_calldata(s->oracle, DENAI_FN_SUBMIT, args, &cd,
		    &cdlen, &err);
	json_decref(args);
	if (r != 0)
		goto bad;
	node_up(s);
	if (ck.info.status == DENAI_REQ_NONE) {
		char d[DENAI_U256_DEC_MAX];
		denai_err_set(&err, DENAI_EDATA, "request %s does not exist",
		    denai_u256_to_dec(d, &id));
		goto bad;
	}
	if (ck.info.status != DENAI_REQ_OPEN ||
	    !denai_request_can_serve(ck.fees.head, ck.info.expires_at)) {
		st = "closed";
		goto finished;
	}
	if (ck.submitted) {
		st = "already-submitted";
		goto finished;
	}
	if (ck.refused) {
		/* The contract's refusal, by its decoded name. */
		if ((st = denai_chain_submit_outcome(&ck.rv)) != NULL)
			goto finished;
		denai_err_set(&err, DENAI_ESTATE, "submitSolution would revert: %s",
		    ck.rv.set ? ck.rv.message : "reverted without data");
		goto bad;
	}
	if (add_job(s, &err) != 0)
		goto bad;
	denai_sender_use_fees(s->sender, &ck.fees);
	j = &s->jobs[s->njobs];
	if (denai_sender_send(s->sender, s->dep->oracle, cd, cdlen, NULL,
	    ck.gas, &j->ticket, NULL, NULL, &err) != 0)
		goto bad;
	free(cd);
	denai_submit_check_clear(&ck);
	j->rec = json_incref(rec);
	s->njobs++;
	s->sent++;
	return 0;
finished:
	free(cd);
	denai_submit_check_clear(&ck);
	finish(s, rec, st);
	return 0;
bad:
	free(cd);
	denai_submit_check_clear(&ck);
	if (err.code == DENAI_EPEER) {
		node_down(s, err.msg);
		return 1;
	}
	fail(s, rec, line, err.msg);
	return 0;
}

static void
wait_add(denai_submitter *s, json_t *rec, unsigned long line, uint64_t due,
    uint64_t backoff)
{
	if (s->nwaits == s->wcap) {
		size_t nc = s->wcap ? 2 * s->wcap : 16;
		waiter *nw = realloc(s->waits, nc * sizeof(*nw));
		if (nw == NULL) {
			fail(s, rec, line, "out of memory");
			return;
		}
		s->waits = nw;
		s->wcap = nc;
	}
	s->waits[s->nwaits].rec = json_incref(rec);
	s->waits[s->nwaits].line = line;
	s->waits[s->nwaits].due_ms = due;
	s->waits[s->nwaits].backoff_ms = backoff;
	s->nwaits++;
}

void
denai_submitter_take(denai_submitter *s, json_t *rec, unsigned long line)
{
	/* Not a request, or one an earlier stage already closed
	 * (denai-mine --check-open): pass it on as it is. */
	if (!denai_record_is(rec, "request") ||
	    (json_object_get(rec, "status") != NULL &&
	    json_object_get(rec, "nonce") == NULL)) {
		s->out(s->ctx, rec);
		return;
	}
	/* While the node is down, or others wait, queue behind them. */
	if (s->down.down || s->nwaits > 0) {
		wait_add(s, rec, line, denai_now_ms(), s->opts.backoff_ms);
		return;
	}
	if (attempt(s, rec, line) == 1)
		wait_add(s, rec, line, denai_now_ms() + s->opts.backoff_ms,
		    s->opts.backoff_ms);
}

int
denai_submitter_track(denai_submitter *s, json_t *rec, unsigned ticket,
    denai_err *err)
{
	if (add_job(s, err) != 0)
		return -1;
	s->jobs[s->njobs].ticket = ticket;
	s->jobs[s->njobs].rec = json_incref(rec);
	s->njobs++;
	s->sent++;
	return 0;
}

void
denai_submitter_take_line(denai_submitter *s, const char *line, size_t len,
    unsigned long lineno)
{
	json_t *rec;
	denai_err err;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	if (denai_record_parse(&rec, line, len, &err) != 0) {
		denai_err_prefix(&err, "line %lu", lineno);
		fail(s, NULL, lineno, err.msg);
		return;
	}
	denai_submitter_take(s, rec, lineno);
	json_decref(rec);
}

void
denai_submitter_bad_line(denai_submitter *s, unsigned long lineno,
    const char *msg)
{
	fail(s, NULL, lineno, msg);
}

static void
done(void *ctx, const denai_sender_done *d)
{
	denai_submitter *s = ctx;
	char hex[67];
	denai_request_info info;
	denai_u256 id;
	denai_err err;
	size_t i;
	json_t *rec;

	for (i = 0; i < s->njobs && s->jobs[i].ticket != d->ticket; i++)
		;
	if (i == s->njobs) {
		if (s->sealer != NULL)
			(void)denai_sealer_done(s->sealer, d);
		return;
	}
	rec = s->jobs[i].rec;
	s->jobs[i] = s->jobs[--s->njobs];
	/* The request's own transaction and block keep their values. */
	if (json_object_get(rec, "tx_hash") != NULL)
		json_object_set(rec, "request_tx_hash",
		    json_object_get(rec, "tx_hash"));
	if (json_object_get(rec, "block_number") != NULL)
		json_object_set(rec, "request_block_number",
		    json_object_get(rec, "block_number"));
	json_object_set_new(rec, "tx_hash",
	    json_string(denai_hex_encode(hex, d->hash, 32)));
	if (d->receipt == NULL) {
		fail(s, rec, 0, "transaction not mined after the last fee bump");
	} else {
		json_object_set_new(rec, "gas_used",
		    json_integer((json_int_t)d->gas_used));
		json_object_set_new(rec, "block_number",
		    json_integer((json_int_t)d->block_number));
		if (d->ok)
			finish(s, rec, "mined");
		else if (field(&id, rec, "request_id", &err) == 0 &&
		    denai_oracle_get_request(s->oracle, s->rpc,
		    s->dep->oracle, &id, &info, &err) == 0 &&
		    info.status != DENAI_REQ_OPEN)
			finish(s, rec, "closed");	/* lost the race */
		else
			finish(s, rec, "reverted");
	}
	json_decref(rec);
}

size_t
denai_submitter_step(denai_submitter *s)
{
	uint64_t now = denai_now_ms();
	denai_err err;
	size_t i = 0;

	/* Oldest first; while the node is down, one probe at a time
	 * (attempt never touches the waiting list). */
	while (i < s->nwaits) {
		waiter *w = &s->waits[i];
		if (w->due_ms > now) {
			if (s->down.down)
				break;
			i++;
			continue;
		}
		if (attempt(s, w->rec, w->line) == 1) {
			w->backoff_ms = w->backoff_ms * 2 > s->opts.backoff_max_ms ?
			    s->opts.backoff_max_ms : w->backoff_ms * 2;
			w->due_ms = denai_now_ms() + w->backoff_ms;
			break;
		}
		json_decref(w->rec);
		memmove(w, w + 1, (s->nwaits - i - 1) * sizeof(*w));
		s->nwaits--;
		now = denai_now_ms();
	}
	if (s->sealer != NULL && denai_sealer_pending(s->sealer) > 0) {
		int r = denai_sealer_step(s->sealer, &err);
		if (r < 0)
			node_down(s, err.msg);
		else if (r > 0)
			node_up(s);
	}
	if (s->njobs > 0 || (s->sealer != NULL &&
	    denai_sealer_in_flight(s->sealer) > 0)) {
		if (denai_sender_poll(s->sender, done, s, &err) < 0) {
			if (err.code == DENAI_EPEER)
				node_down(s, err.msg);
		} else {
			node_up(s);
		}
	}
	return s->nwaits + s->njobs + (s->sealer != NULL ?
	    denai_sealer_pending(s->sealer) : 0);
}

int
denai_submitter_wait_ms(const denai_submitter *s)
{
	uint64_t sent = denai_sender_newest_ms(s->sender), age;

	if (sent == 0)
		return 100;
	age = denai_now_ms() - sent;
	return age / 4 < 2 ? 2 : age / 4 > 100 ? 100 : (int)(age / 4);
}

void
denai_submitter_abandon(denai_submitter *s, const char *why)
{
	for (size_t i = 0; i < s->njobs; i++) {
		fail(s, s->jobs[i].rec, 0, why);
		json_decref(s->jobs[i].rec);
	}
	s->njobs = 0;
	for (size_t i = 0; i < s->nwaits; i++) {
		fail(s, s->waits[i].rec, s->waits[i].line, why);
		json_decref(s->waits[i].rec);
	}
	s->nwaits = 0;
	if (s->sealer != NULL)
		denai_sealer_abandon(s->sealer, why);
}
