/*
 * denai-key - make, import and use the signing key of a DenAI node:
 * new, import, address, sign. Secrets come from the environment, files,
 * stdin or a terminal prompt, never from argv.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/key.h"
#include "eth/hex.h"
#include "eth/keystore.h"
#include "fileio.h"
#include "eth/secp.h"

#define MAX_MESSAGE (16u << 20)

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: denai-key new [--keystore dir] [--scrypt-n n] [--scrypt-p p]\n"
	    "       denai-key import [--keystore dir] [--scrypt-n n] [--scrypt-p p]\n"
	    "       denai-key address [--keystore path]\n"
	    "       denai-key sign [--hash] [--keystore path] message | -\n");
	exit(status);
}

/* The directory new keystores go to: the flag, else ETH_KEYSTORE when it
 * names a directory. */
static const char *
keystore_dir(const char *flag)
{
	const char *d = cli_setting(flag, "ETH_KEYSTORE", NULL);
	struct stat st;
	denai_err err;

	if (d == NULL)
		cli_die(EX_USAGE, "no keystore directory: use --keystore DIR "
		    "or set ETH_KEYSTORE to a directory");
	/* A new keystore directory (and its missing parents) is private. */
	if (stat(d, &st) != 0 && errno == ENOENT &&
	    denai_mkdirs_mode(d, 0700, &err) != 0)
		cli_die_err(&err);
	if (stat(d, &st) != 0)
		cli_die(EX_IOERR, "keystore directory %s: %s", d,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		cli_die(EX_USAGE, "keystore directory %s: not a directory", d);
	return d;
}

/* Encrypts sk into a new file in dir (O_EXCL, O_NOFOLLOW, mode 0600) and
 * prints its address. */
static void
write_keystore(const char *dir, uint8_t sk[32], uint64_t n, uint32_t p)
{
	char pw[1024], name[DENAI_KEYSTORE_NAME_MAX], path[4096];
	char addr_hex[DENAI_ADDR_HEX_MAX];
	uint8_t addr[DENAI_ADDR_LEN];
	struct timespec ts;
	denai_err err;
	json_t *ks;
	char *text;
	size_t len, off = 0;
	ssize_t w;
	int fd;

	if (cli_password_read(pw, sizeof(pw), "New password: ", 1, &err) != 0)
		goto fail;
	if (denai_secp_address(addr, sk, &err) != 0)
		goto fail;
	ks = denai_keystore_encrypt(sk, pw, strlen(pw), n, p, &err);
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(sk, 32);
	if (ks == NULL)
		goto fail;
	text = json_dumps(ks, JSON_COMPACT);
	json_decref(ks);
	if (text == NULL)
		cli_die(EX_OSERR, "out of memory");
	clock_gettime(CLOCK_REALTIME, &ts);
	denai_keystore_filename(name, addr, ts.tv_sec, ts.tv_nsec);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		cli_die(EX_USAGE, "keystore directory name too long");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		cli_die(EX_CANTCREAT, "cannot create %s: %s", path,
		    strerror(errno));
	len = strlen(text);
	while (off < len) {
		if ((w = write(fd, text + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			unlink(path);
			cli_die(EX_IOERR, "cannot write %s: %s", path,
			    strerror(errno));
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		unlink(path);
		cli_die(EX_IOERR, "cannot write %s: %s", path, strerror(errno));
	}
	free(text);
	printf("%s\n", denai_secp_addr_checksum(addr_hex, addr));
	return;
fail:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(sk, 32);
	cli_die_err(&err);
}

/* Reads a private key in hex from stdin (prompting without echo when stdin
 * is a terminal). */
static void
read_private_key(uint8_t sk[32])
{
	char buf[256];
	size_t n, got = 0;
	denai_err err;
	int rc;

	denai_err_clear(&err);
	if (isatty(STDIN_FILENO)) {
		if (cli_tty_prompt(buf, sizeof(buf), "Private key (hex): ",
		    &err) != 0)
			cli_die_err(&err);
	} else {
		n = fread(buf, 1, sizeof(buf) - 1, stdin);
		if (ferror(stdin))
			cli_die(EX_IOERR, "cannot read stdin: %s",
			    strerror(errno));
		buf[n] = '\0';
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	    buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	if (n == 0)
		cli_die(EX_DATAERR, "no private key on stdin");
	rc = denai_hex_decode(sk, 32, &got, buf, n, 0, &err);
	explicit_bzero(buf, sizeof(buf));
	if (rc == 0 && got != 32)
		rc = denai_err_set(&err, DENAI_EDATA,
		    "expected 64 hex digits, got %zu", 2 * got);
	if (rc == 0)
		rc = denai_secp_seckey_check(sk, &err);
	if (rc != 0) {
		explicit_bzero(sk, 32);
		cli_die(EX_DATAERR, "private key on stdin: %s", err.msg);
	}
}

/* Reads all of stdin (at most MAX_MESSAGE bytes). */
static uint8_t *
read_stdin(size_t *len)
{
	uint8_t *buf = malloc(MAX_MESSAGE + 1);
	size_t n = 0, got;

	if (buf == NULL)
		cli_die(EX_OSERR, "out of memory");
	while ((got = fread(buf + n, 1, MAX_MESSAGE + 1 - n, stdin)) > 0)
		if ((n += got) > MAX_MESSAGE)
			cli_die(EX_DATAERR, "message on stdin is over %u bytes",
			    MAX_MESSAGE);
	if (ferror(stdin))
		cli_die(EX_IOERR, "cannot read stdin: %s", strerror(errno));
	*len = n;
	return buf;
}

/* The bytes a message argument stands for: stdin for "-", hex-decoded for
 * "0x...", else the text itself (as cast wallet sign reads it). */
static uint8_t *
message_bytes(const char *arg, size_t *len)
{
	size_t n = strlen(arg);
	uint8_t *buf;
	denai_err err;

	if (strcmp(arg, "-") == 0)
		return read_stdin(len);
	if ((buf = malloc(n + 1)) == NULL)
		cli_die(EX_OSERR, "out of memory");
	if (n >= 2 && arg[0] == '0' && arg[1] == 'x') {
		if (denai_hex_decode(buf, n, len, arg, n, 0, &err) != 0)
			cli_die(EX_DATAERR, "message: %s", err.msg);
	} else {
		memcpy(buf, arg, n);
		*len = n;
	}
	return buf;
}

static void
cmd_sign(const char *keystore, const char *arg, int raw_hash)
{
	uint8_t hash[32], out[65], *msg;
	char hex[2 * 65 + 3];
	size_t len;
	denai_sig sig;
	denai_err err;
	cli_key k;

	msg = message_bytes(arg, &len);
	if (raw_hash) {
		if (len != 32)
			cli_die(EX_DATAERR, "--hash: expected a 32-byte hash "
			    "(0x and 64 hex digits), got %zu bytes", len);
		memcpy(hash, msg, 32);
	} else
		denai_secp_eip191_hash(hash, msg, len);
	free(msg);
	if (cli_key_load(&k, keystore, &err) != 0)
		cli_die_err(&err);
	if (denai_secp_sign(&sig, k.sk, hash, &err) != 0) {
		cli_key_wipe(&k);
		cli_die_err(&err);
	}
	cli_key_wipe(&k);
	denai_secp_sig_encode65(out, &sig);
	printf("%s\n", denai_hex_encode(hex, out, 65));
}

struct opts {
	const char *keystore;
	unsigned long long n, p;
	int raw_hash, scrypt_set;
};

/* Options may come before and after the command word. */
static void
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "hash", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "keystore", required_argument, NULL, 'k' },
		{ "scrypt-n", required_argument, NULL, 'n' },
		{ "scrypt-p", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+hk:", opts, NULL)) != -1) {
		switch (c) {
		case 'H': o->raw_hash = 1; break;
		case 'h': usage(stdout, 0); break;
		case 'k': o->keystore = optarg; break;
		case 'n':
			o->n = cli_parse_count("--scrypt-n", optarg);
			o->scrypt_set = 1;
			break;
		case 'p':
			o->p = cli_parse_count("--scrypt-p", optarg);
			o->scrypt_set = 1;
			break;
		default: usage(stderr, EX_USAGE);
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o = { NULL, DENAI_SCRYPT_STANDARD_N,
	    DENAI_SCRYPT_STANDARD_P, 0, 0 };
	const char *keystore, *cmd;
	unsigned long long n, p;
	uint8_t sk[32];
	int raw_hash;
	denai_err err;
	cli_key k;

	cli_init("denai-key");
	parse_opts(argc, argv, &o);
	if (optind >= argc)
		usage(stderr, EX_USAGE);
	cmd = argv[optind];
	optind++;
	parse_opts(argc, argv, &o);
	argc -= optind;
	argv += optind;
	keystore = o.keystore;
	n = o.n;
	p = o.p;
	raw_hash = o.raw_hash;
	if (n < 2 || (n & (n - 1)) != 0 || n > (1ull << 20))
		cli_die(EX_USAGE, "--scrypt-n: expected a power of 2 from 2 "
		    "to 1048576, got %llu", n);
	if (p < 1 || p > 64)
		cli_die(EX_USAGE, "--scrypt-p: expected 1 to 64, got %llu", p);
	if (raw_hash && strcmp(cmd, "sign") != 0)
		cli_die(EX_USAGE, "--hash is an option of sign only");
	if (o.scrypt_set && strcmp(cmd, "new") != 0 && strcmp(cmd, "import") != 0)
		cli_die(EX_USAGE, "--scrypt-n and --scrypt-p are options of "
		    "new and import only");

	if (strcmp(cmd, "new") == 0) {
		if (argc != 0)
			usage(stderr, EX_USAGE);
		keystore = keystore_dir(keystore);
		if (denai_secp_seckey_generate(sk, &err) != 0)
			cli_die_err(&err);
		write_keystore(keystore, sk, n, (uint32_t)p);
	} else if (strcmp(cmd, "import") == 0) {
		if (argc != 0)
			usage(stderr, EX_USAGE);
		keystore = keystore_dir(keystore);
		read_private_key(sk);
		write_keystore(keystore, sk, n, (uint32_t)p);
	} else if (strcmp(cmd, "address") == 0) {
		if (argc != 0)
			usage(stderr, EX_USAGE);
		if (cli_key_load(&k, keystore, &err) != 0)
			cli_die_err(&err);
		printf("%s\n", k.addr_hex);
		cli_key_wipe(&k);
	} else if (strcmp(cmd, "sign") == 0) {
		if (argc != 1)
			usage(stderr, EX_USAGE);
		cmd_sign(keystore, argv[0], raw_hash);
	} else {
		cli_warn("unknown command '%s'", cmd);
		usage(stderr, EX_USAGE);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EX_IOERR, "cannot write stdout: %s", strerror(errno));
	return 0;
}
