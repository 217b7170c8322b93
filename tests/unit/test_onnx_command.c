/* test_onnx_command.c - predictions from a local program: its input line,
 * integer and scaled decimal answers, and each way it can fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "onnx/command.h"

/* 2^256 - 1, the int256 form of -1 */
#define NEG1 "115792089237316195423570985008687907853269984665640564039457584007913129639935"

static void
run(const char *cmd, unsigned decimals, unsigned timeout, int code,
    const char *want, const char *want_raw)
{
	json_t *data = json_pack("[[f, f]]", 1.5, 2.0);
	char out[DENAI_U256_DEC_MAX] = "", *raw = (char *)"x";
	denai_err err;
	int rc;

	denai_err_clear(&err);
	rc = denai_predict_command(cmd, data, decimals, timeout, out, &raw,
	    &err);
	if (code == DENAI_OK)
		is_str(rc == 0 ? out : err.msg, want, cmd);
	else
		ok(rc == -1 && err.code == code && strstr(err.msg, want) != NULL,
		    "%s: fails (%s)", cmd, err.msg);
	if (want_raw != NULL)
		is_str(raw, want_raw, "  its output as printed");
	else
		ok(raw == NULL, "  no output kept");
	free(raw);
	json_decref(data);
}

int
main(void)
{
	char zeros[256];

	run("echo 42", 0, 10, DENAI_OK, "42", "42");
	run("printf '7 \\r\\n\\n'", 0, 10, DENAI_OK, "7", "7");
	run("read l; test \"$l\" = '[[1.5,2.0]]' && echo 1", 0, 10, DENAI_OK,
	    "1", "1");
	run("echo 1.25", 2, 10, DENAI_OK, "125", "1.25");
	run("echo -1", 0, 10, DENAI_OK, NEG1, "-1");
	run("echo 0.5", 0, 10, DENAI_OK, "1", "0.5");
	run("echo abc", 0, 10, DENAI_EDATA, "command printed no number: abc",
	    "abc");
	run("true", 0, 10, DENAI_EDATA, "printed no number", "");
	run("echo nan", 0, 10, DENAI_EDATA, "command output: ", "nan");
	run("echo 1; exit 3", 0, 10, DENAI_EPEER,
	    "command exited with status 3", NULL);
	run("exec sleep 5", 0, 1, DENAI_EPEER, "command timed out after 1 s",
	    NULL);
	/* Output past 255 bytes is read and dropped: of 299 zeros and a 1,
	 * the first 255 zeros are the answer. */
	memset(zeros, '0', 255);
	zeros[255] = '\0';
	run("printf %0300d 1", 0, 10, DENAI_OK, "0", zeros);
	return done_testing();
}
