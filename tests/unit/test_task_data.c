/* test_task_data.c - denai-task's CSV header checks, the only-hash CID
 * (equal to what the block store gets), and the creator's state files:
 * mode 0600 in a 0700 folder, pending until the id is known, read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "ipfs/add.h"
#include "ipfs/blockstore.h"
#include "task/data.h"
#include "task/seal.h"
#include "task/secret.h"

static int
refused(const char *train, const char *test, const char *label,
    const char *want)
{
	denai_err err;
	int r = denai_task_csv_check((const uint8_t *)train, strlen(train),
	    (const uint8_t *)test, strlen(test), label, 1, NULL, &err);

	if (r == 0)
		return 0;
	if (strstr(err.msg, want) == NULL) {
		printf("# message: %s (want %s)\n", err.msg, want);
		return 0;
	}
	return err.code == DENAI_EDATA;
}

int
main(void)
{
	const char *ok_csv = "a,b,y\n1,2,0\n3,4,1\n";
	char tmpl[] = "/tmp/test_task_data.XXXXXX", dir[PATH_MAX],
	    store[PATH_MAX];
	uint8_t at[DENAI_ADDR_LEN] = { 0xab };
	denai_task_secret s, r, *pend;
	denai_blockstore *bs;
	denai_cid c1, c2;
	denai_err err;
	struct stat st;
	size_t cols = 0, n;

	ok(denai_task_csv_check((const uint8_t *)ok_csv, strlen(ok_csv),
	    (const uint8_t *)"a,b,y\r\n5,6,1\r\n", 14, "y", 1, &cols, &err) == 0 &&
	    cols == 3, "a good pair passes (CRLF test set)");
	ok(refused("\xef\xbb\xbf" "a,y\n1,2\n", ok_csv, "y", "train: "),
	    "a BOM is refused");
	ok(refused("a,b,y\n", ok_csv, "y", "train: "), "a header only");
	ok(refused(ok_csv, "a,b,y\n1,x,0\n", "y", "test: "),
	    "text in a number column");
	ok(refused(ok_csv, "a,b,y\n1,2\n", "y", "test: "), "a ragged row");
	ok(refused(ok_csv, ok_csv, "z", "no label column \"z\""),
	    "a missing label column");
	ok(refused("a,a,y\n1,2,3\n", ok_csv, "y", "train: "),
	    "duplicate names");
	ok(refused("\"a\",y\n1,2\n", ok_csv, "y", "train: "), "quotes");
	ok(refused(ok_csv, "a,b,y\n1,2,0.5\n", "y", "row 1: the label \"0.5\""),
	    "a classification label that is not an integer");
	ok(refused("y\n1\n", "y\n1\n", "y", "only column"), "label only");
	ok(refused(ok_csv, "a,y,b\n1,2,3\n", "y", "header differs"),
	    "test header differs");

	/* Only-hash CID equals the stored one. */
	if (mkdtemp(tmpl) == NULL)
		return printf("Bail out! mkdtemp\n"), 1;
	snprintf(store, sizeof(store), "%s/ipfs", tmpl);
	if ((bs = denai_blockstore_open(store, &err)) == NULL ||
	    denai_ipfs_add(bs, (const uint8_t *)ok_csv, strlen(ok_csv), 1, &c1,
	    &err) != 0)
		return printf("Bail out! %s\n", err.msg), 1;
	denai_blockstore_close(bs);
	ok(denai_task_cid_only(&c2, (const uint8_t *)ok_csv, strlen(ok_csv),
	    &err) == 0, "only-hash");
	is_str(denai_cid_str(&c2), denai_cid_str(&c1),
	    "only-hash CID equals the added one");

	/* State files. */
	ok(denai_task_secret_dir(dir, tmpl, 31337, at, &err) == 0, "state dir");
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "dir is 0700");
	memset(&s, 0, sizeof(s));
	snprintf(s.test_cid, sizeof(s.test_cid), "%s", denai_cid_str(&c1));
	snprintf(s.train_cid, sizeof(s.train_cid), "bafytrain");
	ok(denai_seal_salt(s.salt, &err) == 0 &&
	    denai_seal_test(s.seal, s.test_cid, s.salt, &err) == 0, "seal");
	ok(denai_task_secret_keep_test(&s, dir, (const uint8_t *)ok_csv,
	    strlen(ok_csv), &err) == 0, "test copy kept");
	ok(stat(s.test_copy, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "test copy is 0600");
	ok(denai_task_secret_save(&s, dir, &err) == 0, "pending saved");
	ok(denai_task_secret_load(&r, dir, 7, &err) == 0, "no task-7 yet");
	ok(denai_task_secret_pending(&pend, &n, dir, &err) == 0 && n == 1 &&
	    memcmp(pend[0].salt, s.salt, 32) == 0 && !pend[0].has_id,
	    "the pending state reads back");
	free(pend);
	s.has_id = 1;
	s.task_id = 7;
	ok(denai_task_secret_save(&s, dir, &err) == 0, "saved with its id");
	ok(denai_task_secret_pending(&pend, &n, dir, &err) == 0 && n == 0,
	    "the pending file is gone");
	free(pend);
	ok(denai_task_secret_load(&r, dir, 7, &err) == 1 && r.has_id &&
	    r.task_id == 7 && memcmp(r.salt, s.salt, 32) == 0 &&
	    memcmp(r.seal, s.seal, 32) == 0 &&
	    strcmp(r.test_cid, s.test_cid) == 0 &&
	    strcmp(r.test_copy, s.test_copy) == 0, "task-7 reads back");
	{
		char p[PATH_MAX + 16];
		snprintf(p, sizeof(p), "%s/task-7.json", dir);
		ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600,
		    "state file is 0600");
		unlink(p);
	}
	unlink(s.test_copy);
	rmdir(dir);
	{
		char cmd[PATH_MAX + 16];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		(void)!system(cmd);
	}
	return done_testing();
}
