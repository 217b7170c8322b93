/* test_fetch_record.c - a request record's data point (inline, written to
 * data/, refused when not a data point) and model (written to models/ by
 * sha256, a file already there kept, a wrong hash refused), and the model
 * id and looked-up entry; from a local block store, no gateways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../tap.h"
#include "ipfs/blockstore.h"
#include "node/fetch_record.h"
#include "fileio.h"
#include "eth/hex.h"
#include "ipfs/add.h"

/* A CID the store does not hold (of "hello world"). */
#define ABSENT "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"

static char dir[] = "/tmp/test_fetch_record.XXXXXX";
static denai_blockstore *bs;

/* Adds text to the store; returns its CID string (static). */
static const char *
add(const char *text)
{
	static char s[4][DENAI_CID_STR_MAX];
	static int k;
	char *p = s[k++ % 4];
	denai_cid cid;
	denai_err err;

	if (denai_ipfs_add(bs, (const uint8_t *)text, strlen(text), 1, &cid,
	    &err) != 0 || denai_cid_format(p, DENAI_CID_STR_MAX, &cid, 0,
	    &err) != 0)
		diag("add: %s", err.msg);
	return p;
}

static json_t *
request(const char *key, const char *val)
{
	return json_pack("{s:s, s:s}", "type", "request", key, val);
}

static int
file_is(const char *path, const char *want)
{
	uint8_t *b = NULL;
	size_t n;
	int same;

	if (path == NULL || denai_file_read(&b, &n, path, 1 << 20, NULL) != 0)
		return 0;
	same = n == strlen(want) && memcmp(b, want, n) == 0;
	free(b);
	return same;
}

static void
test_data(denai_fetch_record *fr)
{
	const char *point = "[[1, 2.5], [3, 4]]", *cid = add(point);
	json_t *r = request("data_cid", cid);
	json_t *want = json_loads(point, 0, NULL);
	const char *path;
	denai_err err;
	char exp[512];

	ok(denai_fetch_record_data(fr, r, &err) == 0 &&
	    json_equal(json_object_get(r, "data"), want) &&
	    json_object_get(r, "data_path") == NULL, "small data inline");
	json_decref(r);

	fr->inline_max = 4;
	r = request("data_cid", cid);
	ok(denai_fetch_record_data(fr, r, &err) == 0 &&
	    json_object_get(r, "data") == NULL, "large data not inline");
	path = json_string_value(json_object_get(r, "data_path"));
	snprintf(exp, sizeof(exp), "%s/data/%s.json", dir, cid);
	is_str(path, exp, "  written to data/<cid>.json");
	ok(file_is(path, point), "  with the data point");
	json_decref(r);
	fr->inline_max = 1 << 20;
	json_decref(want);

	r = json_pack("{s:s}", "type", "request");
	ok(denai_fetch_record_data(fr, r, &err) == -1 &&
	    strcmp(err.msg, "request has no data_cid string") == 0,
	    "no data_cid");
	json_decref(r);
	r = request("data_cid", "bafynotacid");
	ok(denai_fetch_record_data(fr, r, &err) == -1 &&
	    strncmp(err.msg, "data_cid bafynotacid: ", 22) == 0,
	    "a bad data_cid (%s)", err.msg);
	json_decref(r);
	r = request("data_cid", add("[1, 2"));
	ok(denai_fetch_record_data(fr, r, &err) == -1 &&
	    err.code == DENAI_EDATA && strstr(err.msg, "is not JSON: ") != NULL,
	    "not JSON (%s)", err.msg);
	json_decref(r);
	r = request("data_cid", add("[]"));
	ok(denai_fetch_record_data(fr, r, &err) == -1 &&
	    strstr(err.msg, ": data point is not a non-empty nested array") !=
	    NULL, "an empty array (%s)", err.msg);
	json_decref(r);
	r = request("data_cid", add("{\"x\": [1, \"a\"]}"));
	ok(denai_fetch_record_data(fr, r, &err) == -1 &&
	    strstr(err.msg, "data point input 'x' is not") != NULL,
	    "an input holding a string (%s)", err.msg);
	json_decref(r);
	r = request("data_cid", add("{\"x\": [[1], [2]], \"y\": [0]}"));
	ok(denai_fetch_record_data(fr, r, &err) == 0 &&
	    json_is_object(json_object_get(r, "data")), "named inputs");
	json_decref(r);
}

