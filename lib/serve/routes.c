/*
 * routes.c - the route table: a path pattern (at most one {id} segment,
 * last), the methods it takes, what it needs of the client's key.
 */
#include <string.h>

#include "serve/priv.h"

typedef void (*handler_fn)(denai_serve *, serve_req *);

static const struct route {
	const char *prefix;		/* the path, or the part before {id} */
	int has_arg;
	const char *name;		/* the metrics label */
	handler_fn get, post;
	const char *allow;
} routes[] = {
	{"/", 0, "/", serve_api_page, NULL, "GET, HEAD"},
	{"/healthz", 0, "/healthz", serve_api_healthz, NULL, "GET, HEAD"},
	{"/metrics", 0, "/metrics", serve_api_metrics, NULL, "GET, HEAD"},
	{"/api/tasks", 0, "/api/tasks", serve_api_tasks, serve_api_task_create,
	    "GET, HEAD, POST"},
	{"/api/tasks/", 1, "/api/tasks/{id}", serve_api_task, NULL,
	    "GET, HEAD"},
	{"/api/requests", 0, "/api/requests", serve_api_requests,
	    serve_api_request_create, "GET, HEAD, POST"},
	{"/api/requests/", 1, "/api/requests/{id}", serve_api_request, NULL,
	    "GET, HEAD"},
	{"/api/models", 0, "/api/models", serve_api_models, NULL, "GET, HEAD"},
	{"/api/models/", 1, "/api/models/{id}", serve_api_model, NULL,
	    "GET, HEAD"},
	{"/ipfs/", 1, "/ipfs/{cid}", serve_api_ipfs_get, NULL, "GET, HEAD"},
	{"/api/ipfs", 0, "/api/ipfs", NULL, serve_api_ipfs_add, "POST"},
	{NULL, 0, "other", NULL, NULL, NULL},
};

#define NROUTES ((int)(sizeof(routes) / sizeof(routes[0])))

const char *
serve_route_name(int route)
{
	return route >= 0 && route < NROUTES ? routes[route].name : "other";
}

int
serve_route_count(void)
{
	return NROUTES;
}

int
serve_route_match(serve_req *r, int *route, int *needs)
{
	const char *p = r->path;

	*route = NROUTES - 1;
	*needs = SERVE_NEEDS_READ;
	for (int i = 0; routes[i].prefix; i++) {
		size_t n = strlen(routes[i].prefix);
		if (!routes[i].has_arg) {
			if (strcmp(p, routes[i].prefix) != 0)
				continue;
		} else if (strncmp(p, routes[i].prefix, n) != 0 ||
		    p[n] == '\0' || strchr(p + n, '/') != NULL)
			continue;
		*route = i;
		r->arg = routes[i].has_arg ? p + n : NULL;
		if (strcmp(r->method, "GET") == 0 && routes[i].get) {
			if (routes[i].get == serve_api_healthz)
				*needs = SERVE_NEEDS_NOTHING;
			return 0;
		}
		if (strcmp(r->method, "POST") == 0 && routes[i].post) {
			*needs = SERVE_NEEDS_WRITE;
			return 0;
		}
		strcpy(r->allow, routes[i].allow);
		serve_error(r, 405, NULL, "%s takes %s", routes[i].name,
		    routes[i].allow);
		return -1;
	}
	serve_error(r, 404, NULL, "no route %s", p);
	return -1;
}

void
serve_route_run(denai_serve *s, serve_req *r, int route)
{
	const struct route *rt = &routes[route];

	if (strcmp(r->method, "POST") == 0)
		rt->post(s, r);
	else
		rt->get(s, r);
}
