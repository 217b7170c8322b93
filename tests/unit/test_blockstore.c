/* test_blockstore.c - the block store: put/get by CID (and by multihash
 * across CID versions), verification on read, corrupt blocks removed,
 * atomic writes, and several processes adding the same blocks at once. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "ipfs/blockstore.h"
#include "ipfs/cid.h"

static char dir[256];

/* Counts files under path whose name starts with prefix ("" for all). */
static int
count(const char *path, const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(path);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char sub[1024];

		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (e->d_type == DT_DIR)
			n += count(sub, prefix);
		else if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void
block_of(uint8_t *b, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed * 31 + i * 7);
}

int
main(void)
{
	static uint8_t buf[100000];
	denai_blockstore *bs;
	denai_cid c, v0, v1;
	denai_err err;
	uint8_t *got;
	size_t n;
	char path[512], cmd[1024];
	FILE *f = NULL;
	int i, st, good;

	snprintf(dir, sizeof(dir), "%s/denai-bs.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return skip_all("no temp dir"), 0;
	snprintf(path, sizeof(path), "%s/a/b/store", dir);
	bs = denai_blockstore_open(path, &err);
	ok(bs != NULL, "opens (creating folders)");
	is_str(denai_blockstore_dir(bs), path, "remembers its folder");

	block_of(buf, 5000, 1);
	if (denai_cid_of(&c, 1, DENAI_CID_RAW, buf, 5000, &err) != 0)
		return 1;
	ok(denai_blockstore_get(bs, &c, &got, &n, &err) == 0 && got == NULL,
	    "absent block: 0");
	ok(!denai_blockstore_has(bs, &c), "absent block: not had");
	ok(denai_blockstore_put(bs, &c, buf, 5000, &err) == 0, "put");
	ok(denai_blockstore_has(bs, &c), "has it");
	ok(denai_blockstore_get(bs, &c, &got, &n, &err) == 1 && n == 5000 &&
	    memcmp(got, buf, n) == 0, "get gives it back");
	free(got);
	ok(denai_blockstore_put(bs, &c, buf, 5000, &err) == 0,
	    "put again is fine");
	ok(denai_blockstore_put(bs, &c, buf, 4999, &err) == -1 &&
	    err.code == DENAI_EDATA, "put of bytes that do not match refused");
	ok(denai_blockstore_put(bs, &c, buf, DENAI_BLOCK_MAX + 1, &err) == -1,
	    "put over the block size refused");

	/* Found by multihash: the same bytes as v0 dag-pb and v1 dag-pb. */
	block_of(buf, 300, 2);
	if (denai_cid_of(&v0, 0, DENAI_CID_DAG_PB, buf, 300, &err) != 0 ||
	    denai_cid_of(&v1, 1, DENAI_CID_DAG_PB, buf, 300, &err) != 0)
		return 1;
	ok(denai_blockstore_put(bs, &v0, buf, 300, &err) == 0, "put by v0");
	ok(denai_blockstore_get(bs, &v1, &got, &n, &err) == 1 && n == 300,
	    "found by v1 of the same multihash");
	free(got);

	/* Corruption: the store notices, says so, removes the file. */
	ok(count(path, "") == 2, "two block files");
	{
		char key[2600];
		struct dirent *e;
		DIR *d;

		if (snprintf(cmd, sizeof(cmd), "%s/blocks", path) >=
		    (int)sizeof(cmd))
			return 1;
		key[0] = '\0';
		/* flip a byte in every block file */
		d = opendir(cmd);
		while (d != NULL && (e = readdir(d)) != NULL) {
			DIR *d2;
			struct dirent *e2;
			char sub[1300];

			if (e->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", cmd, e->d_name);
			d2 = opendir(sub);
			while (d2 != NULL && (e2 = readdir(d2)) != NULL) {
				if (e2->d_name[0] == '.')
					continue;
				if (snprintf(key, sizeof(key), "%s/%s", sub,
				    e2->d_name) >= (int)sizeof(key))
					continue;
				if ((f = fopen(key, "r+b")) != NULL) {
					fseek(f, 10, SEEK_SET);
					fputc(0xff, f);
					fclose(f);
				}
			}
			if (d2)
				closedir(d2);
		}
		if (d)
			closedir(d);
	}
	memset(&err, 0, sizeof(err));
	ok(denai_blockstore_get(bs, &c, &got, &n, &err) == -1 &&
	    err.code == DENAI_EDATA && strstr(err.msg, "is corrupt") != NULL,
	    "corrupt block refused: %.80s...", err.msg);
	ok(!denai_blockstore_has(bs, &c), "  and removed");
	ok(denai_blockstore_get(bs, &c, &got, &n, &err) == 0,
	    "  then it is absent");
	ok(denai_blockstore_get(bs, &v1, &got, &n, &err) == -1 &&
	    !denai_blockstore_has(bs, &v1), "the other corrupt block too");

	/* Unsupported CIDs are refused before touching the disk. */
	if (denai_cid_parse_any(&v0, "bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedz"
	    "detojuzjevtenxquvyku", 59, &err) == 0)
		ok(denai_blockstore_get(bs, &v0, &got, &n, &err) == -1 &&
		    err.code == DENAI_EUNSUP, "dag-cbor cid refused");

	/* Eight processes add the same 40 blocks and 10 of their own. */
	for (i = 0; i < 8; i++) {
		if (fork() == 0) {
			denai_blockstore *b2 = denai_blockstore_open(path,
			    &err);
			int rc = b2 == NULL;

			for (int k = 0; k < 50 && !rc; k++) {
				int seed = k < 40 ? 100 + k : 1000 + i * 10 + k;

				block_of(buf, 20000 + (size_t)seed, seed);
				if (denai_cid_of(&c, 1, DENAI_CID_RAW, buf,
				    20000 + (size_t)seed, &err) != 0 ||
				    denai_blockstore_put(b2, &c, buf,
				    20000 + (size_t)seed, &err) != 0)
					rc = 1;
			}
			denai_blockstore_close(b2);
			_exit(rc);
		}
	}
	good = 1;
	for (i = 0; i < 8; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			good = 0;
	ok(good, "8 processes put at once without error");
	good = 1;
	for (int k = 0; k < 40 + 8 * 10; k++) {
		int seed = k < 40 ? 100 + k : 1000 + (k - 40) / 10 * 10 +
		    40 + (k - 40) % 10;

		block_of(buf, 20000 + (size_t)seed, seed);
		if (denai_cid_of(&c, 1, DENAI_CID_RAW, buf, 20000 +
		    (size_t)seed, &err) != 0 ||
		    denai_blockstore_get(bs, &c, &got, &n, &err) != 1 ||
		    n != 20000 + (size_t)seed) {
			good = 0;
			diag("block %d: %s", k, err.msg);
		}
		free(got);
	}
	ok(good, "all 120 blocks are there and verify");
	is_int(count(path, ".tmp"), 0, "no temporary files left");
	is_int(count(path, ""), 120, "one file per block");

	/* denai_write_atomic */
	if (snprintf(cmd, sizeof(cmd), "%s/x.json", path) >= (int)sizeof(cmd))
		return 1;
	ok(denai_write_atomic(cmd, (const uint8_t *)"[1]", 3, 0644, &err) == 0 &&
	    (f = fopen(cmd, "r")) != NULL, "write_atomic writes");
	if (f != NULL) {
		char t[8] = "";

		ok(fgets(t, sizeof(t), f) != NULL && strcmp(t, "[1]") == 0,
		    "  the bytes");
		fclose(f);
	}
	if (snprintf(cmd, sizeof(cmd), "%s/nofolder/x", path) >=
	    (int)sizeof(cmd))
		return 1;
	ok(denai_write_atomic(cmd, (const uint8_t *)"", 0, 0644, &err) == -1 &&
	    err.code == DENAI_EIO, "write_atomic into a missing folder fails");
	denai_blockstore_close(bs);
	denai_blockstore_close(NULL);
	ok(denai_blockstore_open("/proc/denai-no", &err) == NULL &&
	    err.code == DENAI_EIO, "open where folders cannot be made fails: %s",
	    err.msg);
	if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) >= (int)sizeof(cmd))
		return 1;
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
