/*
 * serve.c - the server's life: the data folder and its databases, the
 * block stores, the threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "eth/secp.h"
#include "serve/priv.h"

void
denai_serve_opts_default(denai_serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threads = 4;
	o->body_max = 16u << 20;
	o->file_max = 64u << 20;
	o->conn_timeout_s = 15;
	o->page_max = 100;
	o->wait_ms = 30000;
	o->poll_ms = 1000;
}

static char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

denai_serve *
denai_serve_new(const denai_serve_opts *o, denai_err *err)
{
	denai_serve *s;
	sqlite3 *idx = NULL;

	if (o->data_dir == NULL) {
		denai_err_set(err, DENAI_EUSAGE, "no data folder");
		return NULL;
	}
	if (sodium_init() < 0) {
		denai_err_set(err, DENAI_ECRYPTO, "libsodium failed to start");
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	s->o = *o;
	if (!s->o.threads)
		s->o.threads = 4;
	if (!s->o.body_max)
		s->o.body_max = 16u << 20;
	if (!s->o.file_max)
		s->o.file_max = 64u << 20;
	if (!s->o.conn_timeout_s)
		s->o.conn_timeout_s = 15;
	if (!s->o.page_max)
		s->o.page_max = 100;
	if (!s->o.poll_ms)
		s->o.poll_ms = 1000;
	pthread_mutex_init(&s->state_mu, NULL);
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->wait_mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_cond_init(&s->jobs_cv, NULL);
	pthread_key_create(&s->rdkey, denai_serve_db_reader_free);
	s->start_time = denai_serve_now_ms();
	s->data_dir = strdup(o->data_dir);
	s->listen = strdup(o->listen ? o->listen : "127.0.0.1");
	s->ipfs_dir = o->ipfs_dir ? strdup(o->ipfs_dir) :
	    path_join(o->data_dir, "ipfs");
	s->priv_dir = path_join(o->data_dir, "private");
	s->index_path = path_join(o->data_dir, "index.db");
	s->state_path = path_join(o->data_dir, "state.db");
	if (o->rpc_url != NULL) {
		s->rpc_url = strdup(o->rpc_url);
		s->has_chain = 1;
		s->dep = *o->dep;
	}
	if (s->data_dir == NULL || s->listen == NULL || s->ipfs_dir == NULL ||
	    s->priv_dir == NULL || s->index_path == NULL ||
	    s->state_path == NULL || (o->rpc_url && s->rpc_url == NULL)) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	if (o->sk != NULL) {
		memcpy(s->sk, o->sk, 32);
		if (denai_secp_address(s->addr, s->sk, err) != 0)
			goto fail;
		s->has_key = 1;
	}
	if (denai_serve_limiter_init(&s->limiter, o->rate, o->burst) != 0) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	if (denai_mkdirs(s->data_dir, err) != 0 ||
	    denai_mkdirs(s->priv_dir, err) != 0)
		goto fail;
	(void)chmod(s->priv_dir, 0700);
	if ((s->bs = denai_blockstore_open(s->ipfs_dir, err)) == NULL ||
	    (s->priv = denai_blockstore_open(s->priv_dir, err)) == NULL)
		goto fail;
	if (denai_serve_db_open(&s->state, s->state_path, 1, 0600, err) != 0 ||
	    denai_serve_db_schema_state(s->state, err) != 0)
		goto fail;
	if (denai_serve_db_open(&idx, s->index_path, 1, 0644, err) != 0 ||
	    denai_serve_db_schema_index(idx, err) != 0) {
		sqlite3_close(idx);
		goto fail;
	}
	sqlite3_close(idx);
	if ((s->oracle = denai_oracle_new(err)) == NULL ||
	    (s->tasks = denai_tasks_new(err)) == NULL)
		goto fail;
	return s;
fail:
	denai_serve_free(s);
	return NULL;
}

int
denai_serve_start(denai_serve *s, denai_err *err)
{
	if (denai_serve_http_start(s, err) != 0)
		return -1;
	if (pthread_create(&s->resumer, NULL, denai_serve_resume_main, s) != 0)
		return denai_err_set(err, DENAI_ENOMEM, "cannot start a thread");
	s->resumer_started = 1;
	if (s->has_chain) {
		if (pthread_create(&s->follower, NULL, denai_serve_follow_main,
			s) != 0)
			return denai_err_set(err, DENAI_ENOMEM, "cannot start a "
			    "thread");
		s->threads_started = 1;
		if (s->has_key) {
			if (pthread_create(&s->worker, NULL,
				denai_serve_worker_main, s) != 0)
				return denai_err_set(err, DENAI_ENOMEM, "cannot "
				    "start a thread");
			s->threads_started = 2;
		}
	}
	return 0;
}

unsigned
denai_serve_port(const denai_serve *s)
{
	return s->o.port;
}

void
denai_serve_free(denai_serve *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, 1);
	denai_serve_wake(s);
	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->jobs_cv);
	pthread_mutex_unlock(&s->mu);
	/* Suspended connections are resumed (answered 202) before the
	 * HTTP threads stop. */
	if (s->resumer_started)
		pthread_join(s->resumer, NULL);
	denai_serve_http_stop(s);
	if (s->threads_started >= 1)
		pthread_join(s->follower, NULL);
	if (s->threads_started >= 2)
		pthread_join(s->worker, NULL);
	denai_serve_db_reader_free(pthread_getspecific(s->rdkey));
	pthread_setspecific(s->rdkey, NULL);
	pthread_key_delete(s->rdkey);
	sqlite3_close(s->state);
	denai_blockstore_close(s->bs);
	denai_blockstore_close(s->priv);
	denai_oracle_free(s->oracle);
	denai_tasks_free(s->tasks);
	denai_serve_limiter_fini(&s->limiter);
	sodium_memzero(s->sk, sizeof(s->sk));
	free(s->data_dir);
	free(s->ipfs_dir);
	free(s->priv_dir);
	free(s->listen);
	free(s->rpc_url);
	free(s->index_path);
	free(s->state_path);
	pthread_mutex_destroy(&s->state_mu);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->wait_mu);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->jobs_cv);
	free(s);
}
