/*
 * denai-ipfs - put files in the local IPFS block store, compute their CIDs,
 * and get verified files back (from the store, then gateways).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "common/cli.h"
#include "common/ipfs.h"
#include "ipfs/fetch.h"
#include "ipfs/unixfs.h"

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-ipfs add [--cid-version 0|1] [--raw-leaves | "
	    "--no-raw-leaves]\n"
	    "                      [--chunker size-N] [--dir dir] file | -\n"
	    "       denai-ipfs cid [--cid-version 0|1] [--raw-leaves | "
	    "--no-raw-leaves]\n"
	    "                      [--chunker size-N] file | -\n"
	    "       denai-ipfs get [--dir dir] [--gateway urls] "
	    "[--max-size bytes]\n"
	    "                      [--timeout seconds] [--retries n] "
	    "[-o file] cid\n");
	exit(status);
}

/* What a cli_die may leave behind stays reachable (not leaked). */
static denai_blockstore *bs;
static denai_unixfs_builder *b;
static denai_fetcher *f;

struct opts {
	const char *dir, *gateway, *out;
	unsigned version;
	int raw;		/* -1: as the version implies */
	uint64_t max;
	long timeout_ms;
	unsigned retries;
	size_t chunk;
};

static int
put_block(void *ctx, const denai_cid *cid, const uint8_t *block, size_t len,
    denai_err *err)
{
	return denai_blockstore_put(ctx, cid, block, len, err);
}

/* add and cid: build the file's DAG, storing its blocks when bs is set. */
static int
build(const struct opts *o, const char *path)
{
	static uint8_t buf[1 << 20];
	denai_cid root;
	denai_err err;
	char s[DENAI_CID_STR_MAX];
	FILE *in = stdin;
	size_t n;
	int raw = o->raw >= 0 ? o->raw : o->version == 1;

	if (strcmp(path, "-") != 0 && (in = fopen(path, "rb")) == NULL)
		cli_die(EX_NOINPUT, "cannot open %s", path);
	b = denai_unixfs_builder_new_with(o->version, raw, o->chunk,
	    DENAI_UNIXFS_LINKS, bs ? put_block : NULL, bs, &err);
	if (b == NULL)
		cli_die_err(&err);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (denai_unixfs_builder_write(b, buf, n, &err) != 0)
			cli_die_err(&err);
	if (ferror(in))
		cli_die(EX_IOERR, "cannot read %s", path);
	if (denai_unixfs_builder_finish(b, &root, NULL, &err) != 0 ||
	    denai_cid_format(s, sizeof(s), &root, 0, &err) != 0)
		cli_die_err(&err);
	denai_unixfs_builder_free(b);
	b = NULL;
	if (in != stdin)
		fclose(in);
	printf("%s\n", s);
	return fflush(stdout) == 0 ? 0 : EX_IOERR;
}

static int
to_stdout(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	(void)ctx;
	if (fwrite(p, 1, n, stdout) != n)
		return denai_err_set(err, DENAI_EIO, "cannot write stdout");
	return 0;
}

static int
get(const struct opts *o, const char *text)
{
	denai_fetch_opts fo = { 0 };
	denai_cid cid;
	denai_err err;

	if (denai_cid_parse(&cid, text, strlen(text), &err) != 0)
		cli_die(denai_err_exit_status(err.code), "%s: %s", text,
		    err.msg);
	fo.gateways = cli_ipfs_gateways(o->gateway);
	fo.timeout_ms = o->timeout_ms;
	fo.retries = o->retries;
	fo.max_size = o->max;
	fo.warn = cli_ipfs_warn;
	if ((f = denai_fetcher_new(bs, &fo, &err)) == NULL)
		cli_die_err(&err);
	if (o->out != NULL) {
		if (denai_fetch_file(f, &cid, 0, o->out, NULL, NULL, &err) != 0)
			cli_die_err(&err);
	} else if (denai_fetch_cat(f, &cid, 0, to_stdout, NULL, NULL,
	    &err) != 0 || fflush(stdout) != 0) {
		cli_die_err(&err);
	}
	denai_fetcher_free(f);
	f = NULL;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "cid-version", required_argument, NULL, 'V' },
		{ "raw-leaves", no_argument, NULL, 'r' },
		{ "chunker", required_argument, NULL, 'C' },
		{ "no-raw-leaves", no_argument, NULL, 'R' },
		{ "dir", required_argument, NULL, 'd' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { NULL, NULL, NULL, 1, -1, 0, 0, 1,
	    DENAI_UNIXFS_CHUNK };
	denai_err err;
	const char *verb;
	int c, rc;

	cli_init("denai-ipfs");
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		usage(stdout, 0);
	if (argc < 2)
		usage(stderr, EX_USAGE);
	verb = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			if (strcmp(optarg, "0") != 0 && strcmp(optarg, "1") != 0)
				cli_die(EX_USAGE,
				    "--cid-version: expected 0 or 1, got '%s'",
				    optarg);
			o.version = (unsigned)(optarg[0] - '0');
			break;
		case 'r': o.raw = 1; break;
		case 'C':
			if (strncmp(optarg, "size-", 5) != 0)
				cli_die(EX_USAGE, "--chunker: only size-N is "
				    "supported, not '%s'", optarg);
			o.chunk = (size_t)cli_parse_count("--chunker",
			    optarg + 5);
			if (o.chunk == 0 || o.chunk > DENAI_UNIXFS_CHUNK_MAX)
				cli_die(EX_USAGE, "--chunker: size must be 1 "
				    "to %u", DENAI_UNIXFS_CHUNK_MAX);
			break;
		case 'R': o.raw = 0; break;
		case 'd': o.dir = optarg; break;
		case 'g': o.gateway = optarg; break;
		case 'm': o.max = cli_parse_count("--max-size", optarg); break;
		case 't':
			o.timeout_ms = (long)cli_parse_count("--timeout",
			    optarg) * 1000;
			if (o.timeout_ms <= 0)
				cli_die(EX_USAGE, "--timeout: must be at "
				    "least 1 second");
			break;
		case 'n':
			o.retries = (unsigned)cli_parse_count("--retries",
			    optarg);
			break;
		case 'o': o.out = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(stderr, EX_USAGE);
	if (strcmp(verb, "cid") == 0)
		return build(&o, argv[0]);
	if (strcmp(verb, "add") != 0 && strcmp(verb, "get") != 0)
		cli_die(EX_USAGE, "unknown command '%s' (add, cid or get)",
		    verb);
	if ((bs = denai_blockstore_open(cli_ipfs_dir(o.dir), &err)) == NULL)
		cli_die_err(&err);
	rc = strcmp(verb, "add") == 0 ? build(&o, argv[0]) : get(&o, argv[0]);
	denai_blockstore_close(bs);
	return rc;
}
