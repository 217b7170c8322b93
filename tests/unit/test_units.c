/* test_units.c - ether amounts, line splitting, the deployment file. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "node/deployment.h"
#include "linebuf.h"
#include "eth/units.h"

static void
amount(const char *in, const char *want_dec, const char *name)
{
	denai_u256 v;
	denai_err err;
	char dec[DENAI_U256_DEC_MAX];

	if (!ok(denai_units_parse(&v, in, &err) == 0, "%s parses", name)) {
		diag("%s", err.msg);
		return;
	}
	is_str(denai_u256_to_dec(dec, &v), want_dec, name);
}

static void
bad_amount(const char *in, const char *want_msg)
{
	denai_u256 v;
	denai_err err = {0, ""};

	ok(denai_units_parse(&v, in, &err) == -1, "'%s' is refused", in);
	is_str(err.msg, want_msg, "its message");
}

static void
test_units(void)
{
	char e[DENAI_U256_DEC_MAX + 2];
	denai_u256 v;

	amount("0", "0", "zero");
	amount("100", "100", "plain wei");
	amount("100wei", "100", "wei unit");
	amount("5gwei", "5000000000", "gwei");
	amount("0.01ether", "10000000000000000", "0.01 ether");
	amount("1.5 ETH", "1500000000000000000", "unit with a space, any case");
	amount("0.000000000000000001ether", "1", "one wei in ether");
	amount("115792089237316195423570985008687907853269984665640564039457"
	    "584007913129639935", "1157920892373161954235709850086879078532"
	    "69984665640564039457584007913129639935", "2^256-1 wei");
	bad_amount("", "'' is not an amount (try 0.01ether)");
	bad_amount("ether", "'ether' is not an amount (try 0.01ether)");
	bad_amount("1 finney", "unknown unit 'finney' in '1 finney' (wei, gwei, "
	    "ether)");
	bad_amount("1.5wei", "'1.5wei' has more decimals than the unit allows");
	bad_amount("0.0000000000000000001ether",
	    "'0.0000000000000000001ether' has more decimals than the unit "
	    "allows");
	bad_amount("1157920892373161954235709850086879078532699846656405640394"
	    "57584007913129639936", "'1157920892373161954235709850086879078"
	    "53269984665640564039457584007913129639936' is too large");
	bad_amount("1e18", "unknown unit 'e18' in '1e18' (wei, gwei, ether)");

	denai_u256_from_u64(&v, 10000000000000000ULL);
	is_str(denai_units_ether(e, &v), "0.01", "0.01 ether printed");
	denai_u256_from_u64(&v, 0);
	is_str(denai_units_ether(e, &v), "0", "zero printed");
	if (denai_u256_parse(&v, "12345000000000000000000", 23, NULL) != 0)
		return;
	is_str(denai_units_ether(e, &v), "12345", "whole ether printed");
}

static void
test_linebuf(void)
{
	int p[2];
	denai_linebuf lb;
	denai_err err = {0, ""};
	const char *line;
	size_t len;
	char big[100];

	if (pipe(p) != 0)
		return;
	denai_linebuf_init(&lb, p[0], 16);
	(void)!write(p[1], "one\ntw", 6);
	ok(denai_linebuf_fill(&lb, &err) == 6, "six bytes read");
	ok(denai_linebuf_next(&lb, &line, &len, &err) == 1 && len == 3 &&
	    memcmp(line, "one", 3) == 0, "first line");
	ok(denai_linebuf_next(&lb, &line, &len, &err) == 0,
	    "a partial line waits");
	(void)!write(p[1], "o\n", 2);
	ok(denai_linebuf_fill(&lb, &err) == 2, "two more bytes");
	ok(denai_linebuf_next(&lb, &line, &len, &err) == 1 && len == 3 &&
	    memcmp(line, "two", 3) == 0, "second line joined across reads");
	memset(big, 'x', sizeof(big));
	(void)!write(p[1], big, sizeof(big));
	(void)!write(p[1], "\nlast", 5);
	close(p[1]);
	while (denai_linebuf_fill(&lb, &err) > 0)
		;
	ok(denai_linebuf_next(&lb, &line, &len, &err) == -1,
	    "an overlong line is refused");
	is_str(err.msg, "line 3: longer than 16 bytes", "naming the line");
	ok(denai_linebuf_next(&lb, &line, &len, &err) == 1 && len == 4 &&
	    memcmp(line, "last", 4) == 0 && lb.lineno == 4,
	    "then the last line, without its newline, at end of input");
	ok(denai_linebuf_next(&lb, &line, &len, &err) == 0, "then nothing");
	denai_linebuf_free(&lb);
	close(p[0]);
}

static void
bad_deployment(const char *json, const char *want)
{
	denai_deployment d;
	denai_err err = {0, ""};

	ok(denai_deployment_parse(&d, json, strlen(json), &err) == -1,
	    "deployment refused: %s", want);
	is_str(err.msg, want, "its message");
}

static void
test_deployment(void)
{
	const char *good = "{\"chain_id\":31337,\"oracle\":"
	    "\"0x5FbDB2315678afecb367f032d93F642f64180aa3\",\"consumer\":"
	    "\"0xe7f1725e7734ce288f8367e1bb143e90bb3f0512\",\"tasks\":"
	    "\"0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0\",\"block\":7}";
	denai_deployment d, d2;
	denai_err err;
	char path[] = "/tmp/denai-dep-XXXXXX";
	int fd;

	ok(denai_deployment_parse(&d, good, strlen(good), &err) == 0,
	    "a deployment parses");
	ok(d.chain_id == 31337 && d.block == 7 && d.has_consumer &&
	    !d.has_token && d.oracle[0] == 0x5f && d.consumer[19] == 0x12 &&
	    d.has_tasks && d.tasks[0] == 0x9f && d.tasks[19] == 0xe0,
	    "its fields (tasks too)");
	{
		const char *old = "{\"chain_id\":1,\"oracle\":"
		    "\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}";

		ok(denai_deployment_parse(&d2, old, strlen(old), &err) == 0 &&
		    !d2.has_tasks, "an older file without \"tasks\" still parses");
	}
	if ((fd = mkstemp(path)) >= 0) {
		close(fd);
		ok(denai_deployment_save(&d, path, &err) == 0, "saved");
		ok(denai_deployment_load(&d2, path, &err) == 0 &&
		    memcmp(&d, &d2, sizeof(d)) == 0, "loaded back the same");
		unlink(path);
	}
	bad_deployment("[]", "deployment is not a JSON object");
	bad_deployment("{\"oracle\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}",
	    "deployment has no \"chain_id\"");
	bad_deployment("{\"chain_id\":-1}",
	    "deployment \"chain_id\" is not a non-negative integer");
	bad_deployment("{\"chain_id\":1}", "deployment has no \"oracle\" address");
	bad_deployment("{\"chain_id\":1,\"oracle\":"
	    "\"0x5FBDB2315678afecb367f032d93F642f64180aa3\"}",
	    "deployment \"oracle\": bad address checksum (EIP-55): "
	    "0x5FBDB2315678afecb367f032d93F642f64180aa3, want "
	    "0x5FbDB2315678afecb367f032d93F642f64180aa3");
	ok(denai_deployment_load(&d, "/nonexistent/dep.json", &err) == -1 &&
	    err.code == DENAI_EIO, "a missing file is an i/o error");
}

int
main(void)
{
	test_units();
	test_linebuf();
	test_deployment();
	return done_testing();
}
