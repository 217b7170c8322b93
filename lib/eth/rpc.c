/* rpc.c - the JSON-RPC client's transport: libcurl, retries, batches. */
#include "eth/rpc.h"
#include "url.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

struct denai_rpc {
	CURL *curl;
	struct curl_slist *headers;
	char *url;
	char endpoint[160];
	denai_rpc_opts o;
	long long next_id;
	char *buf;			/* reply body */
	size_t len, cap;
	int overflow;			/* the reply passed o.max_reply */
	int tries;			/* of the last post */
	char curl_msg[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
denai_rpc_opts_default(denai_rpc_opts *o)
{
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 30000;
	o->max_tries = 3;
	o->backoff_ms = 250;
	o->backoff_max_ms = 4000;
	o->max_reply = 64u << 20;
}

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	denai_rpc *r = arg;
	size_t n = size * nmemb, cap;
	char *nb;

	if (r->len + n > r->o.max_reply) {
		r->overflow = 1;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		cap = r->cap ? r->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		if ((nb = realloc(r->buf, cap)) == NULL)
			return 0;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

denai_rpc *
denai_rpc_new(const char *url, const denai_rpc_opts *opts, denai_err *err)
{
	denai_rpc *r;
	char shown[160];

	/* Never the URL as given: it may hold credentials (url.h). */
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		denai_url_redact(shown, sizeof(shown), url);
		denai_err_set(err, DENAI_EUSAGE, "rpc url %s: only "
		    "http:// and https:// are supported", shown);
		return NULL;
	}
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		denai_err_set(err, DENAI_ENOMEM, "curl_global_init: %s",
		    curl_easy_strerror(curl_init_rc));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	if (opts != NULL)
		r->o = *opts;
	else
		denai_rpc_opts_default(&r->o);
	if (r->o.max_tries < 1)
		r->o.max_tries = 1;
	r->next_id = 1;
	if (denai_url_redact(r->endpoint, sizeof(r->endpoint), url) != 0) {
		denai_err_set(err, DENAI_EUSAGE, "rpc url has no host");
		goto fail;
	}
	r->url = strdup(url);
	r->curl = curl_easy_init();
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (r->url == NULL || r->curl == NULL || r->headers == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	curl_easy_setopt(r->curl, CURLOPT_URL, r->url);
	curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    r->o.connect_timeout_ms);
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS, r->o.timeout_ms);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->curl, CURLOPT_ERRORBUFFER, r->curl_msg);
	return r;
fail:
	denai_rpc_free(r);
	return NULL;
}

void
denai_rpc_free(denai_rpc *r)
{
	if (r == NULL)
		return;
	if (r->curl != NULL)
		curl_easy_cleanup(r->curl);
	curl_slist_free_all(r->headers);
	free(r->url);
	free(r->buf);
	free(r);
}

const char *
denai_rpc_endpoint(const denai_rpc *r)
{
	return r->endpoint;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Why a transfer failed, in a few words. */
static const char *
curl_why(CURLcode rc, denai_rpc *r, char *buf, size_t cap)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return "connection refused";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "cannot resolve host";
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(buf, cap, "timed out after %ld ms", r->o.timeout_ms);
		return buf;
	case CURLE_GOT_NOTHING:
		return "connection closed with no reply";
	case CURLE_WRITE_ERROR:
		if (r->overflow) {
			snprintf(buf, cap, "reply larger than %zu bytes",
			    r->o.max_reply);
			return buf;
		}
		return "out of memory reading the reply";
	default:
		snprintf(buf, cap, "%s", r->curl_msg[0] ? r->curl_msg :
		    curl_easy_strerror(rc));
		return buf;
	}
}

/*
 * POSTs body and leaves the reply in r->buf/r->len, retrying connection
 * failures, timeouts, HTTP 429 and 5xx (waiting backoff_ms, doubling, or
 * the server's Retry-After, at most backoff_max_ms). A final HTTP error with a body is
 * handed back (the caller tries it as a JSON-RPC error first).
 * Out: *status, the HTTP status (0 if none).
 * Returns: 0 with a reply, or -1 (DENAI_EPEER, "why (after N tries)").
 */
