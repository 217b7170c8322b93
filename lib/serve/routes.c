/*
 * routes.c - the route table: a path pattern (at most one {id} segment,
 * last), the methods it takes, what it needs of the client's key. Which
 * function answers a route is dispatch.c's (above the handlers); this
 * table is below them, so the handlers may ask for route names.
 */
#include <string.h>

#include "serve/priv.h"

static const struct route {
	const char *prefix;		/* the path, or the part before {id} */
	int has_arg;
	const char *name;		/* the metrics label */
	int get, post;			/* takes GET (and HEAD), POST */
	int public;			/* needs nothing of the key */
	const char *allow;
} routes[SERVE_R_COUNT] = {
	[SERVE_R_PAGE] = {"/", 0, "/", 1, 0, 0, "GET, HEAD"},
	[SERVE_R_HEALTHZ] = {"/healthz", 0, "/healthz", 1, 0, 1, "GET, HEAD"},
	[SERVE_R_METRICS] = {"/metrics", 0, "/metrics", 1, 0, 0, "GET, HEAD"},
	[SERVE_R_TASKS] = {"/api/tasks", 0, "/api/tasks", 1, 1, 0,
	    "GET, HEAD, POST"},
	[SERVE_R_TASK] = {"/api/tasks/", 1, "/api/tasks/{id}", 1, 0, 0,
	    "GET, HEAD"},
	[SERVE_R_REQUESTS] = {"/api/requests", 0, "/api/requests", 1, 1, 0,
	    "GET, HEAD, POST"},
	[SERVE_R_REQUEST] = {"/api/requests/", 1, "/api/requests/{id}", 1, 0,
	    0, "GET, HEAD"},
	[SERVE_R_MODELS] = {"/api/models", 0, "/api/models", 1, 0, 0,
	    "GET, HEAD"},
	[SERVE_R_MODEL] = {"/api/models/", 1, "/api/models/{id}", 1, 0, 0,
	    "GET, HEAD"},
	[SERVE_R_IPFS_GET] = {"/ipfs/", 1, "/ipfs/{cid}", 1, 0, 0,
	    "GET, HEAD"},
	[SERVE_R_IPFS_ADD] = {"/api/ipfs", 0, "/api/ipfs", 0, 1, 0, "POST"},
	[SERVE_R_OTHER] = {NULL, 0, "other", 0, 0, 0, NULL},
};

const char *
denai_serve_route_name(int route)
{
	return route >= 0 && route < SERVE_R_COUNT ? routes[route].name :
	    "other";
}

int
denai_serve_route_count(void)
{
	return SERVE_R_COUNT;
}

int
denai_serve_route_match(serve_req *r, int *route, int *needs)
{
	const char *p = r->path;

	*route = SERVE_R_OTHER;
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
			if (routes[i].public)
				*needs = SERVE_NEEDS_NOTHING;
			return 0;
		}
		if (strcmp(r->method, "POST") == 0 && routes[i].post) {
			*needs = SERVE_NEEDS_WRITE;
			return 0;
		}
		strcpy(r->allow, routes[i].allow);
		denai_serve_error(r, 405, NULL, "%s takes %s", routes[i].name,
		    routes[i].allow);
		return -1;
	}
	denai_serve_error(r, 404, NULL, "no route %s", p);
	return -1;
}