static void
test_model_id(void)
{
	char id[DENAI_FETCH_MODEL_ID_MAX];
	json_t *r, *e;
	denai_err err;

	r = json_pack("{s:s, s:s, s:i}", "model_cid", "c", "model_sha256",
	    "s", "model_id", 3);
	is_int(denai_fetch_record_model_id(id, r, &err), 1,
	    "cid and sha256 given: nothing to look up");
	json_decref(r);
	r = json_pack("{s:s, s:s}", "model_cid", "c", "model_id", "m7");
	ok(denai_fetch_record_model_id(id, r, &err) == 0 &&
	    strcmp(id, "m7") == 0, "a string model_id");
	json_decref(r);
	r = json_pack("{s:i}", "model_id", 42);
	ok(denai_fetch_record_model_id(id, r, &err) == 0 &&
	    strcmp(id, "42") == 0, "an integer model_id");
	json_decref(r);
	r = json_pack("{s:b}", "model_id", 1);
	ok(denai_fetch_record_model_id(id, r, &err) == -1 &&
	    err.code == DENAI_EDATA, "no usable model_id (%s)", err.msg);
	json_decref(r);

	r = json_pack("{s:i}", "model_decimals", 2);
	e = json_pack("{s:s, s:s, s:i}", "cid", "C", "sha256", "S",
	    "decimals", 5);
	ok(denai_fetch_record_set_model(r, "7", e, "--models entry",
	    &err) == 0, "an entry applied");
	ok(strcmp(json_string_value(json_object_get(r, "model_cid")), "C") ==
	    0 && strcmp(json_string_value(json_object_get(r, "model_sha256")),
	    "S") == 0 && json_integer_value(json_object_get(r,
	    "model_decimals")) == 2,
	    "  cid, sha256; the record's decimals kept");
	json_decref(r);
	r = json_object();
	ok(denai_fetch_record_set_model(r, "7", e, "x", &err) == 0 &&
	    json_integer_value(json_object_get(r, "model_decimals")) == 5,
	    "  the entry's decimals when the record has none");
	json_decref(r);
	json_decref(e);
	r = json_object();
	e = json_pack("{s:s}", "cid", "C");
	ok(denai_fetch_record_set_model(r, "7", e, "--models entry",
	    &err) == -1 && strcmp(err.msg, "--models entry 7 needs \"cid\" "
	    "and \"sha256\" strings") == 0, "an entry without sha256");
	json_decref(r);
	json_decref(e);
}

static json_t *
model_request(const char *cid, const uint8_t sha[32])
{
	char hex[67];

	return json_pack("{s:s, s:s}", "model_cid", cid, "model_sha256",
	    denai_hex_encode(hex, sha, 32));
}

static void
test_model(denai_fetch_record *fr)
{
	const char *bytes = "pretend this is an onnx model";
	const char *cid = add(bytes);
	uint8_t sha[32], bad[32];
	char hex[67], exp[512];
	json_t *r;
	denai_err err;
	const char *path;
	denai_fetch_record fresh;

	SHA256((const uint8_t *)bytes, strlen(bytes), sha);
	denai_hex_encode(hex, sha, 32);
	snprintf(exp, sizeof(exp), "%s/models/%s.onnx", dir, hex + 2);

	memcpy(bad, sha, 32);
	bad[0] ^= 1;
	r = model_request(cid, bad);
	ok(denai_fetch_record_model(fr, r, &err) == -1 &&
	    strncmp(err.msg, "model: ", 7) == 0 && err.code == DENAI_EDATA,
	    "a wrong sha256 refused (%s)", err.msg);
	json_decref(r);

	r = model_request(cid, sha);
	ok(denai_fetch_record_model(fr, r, &err) == 0, "model fetched");
	path = json_string_value(json_object_get(r, "model_path"));
	is_str(path, exp, "  to models/<sha256>.onnx");
	ok(file_is(path, bytes), "  holding the model");
	is_str(json_string_value(json_object_get(r, "model_sha256")), hex,
	    "  model_sha256 as 0x hex");
	json_decref(r);

	/* A file already there with the right hash is kept: no fetch (the
	 * CID is of something the store does not have). */
	fresh = *fr;
	fresh.nverified = 0;
	r = model_request(ABSENT, sha);
	ok(denai_fetch_record_model(&fresh, r, &err) == 0,
	    "a verified file is kept");
	json_decref(r);
	/* Once verified, a context does not hash the file again. */
	if (denai_write_atomic(exp, (const uint8_t *)"junk", 4, 0644,
	    &err) != 0)
		diag("write: %s", err.msg);
	r = model_request(ABSENT, sha);
	ok(denai_fetch_record_model(&fresh, r, &err) == 0,
	    "checked once per context");
	json_decref(r);
	fresh.nverified = 0;
	r = model_request(ABSENT, sha);
	ok(denai_fetch_record_model(&fresh, r, &err) == -1 &&
	    strncmp(err.msg, "model: ", 7) == 0,
	    "a new context sees the file changed and cannot fetch it (%s)",
	    err.msg);
	json_decref(r);
	r = json_pack("{s:s}", "model_cid", cid);
	ok(denai_fetch_record_model(fr, r, &err) == -1 &&
	    err.code == DENAI_EDATA, "no model_sha256");
	json_decref(r);
	r = json_pack("{s:s, s:s}", "model_cid", cid, "model_sha256", "0x12");
	ok(denai_fetch_record_model(fr, r, &err) == -1 &&
	    strncmp(err.msg, "model_sha256: ", 14) == 0, "a short sha256");
	json_decref(r);
}

int
main(void)
{
	denai_fetch_record fr;
	denai_err err;
	char store[300];

	if (mkdtemp(dir) == NULL)
		skip_all("mkdtemp failed");
	snprintf(store, sizeof(store), "%s/store", dir);
	if ((bs = denai_blockstore_open(store, &err)) == NULL)
		skip_all("blockstore");
	memset(&fr, 0, sizeof(fr));
	if ((fr.f = denai_fetcher_new(bs, NULL, &err)) == NULL) {
		ok(0, "fetcher: %s", err.msg);
		return done_testing();
	}
	fr.dir = dir;
	fr.max = 1 << 20;
	fr.model_max = 1 << 20;
	fr.inline_max = 1 << 20;
	test_data(&fr);
	test_model_id();
	test_model(&fr);
	denai_fetcher_free(fr.f);
	denai_blockstore_close(bs);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			diag("cannot remove %s", dir);
	}
	return done_testing();
}
