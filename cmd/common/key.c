/* key.c - loading a program's signing key from the environment. */
#include "key.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "eth/hex.h"
#include "eth/keystore.h"

#define MAX_KEYSTORE (64u << 10)
#define MAX_PASSWORD 1024

static const char no_key[] = "no signing key: set DENAI_PRIVATE_KEY, or "
    "ETH_KEYSTORE and ETH_PASSWORD";

/* Reads a whole small file into a malloc'd NUL-terminated buffer. */
static char *
read_small(const char *path, size_t max, size_t *len, denai_err *err)
{
	char *buf = NULL;
	ssize_t got;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		denai_err_set(err, DENAI_EIO, "cannot open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto fail;
	}
	for (;;) {
		got = read(fd, buf + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			denai_err_set(err, DENAI_EIO, "cannot read %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			denai_err_set(err, DENAI_EDATA,
			    "%s is larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (buf != NULL) {
		explicit_bzero(buf, n);
		free(buf);
	}
	close(fd);
	return NULL;
}

int
cli_tty_prompt(char *buf, size_t cap, const char *prompt, denai_err *err)
{
	struct termios old, quiet;
	FILE *tty;
	size_t n;
	int echo_off;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot open /dev/tty: %s",
		    strerror(errno));
	fputs(prompt, tty);
	fflush(tty);
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)cap, tty) == NULL)
		buf[0] = '\0';
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

int
cli_password_read(char *buf, size_t cap, const char *prompt, int confirm,
    denai_err *err)
{
	const char *file = cli_setting(NULL, "ETH_PASSWORD", NULL);
	char *text, again[MAX_PASSWORD];
	size_t n;
	int rc;

	if (cap == 0)
		return denai_err_set(err, DENAI_EUSAGE, "no room for a password");
	buf[0] = '\0';
	if (file != NULL) {
		if ((text = read_small(file, cap - 1, &n, err)) == NULL) {
			/* Never the value: it may be the password itself,
			 * set there by mistake. */
			int code = err != NULL ? err->code : DENAI_EIO, e = errno;
			return denai_err_set(err, code, "ETH_PASSWORD: cannot "
			    "read the file it names (%s); it must name a file "
			    "holding the password, not hold the password",
			    code == DENAI_EIO ? strerror(e) : "not a password "
			    "file");
		}
		if (n > 0 && text[n - 1] == '\n')
			n--;
		if (n > 0 && text[n - 1] == '\r')
			n--;
		memcpy(buf, text, n);
		buf[n] = '\0';
		explicit_bzero(text, cap);
		free(text);
		return 0;
	}
	if (!isatty(STDIN_FILENO))
		return denai_err_set(err, DENAI_EUSAGE,
		    "no password: set ETH_PASSWORD to a file holding it");
	if (cli_tty_prompt(buf, cap, prompt, err) != 0)
		return -1;
	if (!confirm)
		return 0;
	if (cli_tty_prompt(again, sizeof(again), "Repeat password: ", err) != 0)
		return -1;
	rc = strcmp(buf, again) == 0 ? 0 : denai_err_set(err, DENAI_EUSAGE,
	    "the passwords do not match");
	explicit_bzero(again, sizeof(again));
	return rc;
}

/* Whether a directory entry can be a keystore (geth's rules: no dot files,
 * no editor backups, no directories). */
static int
candidate(const char *dir, const char *name, char *path, size_t cap)
{
	struct stat st;
	size_t n = strlen(name);

	if (name[0] == '.' || n == 0 || name[n - 1] == '~')
		return 0;
	if ((size_t)snprintf(path, cap, "%s/%s", dir, name) >= cap)
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Picks the keystore file in dir whose address field is from (or the only
 * one when from is NULL). Out: path. */
static int
pick_in_dir(char *path, size_t cap, const char *dir, const char *from,
    denai_err *err)
{
	uint8_t want[DENAI_ADDR_LEN];
	char p[4096], *text;
	denai_keystore ks;
	struct dirent *de;
	size_t len;
	DIR *d;
	int found = 0, seen = 0;

	if (from != NULL && denai_secp_addr_parse(want, from, strlen(from),
	    err) != 0)
		return denai_err_prefix(err, "ETH_FROM");
	if ((d = opendir(dir)) == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot open %s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!candidate(dir, de->d_name, p, sizeof(p)))
			continue;
		if ((text = read_small(p, MAX_KEYSTORE, &len, NULL)) == NULL)
			continue;
		if (denai_keystore_parse(&ks, text, len, NULL, NULL) == 0) {
			seen++;
			if ((from == NULL && seen == 1) || (from != NULL &&
			    ks.has_addr && memcmp(ks.addr, want, 20) == 0)) {
				snprintf(path, cap, "%s", p);
				found++;
			}
		}
		free(text);
	}
	closedir(d);
	if (from == NULL && seen > 1)
		return denai_err_set(err, DENAI_EUSAGE, "%d keystores in %s: "
		    "set ETH_FROM to the address of the one to use", seen, dir);
	if (found == 0 && from != NULL)
		return denai_err_set(err, DENAI_EUSAGE,
		    "no keystore for %s in %s", from, dir);
	if (found == 0)
		return denai_err_set(err, DENAI_EUSAGE, "no keystore in %s", dir);
	return 0;
}