static int
post(denai_rpc *r, const char *body, long *status, denai_err *err)
{
	char why[CURL_ERROR_SIZE + 64];
	const char *w = NULL;
	long backoff = r->o.backoff_ms;
	CURLcode rc;
	int tries;

	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	for (tries = 1;; tries++) {
		r->len = 0;
		r->overflow = 0;
		r->curl_msg[0] = '\0';
		*status = 0;
		rc = curl_easy_perform(r->curl);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE,
			    status);
			if (*status >= 200 && *status < 300)
				return 0;
			snprintf(why, sizeof(why), "HTTP %ld", *status);
			w = why;
			if (*status != 429 && *status < 500)
				break;
		} else {
			w = curl_why(rc, r, why, sizeof(why));
			if (rc == CURLE_WRITE_ERROR ||
			    rc == CURLE_UNSUPPORTED_PROTOCOL ||
			    rc == CURLE_URL_MALFORMAT ||
			    rc == CURLE_PEER_FAILED_VERIFICATION)
				break;
		}
		if (tries >= r->o.max_tries)
			break;
		/* A server's Retry-After (seconds) wins, within the cap. */
		{
			curl_off_t ra = 0;

			if (rc == CURLE_OK && curl_easy_getinfo(r->curl,
			    CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
				sleep_ms(ra * 1000 > r->o.backoff_max_ms ?
				    r->o.backoff_max_ms : (long)ra * 1000);
			else
				sleep_ms(backoff);
		}
		backoff = backoff * 2 > r->o.backoff_max_ms ?
		    r->o.backoff_max_ms : backoff * 2;
	}
	r->tries = tries;
	if (rc == CURLE_OK && r->len > 0)
		return 0;	/* an HTTP error with a body: maybe JSON-RPC */
	if (tries > 1)
		return denai_err_set(err, DENAI_EPEER, "%s (after %d tries)", w,
		    tries);
	return denai_err_set(err, DENAI_EPEER, "%s", w);
}

/* An HTTP error status whose body was not a JSON-RPC reply. */
static void
http_error(const denai_rpc *r, long status, denai_err *err)
{
	if (r->tries > 1)
		denai_err_set(err, DENAI_EPEER, "HTTP %ld (after %d tries)",
		    status, r->tries);
	else
		denai_err_set(err, DENAI_EPEER, "HTTP %ld", status);
}

/* Builds {"jsonrpc":"2.0","id":id,"method":m,"params":p}. */
static json_t *
request(const char *method, const json_t *params, long long id)
{
	json_t *o = json_object(), *p;

	p = params != NULL ? json_deep_copy(params) : json_array();
	if (o == NULL || p == NULL ||
	    json_object_set_new(o, "jsonrpc", json_string("2.0")) != 0 ||
	    json_object_set_new(o, "id", json_integer(id)) != 0 ||
	    json_object_set_new(o, "method", json_string(method)) != 0 ||
	    json_object_set_new(o, "params", p) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
denai_rpc_call(denai_rpc *r, const char *method, const json_t *params,
    json_t **result, denai_err *err)
{
	return denai_rpc_call_err(r, NULL, method, params, result, err);
}

int
denai_rpc_call_err(denai_rpc *r, denai_rpc_error *rerr, const char *method,
    const json_t *params, json_t **result, denai_err *err)
{
	denai_rpc_error local = { 0 };
	json_t *req;
	char *body;
	long long id = r->next_id++;
	long status;
	int rc;

	*result = NULL;
	if (rerr == NULL)
		rerr = &local;
	denai_rpc_error_clear(rerr);
	if (params != NULL && !json_is_array(params))
		return denai_err_set(err, DENAI_EUSAGE,
		    "%s: params must be an array", method);
	if ((req = request(method, params, id)) == NULL ||
	    (body = json_dumps(req, JSON_COMPACT)) == NULL) {
		json_decref(req);
		return denai_err_set(err, DENAI_ENOMEM, "%s: out of memory",
		    method);
	}
	json_decref(req);
	rc = post(r, body, &status, err);
	free(body);
	if (rc == 0) {
		rc = denai_rpc_parse_reply(r->buf, r->len, id, result, rerr,
		    err);
		/* An HTTP error whose body is not a JSON-RPC error. */
		if (rc != 0 && !rerr->set && status >= 300)
			http_error(r, status, err);
	}
	if (rc != 0)
		denai_err_prefix(err, "%s to %s", method, r->endpoint);
	denai_rpc_error_clear(&local);
	return rc;
}

int
denai_rpc_batch(denai_rpc *r, denai_rpc_req *reqs, size_t n, denai_err *err)
{
	json_t *arr, *q;
	char *body;
	long long first = r->next_id;
	long status;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		reqs[i].result = NULL;
		memset(&reqs[i].error, 0, sizeof(reqs[i].error));
	}
	if (n == 0)
		return 0;
	r->next_id += (long long)n;
	if ((arr = json_array()) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "batch: out of memory");
	for (i = 0; i < n; i++) {
		if ((reqs[i].params != NULL && !json_is_array(reqs[i].params))) {
			json_decref(arr);
			return denai_err_set(err, DENAI_EUSAGE,
			    "%s: params must be an array", reqs[i].method);
		}
		q = request(reqs[i].method, reqs[i].params, first + (long long)i);
		if (json_array_append_new(arr, q) != 0) {
			json_decref(arr);
			return denai_err_set(err, DENAI_ENOMEM,
			    "batch: out of memory");
		}
	}
	body = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (body == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "batch: out of memory");
	rc = post(r, body, &status, err);
	free(body);
	if (rc == 0) {
		rc = denai_rpc_parse_batch(r->buf, r->len, first, reqs, n, err);
		if (rc != 0 && status >= 300)
			http_error(r, status, err);
	}
	if (rc != 0)
		denai_err_prefix(err, "batch of %zu (%s, ...) to %s", n,
		    reqs[0].method, r->endpoint);
	return rc;
}
