/* node/seal_state.c - a miner's seals on disk (see seal_state.h). */
#include "node/seal_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eth/hex.h"
#include "fileio.h"

#define MAX_FILE (1 << 20)

void
denai_seal_state_clear(denai_seal_state *s)
{
	json_decref(s->record);
	/* volatile: the salt is a secret until the reveal. */
	for (volatile uint8_t *p = (volatile uint8_t *)s;
	    p < (volatile uint8_t *)(s + 1); p++)
		*p = 0;
}

int
denai_seal_state_dir(char *dir, size_t n, const char *root,
    uint64_t chain_id, const uint8_t oracle[DENAI_ADDR_LEN],
    const uint8_t miner[DENAI_ADDR_LEN], denai_err *err)
{
	char o[2 * DENAI_ADDR_LEN + 3], m[2 * DENAI_ADDR_LEN + 3];
	int len;

	len = snprintf(dir, n, "%s/submit-%llu-%s-%s", root,
	    (unsigned long long)chain_id,
	    denai_hex_encode(o, oracle, DENAI_ADDR_LEN) + 2,
	    denai_hex_encode(m, miner, DENAI_ADDR_LEN) + 2);
	if (len < 0 || (size_t)len >= n)
		return denai_err_set(err, DENAI_EIO, "state folder name under "
		    "%s is too long", root);
	return denai_mkdirs_mode(dir, 0700, err);
}

static int
path_of(char path[PATH_MAX], const char *dir, const denai_u256 *id,
    denai_err *err)
{
	char d[DENAI_U256_DEC_MAX];
	int len = snprintf(path, PATH_MAX, "%s/sealed-%s.json", dir,
	    denai_u256_to_dec(d, id));

	if (len < 0 || len >= PATH_MAX)
		return denai_err_set(err, DENAI_EIO, "state path under %s is "
		    "too long", dir);
	return 0;
}

/* So that the rename survives a power cut too. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
denai_seal_state_save(const denai_seal_state *s, const char *dir,
    denai_err *err)
{
	char path[PATH_MAX], id[DENAI_U256_DEC_MAX], p[DENAI_U256_DEC_MAX];
	char salt[67], seal[67];
	json_t *o;
	char *text;
	int rc;

	if (path_of(path, dir, &s->request_id, err) != 0)
		return -1;
	o = json_pack("{s:i,s:s,s:s,s:s,s:s,s:O?}", "version", 1,
	    "request_id", denai_u256_to_dec(id, &s->request_id),
	    "prediction", denai_u256_to_dec(p, &s->prediction),
	    "salt", denai_hex_encode(salt, s->salt, 32),
	    "seal", denai_hex_encode(seal, s->seal, 32), "record", s->record);
	text = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	memset(salt, 0, sizeof(salt));
	if (text == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_write_atomic(path, (const uint8_t *)text, strlen(text), 0600,
	    err);
	memset(text, 0, strlen(text));
	free(text);
	if (rc == 0)
		sync_dir(dir);
	return rc;
}

static int
u256_of(denai_u256 *v, const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s == NULL ? -1 : denai_u256_parse(v, s, strlen(s), NULL);
}

static int
hex32_of(uint8_t out[32], const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s == NULL ? -1 : denai_hex_decode_exact(out, 32, s, NULL);
}

static int
load_path(denai_seal_state *s, const char *path, denai_err *err)
{
	uint8_t *data = NULL;
	size_t len;
	json_t *o;
	json_t *rec;

	memset(s, 0, sizeof(*s));
	if (denai_file_read(&data, &len, path, MAX_FILE, err) != 0)
		return -1;
	o = json_loadb((const char *)data, len, 0, NULL);
	memset(data, 0, len);
	free(data);
	rec = json_object_get(o, "record");
	if (o == NULL || json_integer_value(json_object_get(o, "version")) != 1 ||
	    u256_of(&s->request_id, o, "request_id") != 0 ||
	    u256_of(&s->prediction, o, "prediction") != 0 ||
	    hex32_of(s->salt, o, "salt") != 0 ||
	    hex32_of(s->seal, o, "seal") != 0 || !json_is_object(rec)) {
		json_decref(o);
		denai_seal_state_clear(s);
		return denai_err_set(err, DENAI_EDATA, "%s: not a seal state "
		    "file", path);
	}
	s->record = json_incref(rec);
	json_decref(o);
	return 0;
}

int
denai_seal_state_load(denai_seal_state *s, const char *dir,
    const denai_u256 *id, denai_err *err)
{
	char path[PATH_MAX];

	memset(s, 0, sizeof(*s));
	if (path_of(path, dir, id, err) != 0)
		return -1;
	if (access(path, F_OK) != 0)
		return 0;
	if (load_path(s, path, err) != 0)
		return -1;
	if (denai_u256_cmp(&s->request_id, id) != 0) {
		denai_seal_state_clear(s);
		return denai_err_set(err, DENAI_EDATA, "%s: holds another "
		    "request", path);
	}
	return 1;
}

static int
by_id(const void *a, const void *b)
{
	return denai_u256_cmp(&((const denai_seal_state *)a)->request_id,
	    &((const denai_seal_state *)b)->request_id);
}

int
denai_seal_state_all(denai_seal_state **list, size_t *n, const char *dir,
    denai_err *err)
{
	char path[PATH_MAX];
	denai_seal_state *l = NULL, *nl;
	size_t cnt = 0, cap = 0, len;
	struct dirent *e;
	DIR *d;
	int rc = -1;

	*list = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return 0;	/* nothing kept yet */
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (strncmp(e->d_name, "sealed-", 7) != 0 || len < 13 ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (cnt == cap) {
			cap = cap ? 2 * cap : 8;
			if ((nl = realloc(l, cap * sizeof(*l))) == NULL) {
				denai_err_set(err, DENAI_ENOMEM, "out of memory");
				goto out;
			}
			l = nl;
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path)) {
			denai_err_set(err, DENAI_EIO, "state path under %s is "
			    "too long", dir);
			goto out;
		}
		if (load_path(&l[cnt], path, err) != 0)
			goto out;
		cnt++;
	}
	if (cnt > 1)
		qsort(l, cnt, sizeof(*l), by_id);
	*list = l;
	*n = cnt;
	l = NULL;
	cnt = 0;
	rc = 0;
out:
	closedir(d);
	for (size_t i = 0; i < cnt; i++)
		denai_seal_state_clear(&l[i]);
	free(l);
	return rc;
}

void
denai_seal_state_remove(const char *dir, const denai_u256 *id)
{
	char path[PATH_MAX];

	if (path_of(path, dir, id, NULL) == 0 && unlink(path) == 0)
		sync_dir(dir);
}
