/* test_rpc.c - the JSON-RPC client: the reply parser on crafted replies;
 * the transport against tests/rpc/server.py (retries, 429/5xx, garbage,
 * timeouts, batches, refused connections) with exact messages; and a live
 * anvil (chain id, nonce, fees, blocks, a signed transfer, a contract
 * whose call reverts with data, logs). Run from the repository root. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../tap.h"
#include "eth/hex.h"
#include "eth/rpc.h"
#include "eth/secp.h"
#include "eth/tx.h"

extern char **environ;

/* A child with its stdin (to close to stop it) and stdout (to read). */
struct child {
	pid_t pid;
	int in, out;
};

static int
spawn(struct child *c, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int pin[2], pout[2], rc;

	if (pipe(pin) != 0 || pipe(pout) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_addclose(&fa, pin[1]);
	posix_spawn_file_actions_addclose(&fa, pout[0]);
	rc = posix_spawn(&c->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pin[0]);
	close(pout[1]);
	c->in = pin[1];
	c->out = pout[0];
	return rc == 0 ? 0 : -1;
}

static void
reap(struct child *c)
{
	close(c->in);
	close(c->out);
	kill(c->pid, SIGTERM);
	waitpid(c->pid, NULL, 0);
}

/* A loopback port nobody listens on (bound, then released). */
static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &n) != 0)
		abort();
	port = ntohs(a.sin_port);
	close(s);
	return port;
}

static denai_rpc *
client(const char *base, const char *path, int tries, long timeout_ms,
    size_t max_reply)
{
	denai_rpc_opts o;
	char url[256];
	denai_rpc *r;

	denai_rpc_opts_default(&o);
	o.max_tries = tries;
	o.backoff_ms = 10;
	o.timeout_ms = timeout_ms;
	if (max_reply != 0)
		o.max_reply = max_reply;
	snprintf(url, sizeof(url), "%s%s", base, path);
	if ((r = denai_rpc_new(url, &o, NULL)) == NULL)
		abort();
	return r;
}

/* Calls method on base+path and checks the failure's code and message
 * ("%E" in want stands for the endpoint). */
static void
expect_fail(const char *base, const char *path, int tries, long timeout_ms,
    size_t max_reply, const char *method, int code, const char *want)
{
	denai_rpc *r = client(base, path, tries, timeout_ms, max_reply);
	char msg[512];
	const char *e = strstr(want, "%E");
	json_t *res;
	denai_err err;

	snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(e - want), want, base,
	    e + 2);
	denai_err_clear(&err);
	ok(denai_rpc_call(r, method, NULL, &res, &err) == -1 && res == NULL &&
	    err.code == code, "%s: fails with code %d", path, code);
	is_str(err.msg, msg, path);
	denai_rpc_free(r);
}

static void
test_parser(void)
{
	static const struct {
		const char *body, *msg;
		int code;
	} bad[] = {
		{ "", "malformed reply: not JSON ('[' or '{' expected near "
		  "end of file at byte 0)", DENAI_EPEER },
		{ "[]", "malformed reply: not a JSON object", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7}", "malformed reply: neither "
		  "result nor error", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"result\":1}",
		  "malformed reply: id is not an integer", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":1}",
		  "malformed reply: id 8, want 7", DENAI_EPEER },
		{ "{\"id\":7,\"result\":1}",
		  "malformed reply: jsonrpc is not \"2.0\"", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1,\"result\":2}",
		  "malformed reply: not JSON (duplicate object key near "
		  "'\"result\"' at byte 43)", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":\"x\","
		  "\"message\":\"m\"}}", "malformed reply: error code is not "
		  "an integer", DENAI_EPEER },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32000,"
		  "\"message\":\"nonce too low\"}}", "nonce too low (code "
		  "-32000)", DENAI_ESTATE },
		{ "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
		  "\"message\":\"parse error\"}}", "parse error (code -32700)",
		  DENAI_ESTATE },
		{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":3,"
		  "\"message\":\"execution reverted\",\"data\":{\"x\":1}}}",
		  "execution reverted (code 3, data {\"x\":1})", DENAI_ESTATE },
	};
	denai_rpc_error e = { 0 };
	denai_err err;
	json_t *res;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		denai_err_clear(&err);
		ok(denai_rpc_parse_reply(bad[i].body, strlen(bad[i].body), 7,
		    &res, &e, &err) == -1 && res == NULL &&
		    err.code == bad[i].code, "parse %zu refused", i);
		is_str(err.msg, bad[i].msg, "parse message");
	}
	{
		const char *b = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}";

		ok(denai_rpc_parse_reply(b, strlen(b), 7, &res, &e, &err) == 0
		    && json_is_null(res), "null result accepted");
	}
	ok(res != NULL,
	    "a null result is a value, not NULL");
	json_decref(res);
	ok(!e.set, "no error on a result");
	ok(denai_rpc_parse_reply("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1}",
	    10, 7, &res, &e, &err) == -1, "length is respected");
	denai_rpc_error_clear(&e);
}

