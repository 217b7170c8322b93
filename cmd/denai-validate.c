/*
 * denai-validate - the validator's pipeline stage: scores each submission
 * record's model on the task's test set (the integer score of
 * docs/platform.md, computed as the oracle predicts), judges the test set,
 * and on a task's score phases adds the sealed score list to commit, then
 * the same list to reveal. Everything it emits is saved first in its state
 * directory, so a restart gives the same answers and the same seal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/key.h"
#include "common/metrics.h"
#include "eth/hex.h"
#include "eth/secp.h"
#include "node/record.h"
#include "validate/stage.h"

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-validate --state dir [--validator address] "
	    "[--jobs n]\n"
	    "                      [--limits version] [--metrics file]\n");
	exit(status);
}

/* An error record for rec, copying the fields that identify it. */
static denai_metrics *metrics;	/* --metrics, or NULL */

static int
emit_error(const json_t *rec, unsigned long line, const char *msg,
    denai_err *err)
{
	static const char *const ids[] = { "task_id", "trainer", "queue",
	    "action", NULL };
	json_t *e = denai_record_error_new("validate", rec, line, msg);
	int rc;

	if (e == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	for (int i = 0; rec != NULL && ids[i] != NULL; i++)
		if (json_object_get(rec, ids[i]) != NULL)
			json_object_set(e, ids[i], json_object_get(rec, ids[i]));
	rc = denai_record_write(stdout, e, err);
	json_decref(e);
	return rc;
}

static int
run(struct denai_validator *v, unsigned long *failed, denai_err *err)
{
	denai_reader r;
	denai_err rerr;
	json_t *rec;
	int got, rc = 0, act;

	denai_reader_init(&r, stdin);
	while ((got = denai_reader_next(&r, &rec, &rerr)) != 0) {
		double t0 = denai_metrics_now();

		denai_metrics_in(metrics);
		if (got < 0) {
			(*failed)++;
			if ((rc = emit_error(NULL, r.lineno, rerr.msg, err)) != 0)
				break;
			continue;
		}
		denai_err_clear(&rerr);
		if (denai_record_is(rec, "submission"))
			act = denai_validate_submission(v, rec, &rerr);
		else if (denai_record_is(rec, "task"))
			act = denai_validate_task(v, rec, &rerr);
		else
			act = 0;
		if (metrics != NULL && act == 0 && (denai_record_is(rec,
		    "submission") || denai_record_is(rec, "task")))
			denai_metrics_time(metrics, denai_metrics_now() - t0);
		if (act == 0) {
			rc = denai_record_write(stdout, rec, err);
			denai_metrics_out(metrics);
		} else {
			denai_metrics_error(metrics,
			    denai_err_code_name(rerr.code));
			denai_metrics_out(metrics);
			(*failed)++;
			if (rerr.code == DENAI_EIO &&
			    strstr(rerr.msg, "state") != NULL)
				cli_warn("%s", rerr.msg);
			rc = emit_error(rec, 0, rerr.msg, err);
		}
		json_decref(rec);
		if (rc != 0)
			break;
	}
	denai_reader_free(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "validator", required_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "limits", required_argument, NULL, 'l' },
		{ "salt", required_argument, NULL, 'S' },
		{ "metrics", required_argument, NULL, 1000 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct denai_validator v;
	const char *validator = NULL, *salt = NULL, *metrics_file = NULL;
	unsigned long failed = 0, ver = DENAI_LIMITS_VERSION;
	uint8_t addr[DENAI_ADDR_LEN];
	denai_err err;
	int ch;

	cli_init("denai-validate");
	v.jobs = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': v.state_dir = optarg; break;
		case 'v': validator = optarg; break;
		case 'j':
			v.jobs = (int)cli_parse_count("--jobs", optarg);
			if (v.jobs < 1 || v.jobs > 64)
				cli_die(EX_USAGE, "--jobs: 1 to 64");
			break;
		case 'l': ver = cli_parse_count("--limits", optarg); break;
		case 'S': salt = optarg; break;
		case 1000: metrics_file = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc || v.state_dir == NULL)
		usage(stderr, EX_USAGE);
	if ((v.limits = denai_limits_get((unsigned)ver)) == NULL)
		cli_die(EX_USAGE, "--limits: no limits version %lu", ver);
	if (salt != NULL) {
		if (denai_hex_decode_exact(v.salt, 32, salt, &err) != 0)
			cli_die(EX_USAGE, "--salt: %s", err.msg);
		v.fixed_salt = 1;
	}
	if (validator == NULL)
		validator = cli_setting(NULL, "DENAI_VALIDATOR", NULL);
	if (validator != NULL) {
		if (denai_secp_addr_parse(addr, validator, strlen(validator),
		    &err) != 0)
			cli_die(EX_USAGE, "--validator: %s", err.msg);
		denai_secp_addr_checksum(v.validator, addr);
	} else if (getenv("DENAI_PRIVATE_KEY") || getenv("ETH_KEYSTORE") ||
	    getenv("ETH_FROM")) {
		if (cli_key_address(addr, v.validator, NULL, &err) != 0)
			cli_die_err(&err);
	}
	metrics = cli_metrics_start(metrics_file, "validate");
	if (run(&v, &failed, &err) != 0)
		cli_die_err(&err);
	denai_validator_free(&v);
	return 0;
}
