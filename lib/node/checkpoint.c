/* checkpoint.c - a watcher's state file (see checkpoint.h). */
#include "node/checkpoint.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "node/record.h"

int
denai_checkpoint_load(json_t **st, const char *path, denai_err *err)
{
	uint8_t *text;
	size_t n;
	json_error_t je;

	*st = NULL;
	if (access(path, F_OK) != 0)
		return 0;
	if (denai_file_read(&text, &n, path, DENAI_CHECKPOINT_MAX, err) != 0)
		return -1;
	*st = json_loadb((const char *)text, n, 0, &je);
	free(text);
	if (*st == NULL)
		return denai_err_set(err, DENAI_EDATA, "%s: not JSON: %s", path,
		    je.text);
	return 0;
}

/* st as compact JSON text (the caller frees it), or NULL out of memory. */
static char *
dump(const json_t *st, denai_err *err)
{
	char *text = st != NULL ? json_dumps(st, JSON_COMPACT) : NULL;

	if (text == NULL)
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return text;
}

int
denai_checkpoint_save(const char *path, const json_t *st, denai_err *err)
{
	char *text = dump(st, err);
	int rc;

	if (text == NULL)
		return -1;
	rc = denai_write_atomic(path, (const uint8_t *)text, strlen(text),
	    0644, err);
	free(text);
	return rc;
}

int
denai_checkpoint_save_changed(const char *path, const json_t *st,
    char **last, denai_err *err)
{
	char *text = dump(st, err);

	if (text == NULL)
		return -1;
	if (*last != NULL && strcmp(*last, text) == 0) {
		free(text);
		return 0;
	}
	free(*last);
	*last = NULL;
	if (denai_write_atomic(path, (const uint8_t *)text, strlen(text), 0644,
	    err) != 0) {
		free(text);
		return -1;
	}
	*last = text;
	return 0;
}

int
denai_checkpoint_emit(FILE *out, const char *path, const json_t *st,
    const json_t *rec, void (*hook)(void *ctx, int at), void *ctx,
    denai_err *err)
{
	char tmp[PATH_MAX], *text = dump(st, err);
	int rc;

	if (text == NULL)
		return -1;
	rc = denai_write_atomic_stage(tmp, path, (const uint8_t *)text,
	    strlen(text), 0644, err);
	free(text);
	if (rc != 0)
		return -1;
	if (hook != NULL)
		hook(ctx, 1);
	if (denai_record_write(out, rec, err) != 0) {
		(void)!denai_write_atomic_commit(tmp, path, 0, NULL);
		return -1;
	}
	if (hook != NULL)
		hook(ctx, 2);
	rc = denai_write_atomic_commit(tmp, path, 1, err);
	if (hook != NULL)
		hook(ctx, 3);
	return rc;
}