static void
test_mock(void)
{
	char *argv[] = { "/usr/bin/python3", "tests/rpc/server.py", NULL };
	struct child srv;
	char base[64], line[32];
	denai_rpc *r;
	denai_err err;
	json_t *res;
	uint64_t v;
	ssize_t n;

	if (access(argv[0], X_OK) != 0 || access(argv[1], R_OK) != 0) {
		skip("no /usr/bin/python3 or tests/rpc/server.py");
		return;
	}
	if (spawn(&srv, argv) != 0 ||
	    (n = read(srv.out, line, sizeof(line) - 1)) <= 0) {
		ok(0, "start tests/rpc/server.py");
		return;
	}
	line[n] = '\0';
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", atoi(line));

	r = client(base, "/ok", 3, 5000, 0);
	ok(denai_rpc_chain_id(r, &v, &err) == 0 && v == 31337, "chain id");
	{
		static const uint8_t raw[] = { 0x02, 0xc0 };
		int unknown = 9;

		res = NULL;
		ok(denai_rpc_send_raw_sync(r, raw, sizeof(raw), &res, &unknown,
		    &err) == -1 && unknown == 1 && res == NULL,
		    "a node without eth_sendRawTransactionSync: said so, "
		    "nothing sent");
	}
	ok(denai_rpc_block_number(r, &v, &err) == 0 && v == 16,
	    "block number (same connection)");
	{
		json_t *call = json_pack("{ss}", "to",
		    "0x0000000000000000000000000000000000000001");
		uint8_t *out;
		size_t outlen;
		denai_rpc_error re = { 0 };

		ok(denai_rpc_eth_call(r, &out, &outlen, &re, call, NULL, &err)
		    == -1 && err.code == DENAI_ESTATE, "eth_call reverts");
		ok(re.set && re.code == 3 && re.data != NULL &&
		    strcmp(re.data, "0xdeadbeef") == 0,
		    "the revert comes back with the call's error");
		denai_rpc_error_clear(&re);
		json_decref(call);
	}
	{
		char want[256];

		snprintf(want, sizeof(want), "eth_call to %s: execution "
		    "reverted (code 3, data 0xdeadbeef)", base);
		is_str(err.msg, want, "revert message names method, endpoint");
	}
	{
		denai_rpc_error re = { 0 };
		json_t *call = json_pack("[{ss}]", "to",
		    "0x0000000000000000000000000000000000000001");

		ok(denai_rpc_call_err(r, &re, "eth_call", call, &res, &err)
		    == -1 && re.set && re.code == 3 && re.data != NULL &&
		    strcmp(re.data, "0xdeadbeef") == 0,
		    "revert data kept as hex");
		denai_rpc_error_clear(&re);
		json_decref(call);
	}
	{
		denai_u256 mf, pf;

		ok(denai_rpc_fees(r, &mf, &pf, &err) == -1 &&
		    err.code == DENAI_ESTATE, "fees: a node without blocks "
		    "fails with its error");
	}
	{
		denai_rpc_error re = { 0 };

		ok(denai_rpc_call_err(r, &re, "eth_nothing", NULL, &res, &err)
		    == -1 && err.code == DENAI_ESTATE && re.code == -32601,
		    "unknown method: the node's error");
		ok(denai_rpc_call_err(r, &re, "eth_chainId", NULL, &res, &err)
		    == 0 && !re.set, "the error cleared by a call that works");
		denai_rpc_error_clear(&re);
	}
	json_decref(res);
	denai_rpc_free(r);

	/* Batches, answered in reverse order. */
	{
		denai_rpc_req q[3] = {
			{ .method = "eth_chainId" },
			{ .method = "eth_blockNumber" },
			{ .method = "eth_nothing" },
		};

		r = client(base, "/batch", 1, 5000, 0);
		ok(denai_rpc_batch(r, q, 3, &err) == 0, "batch");
		ok(json_is_string(q[0].result) && strcmp(json_string_value(
		    q[0].result), "0x7a69") == 0 && json_is_string(q[1].result)
		    && strcmp(json_string_value(q[1].result), "0x10") == 0,
		    "batch replies matched by id");
		ok(q[2].result == NULL && q[2].error.set &&
		    q[2].error.code == -32601, "batch: one request's error");
		for (int i = 0; i < 3; i++)
			denai_rpc_req_clear(&q[i]);
		denai_rpc_free(r);
		r = client(base, "/batchshort", 1, 5000, 0);
		ok(denai_rpc_batch(r, q, 3, &err) == -1 &&
		    err.code == DENAI_EPEER && q[0].result == NULL,
		    "short batch refused");
		{
			char want[256];

			snprintf(want, sizeof(want), "batch of 3 (eth_chainId, "
			    "...) to %s: malformed reply: 2 replies to a batch "
			    "of 3", base);
			is_str(err.msg, want, "short batch message");
		}
		denai_rpc_free(r);
	}

	/* Retries. */
	r = client(base, "/flaky/a", 3, 5000, 0);
	ok(denai_rpc_chain_id(r, &v, &err) == 0 && v == 31337,
	    "two 503s, then an answer on the third try");
	denai_rpc_free(r);
	{
		struct timespec t0, t1;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = client(base, "/retryafter/a", 2, 5000, 0);
		ok(denai_rpc_chain_id(r, &v, &err) == 0 && v == 31337,
		    "429 with Retry-After, then an answer");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		/* backoff_ms is 10 here: waiting a second is Retry-After's. */
		ok(ms >= 900, "Retry-After: 1 was honoured (%ld ms)", ms);
		denai_rpc_free(r);
	}
	expect_fail(base, "/flaky/b", 2, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: HTTP 503 (after 2 tries)");
	expect_fail(base, "/429", 3, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: HTTP 429 (after 3 tries)");
	expect_fail(base, "/500html", 2, 5000, 0, "eth_blockNumber",
	    DENAI_EPEER, "eth_blockNumber to %E: HTTP 500 (after 2 tries)");
	expect_fail(base, "/500rpc", 2, 5000, 0, "eth_chainId", DENAI_ESTATE,
	    "eth_chainId to %E: header not found (code -32000)");
	expect_fail(base, "/garbage", 3, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: malformed reply: not JSON ('[' or '{' "
	    "expected near '<' at byte 1)");
	expect_fail(base, "/slow", 2, 300, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: timed out after 300 ms (after 2 tries)");
	expect_fail(base, "/close", 2, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: connection closed with no reply "
	    "(after 2 tries)");
	expect_fail(base, "/badid", 1, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: malformed reply: id 2, want 1");
	expect_fail(base, "/both", 1, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: malformed reply: both result and error");
	expect_fail(base, "/v1", 1, 5000, 0, "eth_chainId", DENAI_EPEER,
	    "eth_chainId to %E: malformed reply: jsonrpc is not \"2.0\"");
	expect_fail(base, "/big", 3, 5000, 1 << 20, "eth_chainId",
	    DENAI_EPEER, "eth_chainId to %E: reply larger than 1048576 bytes");
	reap(&srv);

	/* Nobody listening. */
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", free_port());
	expect_fail(base, "", 3, 5000, 0, "eth_call", DENAI_EPEER,
	    "eth_call to %E: connection refused (after 3 tries)");
	/* URLs. */
	ok(denai_rpc_new("ftp://127.0.0.1/", NULL, &err) == NULL &&
	    err.code == DENAI_EUSAGE, "ftp refused");
	is_str(err.msg, "rpc url ftp://127.0.0.1: only http:// and https:// "
	    "are supported", "url message");
	ok(denai_rpc_new("ftp://u:pw@h/k?t=1", NULL, &err) == NULL &&
	    strstr(err.msg, "pw") == NULL && strstr(err.msg, "t=1") == NULL,
	    "a refused url is shown without its credentials");
	r = denai_rpc_new("https://user:secret@node.example:8545/v3/KEY?x=1",
	    NULL, &err);
	ok(r != NULL, "https url accepted");
	if (r != NULL)
		is_str(denai_rpc_endpoint(r), "https://node.example:8545",
		    "endpoint hides credentials, path and query");
	denai_rpc_free(r);
}

/* Waits for a node at url to answer eth_chainId. */
static denai_rpc *
wait_node(const char *url)
{
	denai_rpc_opts o;
	denai_rpc *r;
	uint64_t id;
	struct timespec ts = { 0, 100000000 };

	denai_rpc_opts_default(&o);
	o.max_tries = 1;
	for (int i = 0; i < 300; i++) {
		if ((r = denai_rpc_new(url, &o, NULL)) == NULL)
			abort();
		if (denai_rpc_chain_id(r, &id, NULL) == 0) {
			denai_rpc_free(r);
			return denai_rpc_new(url, NULL, NULL);
		}
		denai_rpc_free(r);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Sends a signed transaction and waits for its receipt. */
static json_t *
send_and_wait(denai_rpc *r, const denai_tx *tx, const uint8_t sk[32],
    uint8_t hash[32])
{
	uint8_t *raw, got[32];
	size_t rawlen;
	json_t *rcpt = NULL;
	denai_err err;
	struct timespec ts = { 0, 50000000 };

	if (denai_tx_sign(&raw, &rawlen, hash, tx, sk, &err) != 0)
		return NULL;
	if (denai_rpc_send_raw(r, raw, rawlen, got, &err) != 0) {
		diag("%s", err.msg);
		free(raw);
		return NULL;
	}
	free(raw);
	if (memcmp(got, hash, 32) != 0)
		diag("node's hash differs from ours");
	for (int i = 0; i < 100 && rcpt == NULL; i++) {
		if (denai_rpc_receipt(r, hash, &rcpt, &err) != 0)
			return NULL;
		if (rcpt == NULL)
			nanosleep(&ts, NULL);
	}
	return rcpt;
}

static void
test_anvil(void)
{
	const char *anvil = getenv("ANVIL");
	char port[16], url[64];
	char *argv[] = { NULL, "--port", port, "--host", "127.0.0.1",
	    "--silent", NULL };
	static const char key[] = "ac0974bec39a17e36ba4a6b4d238ff944bacb478"
	    "cbed5efcae784d7bf4f2ff80";	/* anvil's first account */
	/* Init code deploying a contract whose every call reverts with the
	 * 4 bytes 0xdeadbeef. */
	static const char init[] = "600d600c600039600d6000f3"
	    "63deadbeef60005260046" "01cfd";
	uint8_t sk[32], from[20], hash[32], code[64], *out;
	size_t codelen, outlen;
	struct child c;
	denai_rpc *r;
	denai_rpc_block b;
	denai_u256 price, base;
	denai_rpc_error re = { 0 };
	denai_tx tx;
	denai_err err;
	uint64_t id, nonce, gas;
	json_t *rcpt, *call, *logs, *filter;

	if (anvil == NULL)
		anvil = "tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
	if (access(anvil, X_OK) != 0) {
		skip("no anvil (set ANVIL)");
		return;
	}
	snprintf(port, sizeof(port), "%d", free_port());
	snprintf(url, sizeof(url), "http://127.0.0.1:%s", port);
	argv[0] = (char *)anvil;
	if (spawn(&c, argv) != 0 || (r = wait_node(url)) == NULL) {
		ok(0, "anvil answers on %s", url);
		return;
	}
	if (denai_hex_decode_exact(sk, 32, key, NULL) != 0 ||
	    denai_secp_address(from, sk, NULL) != 0)
		abort();
	ok(denai_rpc_chain_id(r, &id, &err) == 0 && id == 31337,
	    "anvil: chain id 31337");
	ok(denai_rpc_nonce(r, from, NULL, &nonce, &err) == 0 && nonce == 0,
	    "anvil: pending nonce 0");
	ok(denai_rpc_gas_price(r, &price, &err) == 0 &&
	    !denai_u256_is_zero(&price), "anvil: gas price");
	ok(denai_rpc_base_fee(r, &base, &err) == 0, "anvil: base fee");
	ok(denai_rpc_max_priority_fee(r, &price, &err) == 0,
	    "anvil: max priority fee");
	{
		denai_u256 mf, pf, twice;

		ok(denai_rpc_fees(r, &mf, &pf, &err) == 0 &&
		    denai_u256_cmp(&pf, &price) == 0 &&
		    denai_u256_add(&twice, &base, &base) == 0 &&
		    denai_u256_add(&twice, &twice, &pf) == 0 &&
		    denai_u256_cmp(&mf, &twice) == 0,
		    "anvil: suggested fees: 2 * base + priority");
	}
	ok(denai_rpc_get_block(r, "latest", &b, &err) == 0 && b.number == 0,
	    "anvil: latest block 0");
	call = json_pack("{ssssss}", "from",
	    "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "to",
	    "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "value", "0x1");
	ok(denai_rpc_estimate_gas(r, &gas, NULL, call, &err) == 0 && gas == 21000,
	    "anvil: a transfer estimates 21000 gas");
	json_decref(call);

	/* A type-2 transfer signed here, mined there. */
	memset(&tx, 0, sizeof(tx));
	tx.type = DENAI_TX_EIP1559;
	tx.chain_id = id;
	tx.nonce = 0;
	denai_u256_from_u64(&tx.max_priority_fee, 1000000000);
	denai_u256_add(&tx.max_fee, &base, &base);
	denai_u256_add(&tx.max_fee, &tx.max_fee, &tx.max_priority_fee);
	tx.gas = 21000;
	tx.has_to = 1;
	memset(tx.to, 0x11, 20);
	denai_u256_from_u64(&tx.value, 12345);
	rcpt = send_and_wait(r, &tx, sk, hash);
	ok(rcpt != NULL && strcmp(json_string_value(json_object_get(rcpt,
	    "status")), "0x1") == 0, "anvil: type-2 transfer mined");
	json_decref(rcpt);

	/* A legacy EIP-155 contract creation. */
	tx.type = DENAI_TX_LEGACY;
	tx.nonce = 1;
	tx.gas_price = tx.max_fee;
	tx.gas = 200000;
	tx.has_to = 0;
	denai_u256_from_u64(&tx.value, 0);
	if (denai_hex_decode(code, sizeof(code), &codelen, init, strlen(init),
	    0, NULL) != 0)
		abort();
	tx.data = code;
	tx.datalen = codelen;
	rcpt = send_and_wait(r, &tx, sk, hash);
	ok(rcpt != NULL && strcmp(json_string_value(json_object_get(rcpt,
	    "status")), "0x1") == 0, "anvil: legacy creation mined");
	call = json_pack("{sO}", "to", json_object_get(rcpt, "contractAddress"));
	json_decref(rcpt);
	ok(denai_rpc_eth_call(r, &out, &outlen, &re, call, NULL, &err) == -1 &&
	    err.code == DENAI_ESTATE, "anvil: call reverts");
	ok(re.data != NULL && strcmp(re.data, "0xdeadbeef") == 0,
	    "anvil: revert data as hex (%s)", err.msg);
	denai_rpc_error_clear(&re);
	json_decref(call);
	ok(denai_rpc_block_number(r, &id, &err) == 0 && id == 2,
	    "anvil: two blocks mined");
	ok(denai_rpc_get_block(r, "0x2", &b, &err) == 0 && b.number == 2,
	    "anvil: block 2");
	{
		denai_rpc_block b1;

		ok(denai_rpc_get_block(r, "0x1", &b1, &err) == 0 &&
		    memcmp(b1.hash, b.parent_hash, 32) == 0,
		    "anvil: parent hash links");
	}
	ok(denai_rpc_get_block(r, "0x99", &b, &err) == -1 &&
	    err.code == DENAI_EDATA, "anvil: no block 0x99");
	filter = json_pack("{ssss}", "fromBlock", "0x0", "toBlock", "latest");
	ok(denai_rpc_get_logs(r, filter, &logs, &err) == 0 &&
	    json_array_size(logs) == 0, "anvil: no logs");
	json_decref(filter);
	json_decref(logs);
	ok(denai_rpc_get_block(r, "latest", &b, &err) == 0 && b.has_bloom,
	    "anvil: a block's logs bloom is read");

	/* eth_sendRawTransactionSync: the receipt in the send's answer. */
	{
		uint8_t *raw;
		size_t rawlen;
		int unknown = 9;

		tx.type = DENAI_TX_EIP1559;
		tx.nonce = 2;
		tx.gas = 21000;
		tx.has_to = 1;
		memset(tx.to, 0x22, 20);
		tx.data = NULL;
		tx.datalen = 0;
		denai_u256_from_u64(&tx.value, 7);
		rcpt = NULL;
		ok(denai_tx_sign(&raw, &rawlen, hash, &tx, sk, &err) == 0 &&
		    denai_rpc_send_raw_sync(r, raw, rawlen, &rcpt, &unknown,
		    &err) == 0 && unknown == 0 && rcpt != NULL &&
		    strcmp(json_string_value(json_object_get(rcpt, "status")),
		    "0x1") == 0, "anvil: a sync send answers with the receipt");
		json_decref(rcpt);
		free(raw);
	}
	denai_rpc_free(r);
	reap(&c);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_parser();
	test_mock();
	test_anvil();
	return done_testing();
}
