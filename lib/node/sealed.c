/* node/sealed.c - commit, then reveal, from a state folder (see sealed.h). */
#include "node/sealed.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/hex.h"
#include "fileio.h"
#include "node/chain_send.h"
#include "node/oracle.h"
#include "node/record.h"
#include "node/seal.h"
#include "node/seal_state.h"
#include "node/serve_rule.h"

#define STAGE "submit"

enum phase {
	P_CHECK,	/* ask the chain what to do next */
	P_COMMITTING,	/* commitSolution in flight */
	P_WAIT,		/* committed; waiting for the reveal phase */
	P_REVEALING,	/* revealSolution in flight */
	P_DONE		/* out; to be dropped */
};

typedef struct entry {
	denai_seal_state st;	/* st.record: the record that goes out */
	int have_salt;		/* st holds the salt behind our seal */
	enum phase phase;
	unsigned ticket;
	uint64_t checked;	/* head at the last check in P_WAIT */
} entry;

struct denai_sealer {
	denai_chain chain;
	denai_sender *sender;
	char dir[PATH_MAX];
	denai_sealed_out_fn out;
	void *ctx;
	uint8_t addr[DENAI_ADDR_LEN];
	entry *e;
	size_t n, cap;
	unsigned long failed;
};

int
denai_sealer_wants(const json_t *rec)
{
	return json_is_true(json_object_get(rec, "sealed"));
}

static entry *
add(denai_sealer *z, denai_err *err)
{
	if (z->n == z->cap) {
		size_t nc = z->cap ? 2 * z->cap : 8;
		entry *ne = realloc(z->e, nc * sizeof(*ne));
		if (ne == NULL) {
			denai_err_set(err, DENAI_ENOMEM, "out of memory");
			return NULL;
		}
		z->e = ne;
		z->cap = nc;
	}
	memset(&z->e[z->n], 0, sizeof(z->e[z->n]));
	return &z->e[z->n++];
}

