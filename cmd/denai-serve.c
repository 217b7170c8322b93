/*
 * denai-serve - the REST node: an HTTP API over the chain and a block
 * store (see lib/serve/serve.h), and its API keys.
 *
 *   denai-serve [run] [options]
 *   denai-serve key add --name NAME [--scope read|write] [--budget AMOUNT]
 *   denai-serve key list
 *   denai-serve key revoke ID
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/chain.h"
#include "common/cli.h"
#include "common/key.h"
#include "common/rpcurl.h"
#include "eth/secp.h"
#include "eth/units.h"
#include "serve/serve.h"

#define DATA_DIR_DEFAULT "denai-serve"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-serve [run] [--data-dir dir] [--listen addr] "
	    "[--port n]\n"
	    "                   [--port-file file] [--threads n] "
	    "[--body-max bytes]\n"
	    "                   [--file-max bytes]\n"
	    "                   [--timeout seconds] [--rate n] [--burst n] "
	    "[--private]\n"
	    "                   [--page-max n] [--wait seconds] [--no-chain]\n"
	    "                   [--rpc-url url] [--deployment file] "
	    "[--tasks address]\n"
	    "                   [--keystore path] [--read-only] "
	    "[--confirmations n]\n"
	    "                   [--poll-ms ms] [--ipfs-dir dir]"
	    " [--metrics-dir dir]\n"
	    "       denai-serve key add --name name [--scope read|write] "
	    "[--budget amount]\n"
	    "       denai-serve key list\n"
	    "       denai-serve key revoke id\n"
	    "common: [--data-dir dir]\n");
	exit(status);
}

static const char *
data_dir(const char *flag)
{
	return cli_setting(flag, "DENAI_SERVE_DIR", DATA_DIR_DEFAULT);
}

static int
cmd_key(int argc, char **argv, const char *dir)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"scope", required_argument, NULL, 's'},
		{"budget", required_argument, NULL, 'b'},
		{"data-dir", required_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *name = NULL, *scope = "write", *budget = NULL, *verb;
	char key[DENAI_SERVE_KEY_MAX], dec[80];
	denai_u256 wei;
	denai_err err;
	json_t *info;
	int ch, sc;

	if (argc < 2)
		usage(EX_USAGE);
	verb = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 's': scope = optarg; break;
		case 'b': budget = optarg; break;
		case 'D': dir = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (strcmp(verb, "add") == 0) {
		if (optind != argc || name == NULL)
			usage(EX_USAGE);
		if (strcmp(scope, "read") == 0)
			sc = DENAI_SCOPE_READ;
		else if (strcmp(scope, "write") == 0)
			sc = DENAI_SCOPE_WRITE;
		else
			cli_die(EX_USAGE, "--scope: read or write");
		if (budget != NULL) {
			if (denai_units_parse(&wei, budget, &err) != 0)
				cli_die(EX_USAGE, "--budget: %s", err.msg);
			denai_u256_to_dec(dec, &wei);
		}
		if (denai_serve_key_add(dir, name, sc, budget ? dec : NULL, key,
		    &info, &err) != 0)
			cli_die_err(&err);
		json_object_set_new(info, "key", json_string(key));
		cli_print_json(info);
		explicit_bzero(key, sizeof(key));
	} else if (strcmp(verb, "list") == 0) {
		size_t i;
		json_t *k;
		if (optind != argc)
			usage(EX_USAGE);
		if (denai_serve_key_list(dir, &info, &err) != 0)
			cli_die_err(&err);
		json_array_foreach(info, i, k)
			cli_print_json(json_incref(k));
		json_decref(info);
	} else if (strcmp(verb, "revoke") == 0) {
		if (optind + 1 != argc)
			usage(EX_USAGE);
		if (denai_serve_key_revoke(dir, (long long)cli_parse_count("id",
		    argv[optind]), &err) != 0)
			cli_die_err(&err);
	} else
		usage(EX_USAGE);
	return 0;
}

static double
parse_rate(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1e9)
		cli_die(EX_USAGE, "%s: not a non-negative number", opt);
	return v;
}

static int
cmd_run(int argc, char **argv, int first)
{
	static const struct option opts[] = {
		{"data-dir", required_argument, NULL, 'D'},
		{"listen", required_argument, NULL, 'l'},
		{"port", required_argument, NULL, 'p'},
		{"port-file", required_argument, NULL, 'P'},
		{"threads", required_argument, NULL, 't'},
		{"body-max", required_argument, NULL, 'B'},
		{"file-max", required_argument, NULL, 'F'},
		{"timeout", required_argument, NULL, 'T'},
		{"rate", required_argument, NULL, 'R'},
		{"burst", required_argument, NULL, 'U'},
		{"private", no_argument, NULL, 'v'},
		{"page-max", required_argument, NULL, 'm'},
		{"wait", required_argument, NULL, 'w'},
		{"no-chain", no_argument, NULL, 'n'},
		{"rpc-url", required_argument, NULL, 'r'},
		{"deployment", required_argument, NULL, 'd'},
		{"tasks", required_argument, NULL, 'k'},
		{"keystore", required_argument, NULL, 'K'},
		{"read-only", no_argument, NULL, 'o'},
		{"confirmations", required_argument, NULL, 'c'},
		{"poll-ms", required_argument, NULL, 'L'},
		{"ipfs-dir", required_argument, NULL, 'I'},
		{"metrics-dir", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *port_file = NULL, *rpc_url = NULL,
	    *dep = NULL, *tasks = NULL, *keystore = NULL;
	int ch, no_chain = 0, read_only = 0, sig;
	denai_serve_opts o;
	denai_serve *s;
	denai_err err;
	cli_chain chain;
	cli_key key;
	sigset_t set;
	FILE *f;

	denai_serve_opts_default(&o);
	o.port = 8080;
	o.rate = 50;
	optind = first;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': dir = optarg; break;
		case 'l': o.listen = optarg; break;
		case 'p': o.port = (unsigned)cli_parse_count("--port", optarg);
			if (o.port > 65535)
				cli_die(EX_USAGE, "--port: at most 65535");
			break;
		case 'P': port_file = optarg; break;
		case 't': o.threads = (unsigned)cli_parse_count("--threads",
			    optarg); break;
		case 'B': o.body_max = (size_t)cli_parse_count("--body-max",
			    optarg); break;
		case 'F': o.file_max = (size_t)cli_parse_count("--file-max",
			    optarg); break;
		case 'T': o.conn_timeout_s = (unsigned)cli_parse_count(
			    "--timeout", optarg); break;
		case 'R': o.rate = parse_rate("--rate", optarg); break;
		case 'U': o.burst = parse_rate("--burst", optarg); break;
		case 'v': o.private_reads = 1; break;
		case 'm': o.page_max = (unsigned)cli_parse_count("--page-max",
			    optarg); break;
		case 'w': o.wait_ms = 1000 * (unsigned)cli_parse_count("--wait",
			    optarg); break;
		case 'n': no_chain = 1; break;
		case 'r': rpc_url = optarg; break;
		case 'd': dep = optarg; break;
		case 'k': tasks = optarg; break;
		case 'K': keystore = optarg; break;
		case 'o': read_only = 1; break;
		case 'c': o.confirmations = cli_parse_count("--confirmations",
			    optarg); break;
		case 'L': o.poll_ms = (unsigned)cli_parse_count("--poll-ms",
			    optarg); break;
		case 'I': o.ipfs_dir = optarg; break;
		case 'M': o.metrics_dir = optarg; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	if (optind != argc || o.threads == 0 || o.threads > 256)
		usage(EX_USAGE);
	if (o.metrics_dir == NULL)	/* the stages' files, as they write them */
		o.metrics_dir = getenv("DENAI_METRICS_DIR");
	o.data_dir = data_dir(dir);
	memset(&chain, 0, sizeof(chain));
	memset(&key, 0, sizeof(key));
	if (!no_chain) {
		if (cli_chain_open(&chain, rpc_url, dep, &err) != 0)
			cli_die_err(&err);
		o.rpc_url = cli_rpc_url(rpc_url);
		o.dep = &chain.dep;
		if (tasks != NULL) {
			if (denai_secp_addr_parse(o.tasks, tasks, strlen(tasks),
			    &err) != 0)
				cli_die(EX_USAGE, "--tasks: %s", err.msg);
			o.has_tasks = 1;
		} else if (chain.dep.has_tasks) {
			memcpy(o.tasks, chain.dep.tasks, DENAI_ADDR_LEN);
			o.has_tasks = 1;
		}
		if (!read_only) {
			if (cli_key_load(&key, keystore, &err) != 0) {
				if (err.code != DENAI_EUSAGE)
					cli_die_err(&err);
				cli_warn("%s: serving read-only", err.msg);
			} else
				o.sk = key.sk;
		}
	}
	/* Signals are taken by this thread only (sigwait below). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((s = denai_serve_new(&o, &err)) == NULL)
		cli_die_err(&err);
	cli_key_wipe(&key);
	if (denai_serve_start(s, &err) != 0)
		cli_die_err(&err);
	if (port_file != NULL) {
		if ((f = fopen(port_file, "w")) == NULL)
			cli_die(EX_CANTCREAT, "%s: cannot write", port_file);
		fprintf(f, "%u\n", denai_serve_port(s));
		fclose(f);
	}
	cli_warn("listening on http://%s:%u (data in %s%s)", o.listen ?
	    o.listen : "127.0.0.1", denai_serve_port(s), o.data_dir,
	    no_chain ? ", no chain" : "");
	sigwait(&set, &sig);
	denai_serve_free(s);
	if (!no_chain)
		cli_chain_close(&chain);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;

	cli_init("denai-serve");
	if (argc > 1 && strcmp(argv[1], "key") == 0) {
		/* --data-dir may come before the verb's own options too. */
		for (int i = 2; i + 1 < argc; i++)
			if (strcmp(argv[i], "--data-dir") == 0)
				dir = argv[i + 1];
		return cmd_key(argc - 1, argv + 1, data_dir(dir));
	}
	if (argc > 1 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv, 2);
	return cmd_run(argc, argv, 1);
}
