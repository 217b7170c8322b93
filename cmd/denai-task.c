/*
 * denai-task - training tasks from a terminal: post one (its training set
 * added to the block store, its test set kept private until the reveal),
 * reveal its test set, list and show tasks, cancel, finalize, withdraw.
 * One function per verb.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "common/key.h"
#include "eth/hex.h"
#include "eth/units.h"
#include "fileio.h"
#include "ipfs/add.h"
#include "ipfs/blockstore.h"
#include "task/data.h"
#include "task/task_record.h"
#include "task/seal.h"
#include "task/secret.h"
#include "task/tasks.h"

#define TIMEOUT_MS 120000
#define CSV_MAX (64u << 20)

static struct {
	const char *rpc_url, *dep, *keystore, *ipfs_dir, *state_dir;
	const char *train, *test, *label, *kind, *reward, *reveal_bond,
	    *commit_bond, *windows;
	unsigned decimals, quorum;
	int wait, auto_reveal, all;
	unsigned long long timeout_s;
} o = { .kind = "classification", .reveal_bond = "0", .commit_bond = "0",
    .windows = "100,100,100,100,100", .quorum = 1, .timeout_s = 3600 };

static cli_chain c;
static denai_tasks *tasks;
static uint8_t at[DENAI_ADDR_LEN];

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-task create --train FILE --test FILE --label NAME\n"
	    "                  [--kind classification|regression]"
	    " [--decimals N]\n"
	    "                  --reward ETH [--reveal-bond ETH]"
	    " [--commit-bond ETH]\n"
	    "                  [--quorum N] [--windows C,T,M,S,R]"
	    " [--auto-reveal] [--wait]\n"
	    "       denai-task reveal ID [--wait]\n"
	    "       denai-task list [--all]\n"
	    "       denai-task show ID [--wait]\n"
	    "       denai-task cancel ID\n"
	    "       denai-task finalize ID\n"
	    "       denai-task withdraw\n"
	    "common: [--rpc-url URL] [--deployment FILE] [--keystore PATH]\n"
	    "        [--ipfs-dir DIR] [--state-dir DIR] [--timeout SECONDS]\n");
	exit(status);
}

static uint64_t
parse_id(const char *s)
{
	if (s == NULL)
		usage(EX_USAGE);
	return cli_parse_count("task id", s);
}

static void
open_chain(void)
{
	denai_err err;

	if (cli_chain_open(&c, o.rpc_url, o.dep, &err) != 0 ||
	    denai_tasks_at(at, &c.dep, &err) != 0 ||
	    (tasks = denai_tasks_new(&err)) == NULL)
		cli_die_err(&err);
}

/* The creator's state folder for this chain and contract. */
static const char *
state_dir(void)
{
	static char dir[PATH_MAX];
	char root[PATH_MAX - 64];
	const char *flag = cli_setting(o.state_dir, "DENAI_TASK_STATE", NULL);
	denai_err err;

	if (flag != NULL)
		snprintf(root, sizeof(root), "%s", flag);
	else {
		cli_state_root(root, sizeof(root) - 6);
		strcat(root, "/tasks");
	}
	if (denai_task_secret_dir(dir, root, c.chain_id, at, &err) != 0)
		cli_die_err(&err);
	return dir;
}

