/* task_fetch.c - the CSVs and model a task record names, verified. */
#include "task/task_fetch.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipfs/blockstore.h"
#include "ipfs/cid.h"
#include "node/record.h"

/* Fetches the CSV named by rec[cid_key] into <dir>/data/<cid>.csv and
 * sets rec[path_key]. */
static int
csv(denai_fetch_record *fr, json_t *rec, const char *cid_key,
    const char *path_key, uint64_t max, denai_err *err)
{
	const char *text = denai_record_str(rec, cid_key);
	char dir[PATH_MAX], path[PATH_MAX];
	denai_cid cid;

	if (text == NULL || *text == '\0')
		return denai_err_set(err, DENAI_EDATA, "record has no \"%s\"",
		    cid_key);
	if (denai_cid_parse(&cid, text, strlen(text), err) != 0)
		return denai_err_prefix(err, "%s %s", cid_key, text);
	snprintf(dir, sizeof(dir), "%s/data", fr->dir);
	if (snprintf(path, sizeof(path), "%s/%s.csv", dir,
	    denai_cid_str(&cid)) >= (int)sizeof(path))
		return denai_err_set(err, DENAI_EUSAGE, "path too long");
	if (access(path, R_OK) != 0 && (denai_mkdirs(dir, err) != 0 ||
	    denai_fetch_file(fr->f, &cid, max, path, NULL, NULL, err) != 0))
		return denai_err_prefix(err, "%s %s", cid_key, text);
	json_object_set_new(rec, path_key, json_string(path));
	return 0;
}

int
denai_task_fetch_record(denai_fetch_record *fr, json_t *rec, uint64_t max,
    denai_err *err)
{
	const char *action = denai_record_str(rec, "action");

	if (denai_record_is(rec, "task"))
		return action != NULL && strcmp(action, "commit") == 0 ?
		    csv(fr, rec, "train_cid", "train_path", max, err) : 0;
	if (!denai_record_is(rec, "submission"))
		return 0;
	if (csv(fr, rec, "train_cid", "train_path", max, err) != 0 ||
	    csv(fr, rec, "test_cid", "test_path", max, err) != 0 ||
	    denai_fetch_record_model(fr, rec, err) != 0)
		return -1;
	return 0;
}
