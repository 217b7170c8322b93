/* secret.c - the creator's private test-set state, written atomically. */
#include "task/secret.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "eth/hex.h"
#include "fileio.h"
#include "ipfs/blockstore.h"

int
denai_task_secret_dir(char *dir, const char *root, uint64_t chain_id,
    const uint8_t tasks[DENAI_ADDR_LEN], denai_err *err)
{
	char a[2 * DENAI_ADDR_LEN + 3];

	if (snprintf(dir, PATH_MAX, "%s/%llu-%s", root,
	    (unsigned long long)chain_id, denai_hex_encode(a, tasks,
	    DENAI_ADDR_LEN) + 2) >= PATH_MAX)
		return denai_err_set(err, DENAI_EUSAGE, "state folder name too "
		    "long");
	if (denai_mkdirs(dir, err) != 0)
		return -1;
	if (chmod(dir, 0700) != 0)
		return denai_err_set(err, DENAI_EIO, "%s: %s", dir,
		    strerror(errno));
	return 0;
}

int
denai_task_secret_keep_test(denai_task_secret *s, const char *dir,
    const uint8_t *csv, size_t n, denai_err *err)
{
	char h[67];

	if (snprintf(s->test_copy, sizeof(s->test_copy), "%s/test-%s.csv", dir,
	    denai_hex_encode(h, s->seal, 32) + 2) >= (int)sizeof(s->test_copy))
		return denai_err_set(err, DENAI_EUSAGE, "path too long");
	return denai_write_atomic(s->test_copy, csv, n, 0600, err);
}

static int
path_of(char *p, const denai_task_secret *s, const char *dir, int pending)
{
	char h[67];

	if (pending)
		return snprintf(p, PATH_MAX, "%s/pending-%s.json", dir,
		    denai_hex_encode(h, s->seal, 32) + 2) < PATH_MAX ? 0 : -1;
	return snprintf(p, PATH_MAX, "%s/task-%llu.json", dir,
	    (unsigned long long)s->task_id) < PATH_MAX ? 0 : -1;
}

int
denai_task_secret_save(const denai_task_secret *s, const char *dir,
    denai_err *err)
{
	char p[PATH_MAX], salt[67], seal[67], *text;
	json_t *o;
	int rc;

	if (path_of(p, s, dir, !s->has_id) != 0)
		return denai_err_set(err, DENAI_EUSAGE, "path too long");
	o = json_pack("{ss ss ss ss ss}", "test_cid", s->test_cid,
	    "train_cid", s->train_cid,
	    "salt", denai_hex_encode(salt, s->salt, 32),
	    "seal", denai_hex_encode(seal, s->seal, 32),
	    "test_copy", s->test_copy);
	if (o != NULL && s->has_id) {
		char d[24];
		snprintf(d, sizeof(d), "%llu", (unsigned long long)s->task_id);
		json_object_set_new(o, "task_id", json_string(d));
	}
	if (o == NULL || (text = json_dumps(o, JSON_SORT_KEYS)) == NULL) {
		json_decref(o);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	json_decref(o);
	rc = denai_write_atomic(p, (const uint8_t *)text, strlen(text), 0600,
	    err);
	explicit_bzero(text, strlen(text));
	free(text);
	if (rc == 0 && s->has_id)
		denai_task_secret_forget_pending(s, dir);
	return rc;
}

void
denai_task_secret_forget_pending(const denai_task_secret *s, const char *dir)
{
	char p[PATH_MAX];

	if (path_of(p, s, dir, 1) == 0)
		(void)unlink(p);
}

static int
parse(denai_task_secret *s, const char *path, denai_err *err)
{
	uint8_t *text;
	size_t n;
	json_t *o;
	json_error_t je;
	const char *cid, *train, *salt, *seal, *copy, *id;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (denai_file_read(&text, &n, path, 1u << 16, err) != 0)
		return -1;
	o = json_loadb((const char *)text, n, 0, &je);
	explicit_bzero(text, n);
	free(text);
	if (o == NULL)
		return denai_err_set(err, DENAI_EDATA, "%s: not JSON: %s", path,
		    je.text);
	cid = json_string_value(json_object_get(o, "test_cid"));
	train = json_string_value(json_object_get(o, "train_cid"));
	salt = json_string_value(json_object_get(o, "salt"));
	seal = json_string_value(json_object_get(o, "seal"));
	copy = json_string_value(json_object_get(o, "test_copy"));
	id = json_string_value(json_object_get(o, "task_id"));
	if (cid == NULL || salt == NULL || seal == NULL || copy == NULL ||
	    strlen(cid) >= sizeof(s->test_cid) ||
	    strlen(copy) >= sizeof(s->test_copy) ||
	    denai_hex_decode_exact(s->salt, 32, salt, NULL) != 0 ||
	    denai_hex_decode_exact(s->seal, 32, seal, NULL) != 0) {
		denai_err_set(err, DENAI_EDATA, "%s: not a task state file",
		    path);
		goto out;
	}
	snprintf(s->test_cid, sizeof(s->test_cid), "%s", cid);
	snprintf(s->train_cid, sizeof(s->train_cid), "%s", train ? train : "");
	snprintf(s->test_copy, sizeof(s->test_copy), "%s", copy);
	if (id != NULL) {
		s->has_id = 1;
		s->task_id = strtoull(id, NULL, 10);
	}
	rc = 0;
out:
	json_decref(o);
	return rc;
}

int
denai_task_secret_load(denai_task_secret *s, const char *dir, uint64_t id,
    denai_err *err)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/task-%llu.json", dir, (unsigned long long)id);
	if (access(p, F_OK) != 0)
		return 0;
	return parse(s, p, err) == 0 ? 1 : -1;
}

int
denai_task_secret_pending(denai_task_secret **list, size_t *n,
    const char *dir, denai_err *err)
{
	DIR *d;
	struct dirent *e;
	char p[PATH_MAX];
	size_t cap = 0;

	*list = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : denai_err_set(err, DENAI_EIO,
		    "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, "pending-", 8) != 0 || l < 5 ||
		    strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		if (*n == cap) {
			denai_task_secret *nl = realloc(*list,
			    (cap = cap ? 2 * cap : 4) * sizeof(*nl));
			if (nl == NULL) {
				closedir(d);
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			}
			*list = nl;
		}
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (parse(&(*list)[*n], p, err) == 0)
			(*n)++;
	}
	closedir(d);
	return 0;
}

void
denai_task_secret_wipe(denai_task_secret *s)
{
	explicit_bzero(s, sizeof(*s));
}
