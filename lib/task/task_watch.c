/* task_watch.c - what the key owes, from the chain at every poll. */
#include "task/task_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eth/hex.h"
#include "task/task_record.h"

#define MAX_KEYS 4096
#define KEY_MAX 96

typedef struct key {
	char k[KEY_MAX];
	uint64_t at;			/* head block when last emitted */
	uint64_t wait;			/* blocks until it may be re-offered */
} key;

struct denai_task_watch {
	denai_rpc *rpc;
	const denai_tasks *tasks;
	uint8_t at[DENAI_ADDR_LEN];
	uint64_t chain_id;
	denai_task_watch_opts opts;
	key *keys;
	size_t nkeys;
	uint64_t head;			/* of the current pass */
	/* Task ids seen open in the current pass (to drop stale keys). */
	uint64_t *open;
	size_t nopen, capopen;
};

denai_task_watch *
denai_task_watch_new(denai_rpc *rpc, const denai_tasks *tasks,
    const uint8_t at[DENAI_ADDR_LEN], uint64_t chain_id,
    const denai_task_watch_opts *opts, denai_err *err)
{
	denai_task_watch *w = calloc(1, sizeof(*w));

	if (w == NULL || (w->keys = calloc(MAX_KEYS, sizeof(key))) == NULL) {
		free(w);
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	w->rpc = rpc;
	w->tasks = tasks;
	memcpy(w->at, at, DENAI_ADDR_LEN);
	w->chain_id = chain_id;
	w->opts = *opts;
	if (w->opts.page == 0)
		w->opts.page = 100;
	return w;
}

void
denai_task_watch_free(denai_task_watch *w)
{
	if (w == NULL)
		return;
	free(w->keys);
	free(w->open);
	free(w);
}

static key *
find_key(denai_task_watch *w, const char *k)
{
	for (size_t i = 0; i < w->nkeys; i++)
		if (strcmp(w->keys[i].k, k) == 0)
			return &w->keys[i];
	return NULL;
}

static void
add_key(denai_task_watch *w, const char *k, uint64_t at, uint64_t wait)
{
	if (w->nkeys == MAX_KEYS) {	/* drop the oldest */
		memmove(w->keys, w->keys + 1, (MAX_KEYS - 1) * sizeof(key));
		w->nkeys--;
	}
	snprintf(w->keys[w->nkeys].k, KEY_MAX, "%s", k);
	w->keys[w->nkeys].at = at;
	w->keys[w->nkeys].wait = wait;
	w->nkeys++;
}

static void
drop_key(denai_task_watch *w, size_t i)
{
	memmove(w->keys + i, w->keys + i + 1, (w->nkeys - i - 1) * sizeof(key));
	w->nkeys--;
}

json_t *
denai_task_watch_state(const denai_task_watch *w)
{
	char a[DENAI_ADDR_HEX_MAX], k[DENAI_ADDR_HEX_MAX];
	json_t *o = json_object(), *keys = json_array();

	if (o == NULL || keys == NULL) {
		json_decref(o);
		json_decref(keys);
		return NULL;
	}
	for (size_t i = 0; i < w->nkeys; i++)
		json_array_append_new(keys, json_pack("[sIIi]", w->keys[i].k,
		    (json_int_t)w->keys[i].at, (json_int_t)w->keys[i].wait, 0));
	json_object_set_new(o, "chain_id", json_integer((json_int_t)w->chain_id));
	json_object_set_new(o, "tasks", json_string(
	    denai_secp_addr_checksum(a, w->at)));
	json_object_set_new(o, "key", json_string(
	    denai_secp_addr_checksum(k, w->opts.key)));
	json_object_set_new(o, "emitted", keys);
	return o;
}

int
denai_task_watch_restore(denai_task_watch *w, const json_t *st,
    denai_err *err)
{
	const char *ts = json_string_value(json_object_get(st, "tasks"));
	const char *ks = json_string_value(json_object_get(st, "key"));
	const json_t *keys = json_object_get(st, "emitted"), *v;
	uint8_t a[DENAI_ADDR_LEN], k[DENAI_ADDR_LEN];
	size_t i;

	if (ts == NULL || ks == NULL || !json_is_array(keys) ||
	    !json_is_integer(json_object_get(st, "chain_id")) ||
	    denai_secp_addr_parse(a, ts, strlen(ts), NULL) != 0 ||
	    denai_secp_addr_parse(k, ks, strlen(ks), NULL) != 0)
		return denai_err_set(err, DENAI_EDATA, "not a task watch state");
	if ((uint64_t)json_integer_value(json_object_get(st, "chain_id")) !=
	    w->chain_id || memcmp(a, w->at, DENAI_ADDR_LEN) != 0 ||
	    memcmp(k, w->opts.key, DENAI_ADDR_LEN) != 0)
		return denai_err_set(err, DENAI_EUSAGE, "the state is for "
		    "another chain, tasks contract or key");
	w->nkeys = 0;
	json_array_foreach(keys, i, v) {
		const char *s = json_string_value(json_array_get(v, 0));
		const json_t *at = json_array_get(v, 1), *wt = json_array_get(v, 2);
		if (s == NULL || strlen(s) >= KEY_MAX || !json_is_integer(at) ||
		    !json_is_integer(wt))
			return denai_err_set(err, DENAI_EDATA,
			    "task watch state: bad key %zu", i);
		add_key(w, s, (uint64_t)json_integer_value(at),
		    (uint64_t)json_integer_value(wt));
	}
	return 0;
}

/*
 * Emits rec under key k unless already emitted, or emitted its wait ago
 * and still owed (then offered again, the wait doubled); steals rec.
 */
static int
put(denai_task_watch *w, const char *k, json_t *rec,
    denai_task_watch_emit_fn emit, void *ctx, int *count, denai_err *err)
{
	key *e = find_key(w, k), old;
	int rc = 0;

	if (rec == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (e == NULL) {
		add_key(w, k, w->head, w->opts.reoffer_after);
		if ((rc = emit(ctx, rec, err)) == 0)
			(*count)++;
		else
			w->nkeys--;	/* not out: not counted */
	} else if (e->wait > 0 && w->head >= e->at + e->wait) {
		old = *e;
		e->at = w->head;
		e->wait *= 2;
		if ((rc = emit(ctx, rec, err)) == 0)
			(*count)++;
		else
			*e = old;
	}
	json_decref(rec);
	return rc;
}

static int
is_trainer(uint8_t (*tr)[DENAI_ADDR_LEN], size_t n, const uint8_t *a)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(tr[i], a, DENAI_ADDR_LEN) == 0)
			return 1;
	return 0;
}