denai_sealer *
denai_sealer_new(const denai_chain *chain, denai_sender *sender,
    const char *state_dir, denai_sealed_out_fn out, void *ctx,
    denai_err *err)
{
	denai_sealer *z = calloc(1, sizeof(*z));
	denai_seal_state *list = NULL;
	size_t n = 0, i;
	entry *e;

	if (z == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	z->chain = *chain;
	z->sender = sender;
	z->out = out;
	z->ctx = ctx;
	memcpy(z->addr, denai_sender_address(sender), DENAI_ADDR_LEN);
	if (snprintf(z->dir, sizeof(z->dir), "%s", state_dir) >=
	    (int)sizeof(z->dir)) {
		denai_err_set(err, DENAI_EUSAGE, "state folder name too long");
		goto fail;
	}
	if (denai_mkdirs_mode(z->dir, 0700, err) != 0 ||
	    denai_seal_state_all(&list, &n, z->dir, err) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((e = add(z, err)) == NULL)
			goto fail;
		e->st = list[i];
		memset(&list[i], 0, sizeof(list[i]));
		e->have_salt = 1;
		e->phase = P_CHECK;
	}
	free(list);
	return z;
fail:
	for (i = 0; i < n; i++)
		denai_seal_state_clear(&list[i]);
	free(list);
	denai_sealer_free(z);
	return NULL;
}

void
denai_sealer_free(denai_sealer *z)
{
	if (z == NULL)
		return;
	for (size_t i = 0; i < z->n; i++)
		denai_seal_state_clear(&z->e[i].st);
	free(z->e);
	free(z);
}

size_t
denai_sealer_pending(const denai_sealer *z)
{
	size_t k = 0;

	for (size_t i = 0; i < z->n; i++)
		k += z->e[i].phase != P_DONE;
	return k;
}

size_t
denai_sealer_in_flight(const denai_sealer *z)
{
	size_t k = 0;

	for (size_t i = 0; i < z->n; i++)
		k += z->e[i].phase == P_COMMITTING ||
		    z->e[i].phase == P_REVEALING;
	return k;
}

unsigned long
denai_sealer_failed(const denai_sealer *z)
{
	return z->failed;
}

/* The record goes out with status; its state is no longer needed. */
static void
finish(denai_sealer *z, entry *e, const char *status)
{
	json_object_set_new(e->st.record, "status", json_string(status));
	z->out(z->ctx, e->st.record);
	if (e->have_salt)
		denai_seal_state_remove(z->dir, &e->st.request_id);
	e->phase = P_DONE;
}

static void
fail(denai_sealer *z, entry *e, const char *msg)
{
	json_t *r = denai_record_error_new(STAGE, e->st.record, 0, msg);

	z->failed++;
	z->out(z->ctx, r);
	json_decref(r);
	e->phase = P_DONE;
}

/* Drops the finished entries. */
static void
sweep(denai_sealer *z)
{
	size_t k = 0;

	for (size_t i = 0; i < z->n; i++) {
		if (z->e[i].phase == P_DONE)
			denai_seal_state_clear(&z->e[i].st);
		else
			z->e[k++] = z->e[i];
	}
	z->n = k;
}

/*
 * Estimates fn(args) and sends it with a margin (and at least floor gas).
 * Out: *ticket; *refusal, the outcome a refusal means for the record
 * ("closed", "already-submitted") or NULL. Returns: 0 sent, 1 refused with
 * an outcome, -1 (err).
 */
static int
send(denai_sealer *z, enum denai_oracle_fn fn, json_t *args, uint64_t floor,
    unsigned *ticket, const char **refusal, denai_err *err)
{
	const char *name = denai_oracle_fn(z->chain.oracle, fn)->name;
	denai_revert rv = { 0 };
	uint8_t *cd = NULL;
	size_t cdlen;
	uint64_t gas;
	int rc = -1;

	*refusal = NULL;
	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (denai_oracle_calldata(z->chain.oracle, fn, args, &cd, &cdlen,
	    err) != 0)
		goto out;
	if (denai_chain_estimate(&z->chain, z->sender, &gas, &rv,
	    z->chain.dep->oracle, cd, cdlen, NULL, err) != 0) {
		if (err == NULL || err->code != DENAI_ESTATE)
			goto out;
		if ((*refusal = denai_chain_submit_outcome(&rv)) != NULL ||
		    (denai_revert_is(&rv, "NotRevealPhase") &&
		    (*refusal = "closed") != NULL)) {
			rc = 1;
			goto out;
		}
		denai_err_set(err, DENAI_ESTATE, "%s would revert: %s", name,
		    rv.set ? rv.message : "reverted without data");
		goto out;
	}
	gas += gas / 4;
	if (floor > gas)
		gas = floor;
	if (denai_sender_send(z->sender, z->chain.dep->oracle, cd, cdlen, NULL,
	    gas, ticket, NULL, NULL, err) != 0)
		goto out;
	rc = 0;
out:
	denai_revert_clear(&rv);
	free(cd);
	json_decref(args);
	return rc;
}

static int
commit(denai_sealer *z, entry *e, denai_err *err)
{
	const char *nonce = denai_record_str(e->st.record, "nonce"), *why;
	char id[DENAI_U256_DEC_MAX], seal[67];
	int r;

	if (nonce == NULL)
		return denai_err_set(err, DENAI_EDATA, "record has no \"nonce\" "
		    "(run denai-mine first)");
	if (!e->have_salt) {
		/* The state is on disk before the seal can be on the chain. */
		if (denai_seal_salt(e->st.salt, err) != 0 ||
		    denai_seal_prediction(e->st.seal, &e->st.request_id,
		    z->addr, &e->st.prediction, e->st.salt, err) != 0 ||
		    denai_seal_state_save(&e->st, z->dir, err) != 0)
			return -1;
		e->have_salt = 1;
	}
	r = send(z, DENAI_FN_COMMIT, json_pack("[sss]",
	    denai_u256_to_dec(id, &e->st.request_id),
	    denai_hex_encode(seal, e->st.seal, 32), nonce), 0, &e->ticket,
	    &why, err);
	if (r < 0)
		return -1;
	if (r == 1) {
		/* A commit of ours that landed meanwhile: wait for the reveals. */
		if (strcmp(why, "already-submitted") == 0)
			e->phase = P_WAIT;
		else
			finish(z, e, why);
		return 0;
	}
	e->phase = P_COMMITTING;
	return 0;
}

static int
reveal(denai_sealer *z, entry *e, denai_err *err)
{
	char id[DENAI_U256_DEC_MAX], p[DENAI_U256_DEC_MAX], salt[67];
	const char *why;
	uint64_t floor;
	int r;

	/* The last reveal fulfils and calls back: send what that needs. */
	denai_u256_to_dec(id, &e->st.request_id);
	if (denai_chain_submit_gas_limit(&z->chain, &floor, id, err) != 0)
		return -1;
	r = send(z, DENAI_FN_REVEAL, json_pack("[sss]", id,
	    denai_u256_to_dec(p, &e->st.prediction),
	    denai_hex_encode(salt, e->st.salt, 32)), floor, &e->ticket, &why,
	    err);
	memset(salt, 0, sizeof(salt));
	if (r < 0)
		return -1;
	if (r == 1)
		finish(z, e, why);
	else
		e->phase = P_REVEALING;
	return 0;
}

/*
 * What the chain says to do with e now: commit, wait, reveal, or finish.
 * Returns: 0, or -1 (err; DENAI_EPEER: try again later).
 */
static int
check(denai_sealer *z, entry *e, denai_err *err)
{
	const denai_oracle *o = z->chain.oracle;
	const uint8_t *at = z->chain.dep->oracle;
	denai_request_info info;
	denai_sealed_info si;
	uint64_t head;
	char d[DENAI_U256_DEC_MAX];
	int yes = 0;

	/* the three views in one round trip, then the head */
	if (denai_oracle_request_view(o, z->chain.rpc, at, &e->st.request_id,
	    z->addr, NULL, &info, &yes, &si, err) != 0 ||
	    denai_rpc_block_number(z->chain.rpc, &head, err) != 0)
		return -1;
	e->checked = head;
	if (info.status == DENAI_REQ_NONE)
		return denai_err_set(err, DENAI_EDATA, "request %s does not "
		    "exist", denai_u256_to_dec(d, &e->st.request_id));
	if (!si.sealed) {
		if (info.status == DENAI_REQ_OPEN)
			return denai_err_set(err, DENAI_EDATA, "request %s is "
			    "not sealed", denai_u256_to_dec(d,
			    &e->st.request_id));
		finish(z, e, "closed");
		return 0;
	}
	if (!yes) {
		if (si.reveal_deadline != 0 ||
		    !denai_request_can_serve(head, info.expires_at)) {
			finish(z, e, "closed");
			return 0;
		}
		return commit(z, e, err);
	}
	if (!e->have_salt) {
		finish(z, e, "already-submitted");
		return 0;
	}
	if (si.reveal_deadline == 0) {
		/* No seal can come after the expiry: the quorum never will. */
		if (!denai_request_can_serve(head, info.expires_at))
			finish(z, e, "closed");
		else
			e->phase = P_WAIT;
		return 0;
	}
	if (head >= si.reveal_deadline) {
		finish(z, e, "closed");
		return 0;
	}
	return reveal(z, e, err);
}

int
denai_sealer_take(denai_sealer *z, json_t *rec, const denai_u256 *id,
    const denai_u256 *prediction, denai_err *err)
{
	denai_seal_state kept;
	entry *e;
	int r;

	for (size_t i = 0; i < z->n; i++) {
		if (z->e[i].phase != P_DONE &&
		    denai_u256_cmp(&z->e[i].st.request_id, id) == 0) {
			/* Under way already (taken up from the folder). */
			json_object_set_new(rec, "status",
			    json_string("already-submitted"));
			z->out(z->ctx, rec);
			return 0;
		}
	}
	if ((r = denai_seal_state_load(&kept, z->dir, id, err)) < 0)
		return -1;
	if ((e = add(z, err)) == NULL) {
		denai_seal_state_clear(&kept);
		return -1;
	}
	if (r == 1) {
		/* A salt drawn before a crash: seal with it, never another.
		 * The new record carries the nonce. */
		json_decref(kept.record);
		kept.record = NULL;
		e->st = kept;
		e->have_salt = 1;
	} else {
		e->st.request_id = *id;
		e->st.prediction = *prediction;
	}
	e->st.record = json_incref(rec);
	e->phase = P_CHECK;
	if (check(z, e, err) != 0) {
		/* Nothing kept in memory: the caller takes it again or
		 * fails it (a salt already saved stays on disk). */
		e->phase = P_DONE;
		sweep(z);
		return -1;
	}
	sweep(z);
	return 0;
}

static void
set_tx(json_t *rec, const char *prefix, const denai_sender_done *d)
{
	char hex[67], k[40];

	snprintf(k, sizeof(k), "%stx_hash", prefix);
	json_object_set_new(rec, k, json_string(denai_hex_encode(hex, d->hash,
	    32)));
	snprintf(k, sizeof(k), "%sgas_used", prefix);
	json_object_set_new(rec, k, json_integer((json_int_t)d->gas_used));
	snprintf(k, sizeof(k), "%sblock_number", prefix);
	json_object_set_new(rec, k, json_integer((json_int_t)d->block_number));
}

int
denai_sealer_done(denai_sealer *z, const denai_sender_done *d)
{
	denai_err err;
	entry *e = NULL;

	for (size_t i = 0; i < z->n; i++)
		if ((z->e[i].phase == P_COMMITTING ||
		    z->e[i].phase == P_REVEALING) && z->e[i].ticket == d->ticket)
			e = &z->e[i];
	if (e == NULL)
		return 0;
	if (d->receipt != NULL && d->ok && e->phase == P_COMMITTING) {
		set_tx(e->st.record, "commit_", d);
		/* Best effort: the commit's hash for a later start's record
		 * (the salt is on disk already). */
		if (denai_seal_state_save(&e->st, z->dir, &err) != 0)
			err.msg[0] = '\0';
		e->phase = P_WAIT;
		e->checked = 0;
	} else if (d->receipt != NULL && d->ok) {
		/* The request's own block keeps its value. */
		if (json_object_get(e->st.record, "block_number") != NULL &&
		    json_object_get(e->st.record, "request_block_number") == NULL)
			json_object_set(e->st.record, "request_block_number",
			    json_object_get(e->st.record, "block_number"));
		if (json_object_get(e->st.record, "tx_hash") != NULL &&
		    json_object_get(e->st.record, "request_tx_hash") == NULL)
			json_object_set(e->st.record, "request_tx_hash",
			    json_object_get(e->st.record, "tx_hash"));
		set_tx(e->st.record, "", d);
		finish(z, e, "mined");
		sweep(z);
	} else {
		/* Reverted or never mined: the chain decides at the next
		 * step (a persistent refusal shows in the estimate). */
		e->phase = P_CHECK;
	}
	return 1;
}

int
denai_sealer_step(denai_sealer *z, denai_err *err)
{
	uint64_t head = 0;
	int rc = 0, have_head = 0, asked = 0;

	for (size_t i = 0; i < z->n; i++) {
		entry *e = &z->e[i];
		if (e->phase == P_WAIT) {
			if (!have_head) {
				if (denai_rpc_block_number(z->chain.rpc, &head,
				    err) != 0) {
					rc = -1;
					break;
				}
				have_head = 1;
				asked = 1;
			}
			if (head == e->checked)
				continue;
		} else if (e->phase != P_CHECK) {
			continue;
		}
		asked = 1;
		if (check(z, e, err) != 0) {
			if (err != NULL && err->code == DENAI_EPEER) {
				e->checked = 0;	/* again at the next step */
				rc = -1;
				break;
			}
			fail(z, e, err != NULL ? err->msg : "failed");
		}
	}
	sweep(z);
	return rc < 0 ? -1 : asked;
}

void
denai_sealer_abandon(denai_sealer *z, const char *why)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->e[i].phase != P_DONE)
			fail(z, &z->e[i], why);
	sweep(z);
}