/* Sends fn and dies with the contract's error name on a revert. */
static json_t *
send(enum denai_tasks_fn fn, json_t *args, const denai_u256 *value)
{
	char name[DENAI_TASK_ERRNAME_MAX];
	uint8_t hash[32];
	denai_sender *s;
	denai_err err;
	json_t *rc;

	if ((s = cli_sender_open(c.rpc, c.chain_id, o.keystore, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	if (denai_tasks_send_wait(tasks, s, c.rpc, at, fn, args, value,
	    TIMEOUT_MS, &rc, hash, name, &err) != 0)
		cli_die(err.code == DENAI_ESTATE ? EX_DATAERR :
		    denai_err_exit_status(err.code), "%s", err.msg);
	denai_sender_free(s);
	json_decref(args);
	return rc;
}

/* Returns: 1 when fn's estimate passes; 0 with err (a revert named). */
static int
would_pass(enum denai_tasks_fn fn, const json_t *args, const denai_u256 *value,
    denai_err *err)
{
	denai_sender *s;
	uint8_t *cd;
	size_t cdlen;
	uint64_t gas;
	int rc;

	if ((s = cli_sender_open(c.rpc, c.chain_id, o.keystore, NULL,
	    err)) == NULL)
		cli_die_err(err);
	rc = denai_tasks_prepare(tasks, s, c.rpc, at, fn, args, value, &cd,
	    &cdlen, &gas, NULL, err) == 0;
	if (rc)
		free(cd);
	denai_sender_free(s);
	if (!rc && err->code != DENAI_ESTATE)
		cli_die_err(err);
	return rc;
}

static unsigned
phase_of(uint64_t id)
{
	unsigned ph;
	denai_err err;

	if (denai_tasks_phase(tasks, c.rpc, at, id, &ph, &err) != 0)
		cli_die_err(&err);
	return ph;
}

static void
show_task(uint64_t id)
{
	denai_err err;
	json_t *r = denai_task_show(tasks, c.rpc, at, c.chain_id, id, &err);

	if (r == NULL)
		cli_die_err(&err);
	cli_print_json(r);
}

/*
 * Waits until the task's phase is at least until (or it ended), printing
 * a short phase record at each change. Returns: the phase reached.
 */
static unsigned
wait_phase(uint64_t id, unsigned until, int print)
{
	uint64_t start = denai_now_ms(), head = 0;
	unsigned ph, last = ~0u;
	denai_err err;

	for (;;) {
		ph = phase_of(id);
		if (ph != last && print) {
			json_t *r;

			if (denai_tasks_head(c.rpc, &head, &err) != 0)
				cli_die_err(&err);
			r = json_pack("{ss sI ss sI}", "type", "phase",
			    "task_id", (json_int_t)id,
			    "phase", denai_task_phase_name(ph),
			    "block_number", (json_int_t)head);
			cli_print_json(r);
		}
		last = ph;
		if (ph >= until || ph >= DENAI_TASK_FINALIZED ||
		    ph == DENAI_TASK_NONE)
			return ph;
		if (denai_now_ms() - start > o.timeout_s * 1000)
			cli_die(EX_TEMPFAIL, "task %llu still in phase %s after "
			    "%llu s", (unsigned long long)id,
			    denai_task_phase_name(ph), o.timeout_s);
		usleep(250 * 1000);
	}
}

static uint8_t *
read_csv(const char *path, size_t *n)
{
	uint8_t *p;
	denai_err err;

	if (denai_file_read(&p, n, path, CSV_MAX, &err) != 0)
		cli_die_err(&err);
	return p;
}

/* Reveals the test set of task id from the saved state. */
static void
reveal(uint64_t id)
{
	denai_task_secret s, *pend = NULL;
	denai_blockstore *bs;
	denai_cid cid;
	denai_err err;
	char salt[67], d[24];
	uint8_t *csv;
	size_t n, npend = 0;
	int found;
	unsigned ph;

	const char *dir = state_dir();

	if ((found = denai_task_secret_load(&s, dir, id, &err)) < 0)
		cli_die_err(&err);
	if (!found) {
		/* A create whose receipt never came back: the pending
		 * secret whose seal the chain accepts is this task's. */
		if (denai_task_secret_pending(&pend, &npend, dir, &err) != 0)
			cli_die_err(&err);
		snprintf(d, sizeof(d), "%llu", (unsigned long long)id);
		for (size_t i = 0; i < npend && !found; i++) {
			json_t *a = json_pack("[sss]", d, pend[i].test_cid,
			    denai_hex_encode(salt, pend[i].salt, 32));
			uint8_t *cd;
			size_t cdlen;
			uint64_t gas;
			denai_sender *snd = cli_sender_open(c.rpc, c.chain_id,
			    o.keystore, NULL, &err);

			if (snd == NULL)
				cli_die_err(&err);
			if (denai_tasks_prepare(tasks, snd, c.rpc, at,
			    DENAI_TFN_REVEAL_TEST, a, NULL, &cd, &cdlen, &gas,
			    NULL, NULL) == 0) {
				s = pend[i];
				s.has_id = 1;
				s.task_id = id;
				found = 1;
				free(cd);
			}
			denai_sender_free(snd);
			json_decref(a);
		}
		for (size_t i = 0; i < npend; i++)
			denai_task_secret_wipe(&pend[i]);
		free(pend);
		if (!found)
			cli_die(EX_DATAERR, "no saved test set for task %llu "
			    "in %s", (unsigned long long)id, dir);
		if (denai_task_secret_save(&s, dir, &err) != 0)
			cli_die_err(&err);
	}
	ph = phase_of(id);
	if (ph == DENAI_TASK_COMMIT && o.wait)
		ph = wait_phase(id, DENAI_TASK_TEST_REVEAL, 0);
	if (ph == DENAI_TASK_COMMIT)
		cli_die(EX_TEMPFAIL, "task %llu still takes commits: reveal "
		    "after its commit deadline (or use --wait)",
		    (unsigned long long)id);
	if (ph != DENAI_TASK_TEST_REVEAL)
		cli_die(EX_DATAERR, "task %llu is in phase %s: its test set "
		    "can no longer be revealed", (unsigned long long)id,
		    denai_task_phase_name(ph));
	/* Into the served store only now, and checked against the seal. */
	csv = read_csv(s.test_copy, &n);
	if ((bs = denai_blockstore_open(cli_ipfs_dir(o.ipfs_dir), &err)) == NULL ||
	    denai_ipfs_add(bs, csv, n, 1, &cid, &err) != 0)
		cli_die_err(&err);
	denai_blockstore_close(bs);
	free(csv);
	if (strcmp(denai_cid_str(&cid), s.test_cid) != 0)
		cli_die(EX_DATAERR, "%s no longer has CID %s", s.test_copy,
		    s.test_cid);
	snprintf(d, sizeof(d), "%llu", (unsigned long long)id);
	json_decref(send(DENAI_TFN_REVEAL_TEST, json_pack("[sss]", d,
	    s.test_cid, denai_hex_encode(salt, s.salt, 32)), NULL));
	denai_task_secret_wipe(&s);
}

/* An amount in ether ("1", "0.1"), or with a unit ("10gwei", "5wei"). */
static void
parse_eth(denai_u256 *wei, const char *opt, const char *s)
{
	char buf[96];
	denai_err err;

	if (strlen(s) < 64 && strspn(s, "0123456789.") == strlen(s)) {
		snprintf(buf, sizeof(buf), "%sether", s);
		s = buf;
	}
	if (denai_units_parse(wei, s, &err) != 0)
		cli_die(EX_USAGE, "%s: %s", opt, err.msg);
}

static void
parse_windows(uint64_t w[DENAI_DL_COUNT])
{
	const char *p = o.windows;
	char *end;

	for (unsigned i = 0; i < DENAI_DL_COUNT; i++) {
		w[i] = strtoull(p, &end, 10);
		if (end == p || w[i] == 0 || (i < 4 ? *end != ',' :
		    *end != '\0'))
			cli_die(EX_USAGE, "--windows: five block counts, "
			    "C,T,M,S,R (commit, test reveal, model reveal, "
			    "score commit, score reveal)");
		p = end + 1;
	}
}

static int
cmd_create(void)
{
	denai_u256 reward, rbond, cbond, value;
	denai_task_secret s;
	denai_blockstore *bs;
	denai_cid train_cid, test_cid;
	denai_err err;
	uint64_t win[DENAI_DL_COUNT], dls[DENAI_DL_COUNT], id;
	char rb[DENAI_U256_DEC_MAX], cb[DENAI_U256_DEC_MAX], seal[67];
	uint8_t *train, *test;
	size_t ntrain, ntest;
	unsigned kind;
	json_t *dl, *rc, *args;
	const char *dir;

	if (o.train == NULL || o.test == NULL || o.label == NULL ||
	    o.reward == NULL)
		usage(EX_USAGE);
	if (strcmp(o.kind, "classification") == 0)
		kind = DENAI_TASK_KIND_CLASSIFICATION;
	else if (strcmp(o.kind, "regression") == 0)
		kind = DENAI_TASK_KIND_REGRESSION;
	else
		cli_die(EX_USAGE, "--kind: classification or regression");
	if (o.decimals > 18 || (kind == DENAI_TASK_KIND_CLASSIFICATION &&
	    o.decimals != 0))
		cli_die(EX_USAGE, "--decimals: 0..18, and 0 for classification");
	parse_eth(&reward, "--reward", o.reward);
	parse_eth(&rbond, "--reveal-bond", o.reveal_bond);
	parse_eth(&cbond, "--commit-bond", o.commit_bond);
	if (denai_u256_add(&value, &reward, &rbond) != 0)
		cli_die(EX_USAGE, "--reward plus --reveal-bond overflows");
	parse_windows(win);

	train = read_csv(o.train, &ntrain);
	test = read_csv(o.test, &ntest);
	if (denai_task_csv_check(train, ntrain, test, ntest, o.label,
	    kind == DENAI_TASK_KIND_CLASSIFICATION, NULL, &err) != 0)
		cli_die_err(&err);
	open_chain();
	dir = state_dir();
	/* The training set is public at once; the test set only hashed. */
	if ((bs = denai_blockstore_open(cli_ipfs_dir(o.ipfs_dir), &err)) == NULL ||
	    denai_ipfs_add(bs, train, ntrain, 1, &train_cid, &err) != 0 ||
	    denai_task_cid_only(&test_cid, test, ntest, &err) != 0)
		cli_die_err(&err);
	denai_blockstore_close(bs);

	/* The secret is on disk before the transaction leaves. */
	memset(&s, 0, sizeof(s));
	snprintf(s.test_cid, sizeof(s.test_cid), "%s", denai_cid_str(&test_cid));
	snprintf(s.train_cid, sizeof(s.train_cid), "%s",
	    denai_cid_str(&train_cid));
	if (denai_seal_salt(s.salt, &err) != 0 ||
	    denai_seal_test(s.seal, s.test_cid, s.salt, &err) != 0 ||
	    denai_task_secret_keep_test(&s, dir, test, ntest, &err) != 0 ||
	    denai_task_secret_save(&s, dir, &err) != 0)
		cli_die_err(&err);
	free(train);
	free(test);

	if (denai_tasks_deadlines(c.rpc, win, dls, &err) != 0)
		cli_die_err(&err);
	dl = json_array();
	for (unsigned i = 0; i < DENAI_DL_COUNT; i++) {
		char d[24];
		snprintf(d, sizeof(d), "%llu", (unsigned long long)dls[i]);
		json_array_append_new(dl, json_string(d));
	}
	args = json_pack("[s s i s i o i s s]", s.train_cid,
	    denai_hex_encode(seal, s.seal, 32), (int)kind, o.label,
	    (int)o.decimals, dl, (int)o.quorum, denai_u256_to_dec(rb, &rbond),
	    denai_u256_to_dec(cb, &cbond));
	/* Refused before sending: the pending state is of no use. */
	if (!would_pass(DENAI_TFN_CREATE, args, &value, &err)) {
		denai_task_secret_forget_pending(&s, dir);
		(void)unlink(s.test_copy);
		cli_die(EX_DATAERR, "%s", err.msg);
	}
	rc = send(DENAI_TFN_CREATE, args, &value);
	if (denai_tasks_created_id(tasks, rc, at, &id, &err) != 0)
		cli_die_err(&err);
	json_decref(rc);
	s.has_id = 1;
	s.task_id = id;
	if (denai_task_secret_save(&s, dir, &err) != 0)
		cli_die_err(&err);
	denai_task_secret_wipe(&s);
	show_task(id);
	if (o.auto_reveal) {
		if (wait_phase(id, DENAI_TASK_TEST_REVEAL, o.wait) ==
		    DENAI_TASK_TEST_REVEAL)
			reveal(id);
		else if (phase_of(id) != DENAI_TASK_CANCELLED)
			cli_die(EX_DATAERR, "task %llu passed its test-reveal "
			    "window before the reveal",
			    (unsigned long long)id);
	}
	if (o.wait) {
		wait_phase(id, DENAI_TASK_FINALIZED, 1);
		show_task(id);
	}
	return 0;
}

static int
cmd_reveal(uint64_t id)
{
	open_chain();
	reveal(id);
	show_task(id);
	if (o.wait) {
		wait_phase(id, DENAI_TASK_FINALIZED, 1);
		show_task(id);
	}
	return 0;
}

static int
cmd_list(void)
{
	denai_task_info t;
	denai_err err;
	uint64_t *ids, off = 0, n64 = 0;
	size_t n;

	open_chain();
	if (o.all) {
		if (denai_tasks_count(tasks, c.rpc, at, &n64, &err) != 0)
			cli_die_err(&err);
		/* Ids start at 1. */
		for (uint64_t id = 1; id <= n64; id++) {
			if (denai_tasks_get(tasks, c.rpc, at, id, &t, &err) != 0)
				cli_die_err(&err);
			cli_print_json(denai_task_record(&t, c.chain_id, at,
			    NULL));
		}
		return 0;
	}
	for (;;) {
		if (denai_tasks_open(tasks, c.rpc, at, off, 100, &ids, &n,
		    &err) != 0)
			cli_die_err(&err);
		for (size_t i = 0; i < n; i++) {
			if (denai_tasks_get(tasks, c.rpc, at, ids[i], &t,
			    &err) != 0)
				cli_die_err(&err);
			cli_print_json(denai_task_record(&t, c.chain_id, at,
			    NULL));
		}
		free(ids);
		if (n < 100)
			break;
		off += n;
	}
	return 0;
}

static int
cmd_show(uint64_t id)
{
	open_chain();
	if (o.wait)
		wait_phase(id, DENAI_TASK_FINALIZED, 1);
	show_task(id);
	return 0;
}

/* cancel and finalize: send, then show the task. */
static int
cmd_simple(enum denai_tasks_fn fn, uint64_t id)
{
	char d[24];

	open_chain();
	snprintf(d, sizeof(d), "%llu", (unsigned long long)id);
	json_decref(send(fn, json_pack("[s]", d), NULL));
	show_task(id);
	return 0;
}

static int
cmd_withdraw(void)
{
	uint8_t addr[DENAI_ADDR_LEN];
	char a[DENAI_ADDR_HEX_MAX], d[DENAI_U256_DEC_MAX];
	denai_u256 owed;
	denai_err err;
	json_t *rc;

	open_chain();
	if (cli_key_address(addr, a, o.keystore, &err) != 0 ||
	    denai_tasks_owed(tasks, c.rpc, at, addr, &owed, &err) != 0)
		cli_die_err(&err);
	if (denai_u256_is_zero(&owed))
		cli_die(EX_DATAERR, "the tasks contract owes %s nothing", a);
	rc = send(DENAI_TFN_WITHDRAW, json_array(), NULL);
	cli_print_json(json_pack("{ss ss ss sO}", "type", "withdrawal",
	    "who", a, "amount", denai_u256_to_dec(d, &owed), "tx_hash",
	    json_object_get(rc, "transactionHash")));
	json_decref(rc);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"train", required_argument, NULL, 't'},
		{"test", required_argument, NULL, 'T'},
		{"label", required_argument, NULL, 'l'},
		{"kind", required_argument, NULL, 'K'},
		{"decimals", required_argument, NULL, 'D'},
		{"reward", required_argument, NULL, 'R'},
		{"reveal-bond", required_argument, NULL, 'B'},
		{"commit-bond", required_argument, NULL, 'b'},
		{"quorum", required_argument, NULL, 'q'},
		{"windows", required_argument, NULL, 'W'},
		{"auto-reveal", no_argument, NULL, 'a'},
		{"wait", no_argument, NULL, 'w'},
		{"all", no_argument, NULL, 'A'},
		{"timeout", required_argument, NULL, 'o'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"keystore", required_argument, NULL, 'k'},
		{"ipfs-dir", required_argument, NULL, 'I'},
		{"state-dir", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *verb;
	int ch, rc = 0;

	cli_init("denai-task");
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': o.train = optarg; break;
		case 'T': o.test = optarg; break;
		case 'l': o.label = optarg; break;
		case 'K': o.kind = optarg; break;
		case 'D': o.decimals = (unsigned)cli_parse_count("--decimals",
		    optarg); break;
		case 'R': o.reward = optarg; break;
		case 'B': o.reveal_bond = optarg; break;
		case 'b': o.commit_bond = optarg; break;
		case 'q': o.quorum = (unsigned)cli_parse_count("--quorum",
		    optarg); break;
		case 'W': o.windows = optarg; break;
		case 'a': o.auto_reveal = 1; break;
		case 'w': o.wait = 1; break;
		case 'A': o.all = 1; break;
		case 'o': o.timeout_s = cli_parse_count("--timeout", optarg);
		    break;
		case 'r': o.rpc_url = optarg; break;
		case 'd': o.dep = optarg; break;
		case 'k': o.keystore = optarg; break;
		case 'I': o.ipfs_dir = optarg; break;
		case 'S': o.state_dir = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind >= argc)
		usage(EX_USAGE);
	verb = argv[optind++];
	if (o.quorum > 255)
		cli_die(EX_USAGE, "--quorum: at most 255");
	if (strcmp(verb, "create") == 0 && optind == argc)
		rc = cmd_create();
	else if (strcmp(verb, "reveal") == 0 && optind + 1 == argc)
		rc = cmd_reveal(parse_id(argv[optind]));
	else if (strcmp(verb, "list") == 0 && optind == argc)
		rc = cmd_list();
	else if (strcmp(verb, "show") == 0 && optind + 1 == argc)
		rc = cmd_show(parse_id(argv[optind]));
	else if (strcmp(verb, "cancel") == 0 && optind + 1 == argc)
		rc = cmd_simple(DENAI_TFN_CANCEL, parse_id(argv[optind]));
	else if (strcmp(verb, "finalize") == 0 && optind + 1 == argc)
		rc = cmd_simple(DENAI_TFN_FINALIZE, parse_id(argv[optind]));
	else if (strcmp(verb, "withdraw") == 0 && optind == argc)
		rc = cmd_withdraw();
	else
		usage(EX_USAGE);
	denai_tasks_free(tasks);
	cli_chain_close(&c);
	return rc;
}