static int
load_keystore(cli_key *k, const char *ks, denai_err *err)
{
	char path[4096], pw[MAX_PASSWORD], *text = NULL;
	struct stat st;
	size_t len;
	int rc = -1;

	if (stat(ks, &st) != 0)
		return denai_err_set(err, DENAI_EIO, "keystore %s: %s", ks,
		    strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (pick_in_dir(path, sizeof(path), ks,
		    cli_setting(NULL, "ETH_FROM", NULL), err) != 0)
			return -1;
	} else
		snprintf(path, sizeof(path), "%s", ks);
	if ((text = read_small(path, MAX_KEYSTORE, &len, err)) == NULL)
		return -1;
	if (cli_password_read(pw, sizeof(pw), "Password: ", 0, err) != 0)
		goto out;
	if (denai_keystore_decrypt(k->sk, text, len, pw, strlen(pw),
	    err) != 0) {
		denai_err_prefix(err, "%s", path);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(pw, sizeof(pw));
	free(text);
	return rc;
}

int
cli_key_load(cli_key *k, const char *keystore, denai_err *err)
{
	const char *hex = cli_setting(NULL, "DENAI_PRIVATE_KEY", NULL);
	const char *ks = cli_setting(keystore, "ETH_KEYSTORE", NULL);
	const char *from = cli_setting(NULL, "ETH_FROM", NULL);
	uint8_t want[DENAI_ADDR_LEN];

	memset(k, 0, sizeof(*k));
	if (hex != NULL && keystore == NULL) {
		size_t n = strlen(hex);

		/* Tolerate the newline of $(cat file). */
		while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == ' '))
			n--;
		if (n != 64 && !(n == 66 && hex[0] == '0' && hex[1] == 'x'))
			return denai_err_set(err, DENAI_EDATA,
			    "DENAI_PRIVATE_KEY: expected 64 hex digits, got %zu "
			    "characters", n);
		if (denai_hex_decode(k->sk, 32, NULL, hex, n, 0, err) != 0)
			return denai_err_prefix(err, "DENAI_PRIVATE_KEY");
		if (denai_secp_seckey_check(k->sk, err) != 0) {
			cli_key_wipe(k);
			return denai_err_prefix(err, "DENAI_PRIVATE_KEY");
		}
	} else if (ks != NULL) {
		if (load_keystore(k, ks, err) != 0) {
			cli_key_wipe(k);
			return -1;
		}
	} else
		return denai_err_set(err, DENAI_EUSAGE, "%s", no_key);
	if (denai_secp_address(k->addr, k->sk, err) != 0) {
		cli_key_wipe(k);
		return -1;
	}
	denai_secp_addr_checksum(k->addr_hex, k->addr);
	if (from != NULL) {
		if (denai_secp_addr_parse(want, from, strlen(from), err) != 0) {
			cli_key_wipe(k);
			return denai_err_prefix(err, "ETH_FROM");
		}
		if (memcmp(want, k->addr, DENAI_ADDR_LEN) != 0) {
			denai_err_set(err, DENAI_EUSAGE, "ETH_FROM %s is not "
			    "the address of the signing key (%s)", from,
			    k->addr_hex);
			cli_key_wipe(k);
			return -1;
		}
	}
	return 0;
}

int
cli_key_address(uint8_t addr[DENAI_ADDR_LEN],
    char addr_hex[DENAI_ADDR_HEX_MAX], const char *keystore, denai_err *err)
{
	const char *from = cli_setting(NULL, "ETH_FROM", NULL);
	cli_key k;

	if (keystore == NULL && from != NULL &&
	    cli_setting(NULL, "DENAI_PRIVATE_KEY", NULL) == NULL &&
	    cli_setting(NULL, "ETH_KEYSTORE", NULL) == NULL) {
		if (denai_secp_addr_parse(addr, from, strlen(from), err) != 0)
			return denai_err_prefix(err, "ETH_FROM");
	} else {
		if (cli_key_load(&k, keystore, err) != 0)
			return -1;
		memcpy(addr, k.addr, DENAI_ADDR_LEN);
		cli_key_wipe(&k);
	}
	if (addr_hex != NULL)
		denai_secp_addr_checksum(addr_hex, addr);
	return 0;
}

void
cli_key_wipe(cli_key *k)
{
	explicit_bzero(k, sizeof(*k));
}