/* What the key owes task id. */
static int
one_task(denai_task_watch *w, uint64_t id, denai_task_watch_emit_fn emit,
    void *ctx, int *count, denai_err *err)
{
	const uint8_t *me = w->opts.key;
	denai_task_info t;
	denai_task_commit c;
	uint8_t (*tr)[DENAI_ADDR_LEN] = NULL;
	size_t ntr = 0;
	int committed = 0, revealed = 0, creator, trainer, rc = -1;
	char k[KEY_MAX], a[DENAI_ADDR_HEX_MAX];

	if (denai_tasks_get(w->tasks, w->rpc, w->at, id, &t, err) != 0 ||
	    denai_tasks_trainers(w->tasks, w->rpc, w->at, id, &tr, &ntr,
	    err) != 0)
		return -1;
	creator = memcmp(t.creator, me, DENAI_ADDR_LEN) == 0;
	trainer = is_trainer(tr, ntr, me);
#define KEY(...) snprintf(k, sizeof(k), __VA_ARGS__)
#define ID (unsigned long long)id

	if ((w->opts.roles & DENAI_TW_TRAINER) && !creator) {
		if (t.phase == DENAI_TASK_COMMIT && !trainer) {
			KEY("%llu:commit", ID);
			if (put(w, k, denai_task_record(&t, w->chain_id, w->at,
			    "commit"), emit, ctx, count, err) != 0)
				goto out;
		}
		if (t.phase == DENAI_TASK_MODEL_REVEAL && trainer) {
			if (denai_tasks_commit(w->tasks, w->rpc, w->at, id, me,
			    &c, err) != 0)
				goto out;
			KEY("%llu:reveal", ID);
			if (!c.revealed) {
				json_t *r = denai_task_record(&t, w->chain_id,
				    w->at, "reveal");
				char s[67];
				if (r != NULL)
					json_object_set_new(r, "seal",
					    json_string(denai_hex_encode(s,
					    c.seal, 32)));
				if (put(w, k, r, emit, ctx, count, err) != 0)
					goto out;
			}
		}
	}
	if ((w->opts.roles & DENAI_TW_VALIDATOR) && !creator && !trainer &&
	    t.phase >= DENAI_TASK_MODEL_REVEAL &&
	    t.phase <= DENAI_TASK_SCORE_REVEAL) {
		if (denai_tasks_validator_state(w->tasks, w->rpc, w->at, id, me,
		    &committed, &revealed, err) != 0)
			goto out;
		if (!committed && t.phase <= DENAI_TASK_SCORE_COMMIT)
			for (size_t i = 0; i < ntr; i++) {
				if (denai_tasks_commit(w->tasks, w->rpc, w->at, id,
				    tr[i], &c, err) != 0)
					goto out;
				if (!c.revealed)
					continue;
				KEY("%llu:submission:%s", ID,
				    denai_hex_encode(a, tr[i], DENAI_ADDR_LEN));
				if (put(w, k, denai_task_submission_record(&t,
				    w->chain_id, w->at, tr[i], &c), emit, ctx,
				    count, err) != 0)
					goto out;
			}
		if (!committed && t.phase == DENAI_TASK_SCORE_COMMIT) {
			KEY("%llu:score_commit", ID);
			if (put(w, k, denai_task_record(&t, w->chain_id, w->at,
			    "score_commit"), emit, ctx, count, err) != 0)
				goto out;
		}
		if (committed && !revealed &&
		    t.phase == DENAI_TASK_SCORE_REVEAL) {
			KEY("%llu:score_reveal", ID);
			if (put(w, k, denai_task_record(&t, w->chain_id, w->at,
			    "score_reveal"), emit, ctx, count, err) != 0)
				goto out;
		}
	}
	if (t.phase == DENAI_TASK_FINALIZABLE) {
		if (!creator && !trainer && (w->opts.roles & DENAI_TW_VALIDATOR)
		    && denai_tasks_validator_state(w->tasks, w->rpc, w->at, id,
		    me, &committed, &revealed, err) != 0)
			goto out;
		if (creator || trainer || committed) {
			KEY("%llu:finalize", ID);
			if (put(w, k, denai_task_record(&t, w->chain_id, w->at,
			    "finalize"), emit, ctx, count, err) != 0)
				goto out;
		}
	}
#undef KEY
#undef ID
	rc = 0;
out:
	free(tr);
	return rc;
}

