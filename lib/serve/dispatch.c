/*
 * dispatch.c - which handler answers each route of routes.c's table, by
 * method. Above the handlers, below http.c.
 */
#include <string.h>

#include "serve/priv.h"

typedef void (*handler_fn)(denai_serve *, serve_req *);

static const struct handlers {
	handler_fn get, post;
} handlers[SERVE_R_COUNT] = {
	[SERVE_R_PAGE] = {denai_serve_api_page, NULL},
	[SERVE_R_HEALTHZ] = {denai_serve_api_healthz, NULL},
	[SERVE_R_METRICS] = {denai_serve_api_metrics, NULL},
	[SERVE_R_TASKS] = {denai_serve_api_tasks, denai_serve_api_task_create},
	[SERVE_R_TASK] = {denai_serve_api_task, NULL},
	[SERVE_R_REQUESTS] = {denai_serve_api_requests,
	    denai_serve_api_request_create},
	[SERVE_R_REQUEST] = {denai_serve_api_request, NULL},
	[SERVE_R_MODELS] = {denai_serve_api_models, NULL},
	[SERVE_R_MODEL] = {denai_serve_api_model, NULL},
	[SERVE_R_IPFS_GET] = {denai_serve_api_ipfs_get, NULL},
	[SERVE_R_IPFS_ADD] = {NULL, denai_serve_api_ipfs_add},
	[SERVE_R_OTHER] = {NULL, NULL},
};

/* route is one denai_serve_route_match accepted for r's method. */
void
denai_serve_route_run(denai_serve *s, serve_req *r, int route)
{
	const struct handlers *h = &handlers[route];

	if (strcmp(r->method, "POST") == 0)
		h->post(s, r);
	else
		h->get(s, r);
}
