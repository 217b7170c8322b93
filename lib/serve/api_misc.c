/*
 * api_misc.c - GET /metrics (Prometheus text), GET /healthz, GET / (the
 * status page, from page.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/secp.h"
#include "fileio.h"
#include "serve/priv.h"

extern const char denai_serve_page_html[];

static void
count_rows(serve_buf *b, sqlite3 *db, const char *sql, const char *metric,
    const char *label, const char *head)
{
	sqlite3_stmt *st;

	if (db == NULL || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (head != NULL)
		sqlite3_bind_text(st, 1, head, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
			v = denai_serve_phase_name(sqlite3_column_int(st, 0));
		denai_serve_buf_printf(b, "%s{%s=\"%s\"} %lld\n", metric, label,
		    v ? v : "", (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
}

/* The largest stage file taken into /metrics. */
#define STAGE_FILE_MAX ((size_t)1 << 20)

static int
is_prom(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".prom") == 0;
}

/*
 * The long-running stages on this machine write their metrics as files
 * (--metrics, DENAI_METRICS_DIR): each *.prom file of the folder, in name
 * order, follows the node's own series. A file that cannot be read now
 * (being renamed into place) is skipped this time.
 */
static void
stage_files(serve_buf *b, const char *dir)
{
	struct dirent **names = NULL;
	char path[4096];
	int n = scandir(dir, &names, is_prom, alphasort);

	for (int i = 0; i < n; i++) {
		uint8_t *text = NULL;
		size_t len = 0;

		if (snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) < (int)sizeof(path) &&
		    denai_file_read(&text, &len, path, STAGE_FILE_MAX, NULL) == 0 &&
		    len > 0 && len < (size_t)1 << 30)
			denai_serve_buf_printf(b, "%.*s%s", (int)len,
			    (const char *)text, text[len - 1] == '\n' ? "" : "\n");
		free(text);
		free(names[i]);
	}
	free(names);
}

void
denai_serve_api_metrics(denai_serve *s, serve_req *r)
{
	serve_buf b = {0};
	char sql[1024], head[24];
	unsigned long long h = atomic_load(&s->head),
	    ix = atomic_load(&s->indexed);

	denai_serve_metrics_write(&b, &s->metrics, denai_serve_route_count(),
	    denai_serve_route_name);
	denai_serve_buf_printf(&b,
	    "# HELP denai_serve_chain_head_block The chain's "
	    "head block as last seen.\n# TYPE denai_serve_chain_head_block "
	    "gauge\ndenai_serve_chain_head_block %llu\n"
	    "# HELP denai_serve_chain_indexed_block The last block in "
	    "index.db.\n# TYPE denai_serve_chain_indexed_block gauge\n"
	    "denai_serve_chain_indexed_block %llu\n"
	    "# HELP denai_serve_chain_lag_blocks Head minus indexed.\n"
	    "# TYPE denai_serve_chain_lag_blocks gauge\n"
	    "denai_serve_chain_lag_blocks %llu\n"
	    "# HELP denai_serve_chain_up 1 when the last chain poll worked.\n"
	    "# TYPE denai_serve_chain_up gauge\ndenai_serve_chain_up %d\n"
	    "# HELP denai_serve_chain_reorgs_total Reorgs seen.\n"
	    "# TYPE denai_serve_chain_reorgs_total counter\n"
	    "denai_serve_chain_reorgs_total %u\n"
	    "# HELP denai_serve_http_timeouts_total Connections closed idle.\n"
	    "# TYPE denai_serve_http_timeouts_total counter\n"
	    "denai_serve_http_timeouts_total %llu\n",
	    h, ix, h > ix ? h - ix : 0, atomic_load(&s->chain_ok),
	    atomic_load(&s->reorgs),
	    (unsigned long long)atomic_load(&s->metrics.timeouts));
	snprintf(head, sizeof(head), "%llu", h);
	snprintf(sql, sizeof(sql), "SELECT %s AS p, count(*) FROM tasks"
	    " GROUP BY p", denai_serve_phase_sql);
	denai_serve_buf_printf(&b, "# HELP denai_serve_tasks Tasks by phase.\n"
	    "# TYPE denai_serve_tasks gauge\n");
	count_rows(&b, denai_serve_db_reader(s, 0), sql, "denai_serve_tasks",
	    "phase", head);
	denai_serve_buf_printf(&b,
	    "# HELP denai_serve_requests Prediction requests "
	    "by status.\n# TYPE denai_serve_requests gauge\n");
	count_rows(&b, denai_serve_db_reader(s, 0),
	    "SELECT status, count(*) FROM"
	    " requests GROUP BY status",
	    "denai_serve_requests", "status", NULL);
	denai_serve_buf_printf(&b,
	    "# HELP denai_serve_jobs Jobs for the chain by "
	    "state (queue depth: accepted and sending).\n"
	    "# TYPE denai_serve_jobs gauge\n");
	count_rows(&b, denai_serve_db_reader(s, 1),
	    "SELECT state, count(*) FROM"
	    " jobs GROUP BY state",
	    "denai_serve_jobs", "state", NULL);
	denai_serve_buf_printf(&b,
	    "# HELP denai_serve_private_sets Test sets by "
	    "state.\n# TYPE denai_serve_private_sets gauge\n");
	count_rows(&b, denai_serve_db_reader(s, 1),
	    "SELECT state, count(*) FROM"
	    " private_sets GROUP BY state",
	    "denai_serve_private_sets", "state", NULL);
	if (s->o.metrics_dir != NULL)
		stage_files(&b, s->o.metrics_dir);
	if (b.failed) {
		free(b.p);
		denai_serve_error(r, 500, NULL, "out of memory");
		return;
	}
	r->out = b.p;
	r->out_len = b.len;
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
}

void
denai_serve_api_healthz(denai_serve *s, serve_req *r)
{
	char a[DENAI_ADDR_HEX_MAX];
	unsigned long long h = atomic_load(&s->head),
	    ix = atomic_load(&s->indexed);
	int dbs = denai_serve_db_reader(s, 0) != NULL &&
	    denai_serve_db_reader(s, 1) != NULL;
	json_t *o = json_pack("{s:b, s:b, s:I}", "ok", dbs, "chain",
	    s->has_chain, "uptime_s",
	    (json_int_t)((denai_serve_now_ms() - s->start_time) / 1000));

	if (s->has_chain) {
		json_object_set_new(o, "chain_id", json_integer(
		    (json_int_t)s->dep.chain_id));
		json_object_set_new(o, "chain_up", json_boolean(
		    atomic_load(&s->chain_ok)));
		json_object_set_new(o, "head", json_integer((json_int_t)h));
		json_object_set_new(o, "indexed", json_integer((json_int_t)ix));
		json_object_set_new(o, "lag", json_integer(
		    (json_int_t)(h > ix ? h - ix : 0)));
		json_object_set_new(o, "oracle", json_string(
		    denai_secp_addr_checksum(a, s->dep.oracle)));
		if (s->o.has_tasks)
			json_object_set_new(o, "tasks", json_string(
			    denai_secp_addr_checksum(a, s->o.tasks)));
	}
	if (s->has_key)
		json_object_set_new(o, "address", json_string(
		    denai_secp_addr_checksum(a, s->addr)));
	denai_serve_json(r, dbs ? 200 : 503, o);
}

void
denai_serve_api_page(denai_serve *s, serve_req *r)
{
	denai_serve_static(r, 200, "text/html; charset=utf-8",
	    denai_serve_page_html, strlen(denai_serve_page_html));
	r->cache = "no-cache";
	(void)s;
}