static int
note_open(denai_task_watch *w, uint64_t id, denai_err *err)
{
	if (w->nopen == w->capopen) {
		uint64_t *n = realloc(w->open, (w->capopen = w->capopen ?
		    2 * w->capopen : 64) * sizeof(*n));
		if (n == NULL)
			return denai_err_set(err, DENAI_ENOMEM, "out of memory");
		w->open = n;
	}
	w->open[w->nopen++] = id;
	return 0;
}

/* Drops the keys of tasks no longer open, and old withdraw keys. */
static void
prune(denai_task_watch *w, int owed_zero)
{
	for (size_t i = w->nkeys; i-- > 0;) {
		const char *k = w->keys[i].k;
		int keep = 0;

		if (strncmp(k, "withdraw:", 9) == 0) {
			keep = !owed_zero;
		} else {
			uint64_t id = strtoull(k, NULL, 10);
			for (size_t j = 0; j < w->nopen && !keep; j++)
				keep = w->open[j] == id;
		}
		if (!keep)
			drop_key(w, i);
	}
}

int
denai_task_watch_poll(denai_task_watch *w, denai_task_watch_emit_fn emit,
    void *ctx, denai_err *err)
{
	uint64_t *ids, off = 0;
	size_t n;
	int count = 0;
	denai_u256 owed;
	char k[KEY_MAX], d[DENAI_U256_DEC_MAX];

	w->nopen = 0;
	if (denai_rpc_block_number(w->rpc, &w->head, err) != 0)
		return -1;
	for (;;) {
		if (denai_tasks_open(w->tasks, w->rpc, w->at, off, w->opts.page,
		    &ids, &n, err) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (note_open(w, ids[i], err) != 0 ||
			    one_task(w, ids[i], emit, ctx, &count, err) != 0) {
				free(ids);
				return -1;
			}
		free(ids);
		if (n < w->opts.page)
			break;
		off += n;
	}
	if (denai_tasks_owed(w->tasks, w->rpc, w->at, w->opts.key, &owed,
	    err) != 0)
		return -1;
	prune(w, denai_u256_is_zero(&owed));
	if (!denai_u256_is_zero(&owed)) {
		json_t *r = json_object();
		char a[DENAI_ADDR_HEX_MAX];

		denai_u256_to_dec(d, &owed);
		snprintf(k, sizeof(k), "withdraw:%s", d);
		if (r != NULL) {
			json_object_set_new(r, "type", json_string("task"));
			json_object_set_new(r, "chain_id",
			    json_integer((json_int_t)w->chain_id));
			json_object_set_new(r, "contract", json_string(
			    denai_secp_addr_checksum(a, w->at)));
			json_object_set_new(r, "action", json_string("withdraw"));
			json_object_set_new(r, "owed", json_string(d));
		}
		if (put(w, k, r, emit, ctx, &count, err) != 0)
			return -1;
	}
	return count;
}
