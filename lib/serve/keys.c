/*
 * keys.c - API keys: random secrets "dk_<48 hex>", stored as their
 * BLAKE2b-256 hash in state.db with a name, a scope and a budget in wei.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "eth/hex.h"
#include "eth/u256.h"
#include "serve/priv.h"

static void
key_hash(char out[65], const char *key)
{
	uint8_t h[32];

	crypto_generichash(h, sizeof(h), (const uint8_t *)key, strlen(key),
	    NULL, 0);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int
open_state(sqlite3 **db, const char *data_dir, denai_err *err)
{
	char path[4096];

	if (denai_mkdirs(data_dir, err) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/state.db", data_dir);
	if (denai_serve_db_open(db, path, 1, 0600, err) != 0)
		return -1;
	if (denai_serve_db_schema_state(*db, err) != 0) {
		sqlite3_close(*db);
		return -1;
	}
	return 0;
}

static const char *
scope_name(int scope)
{
	return scope == DENAI_SCOPE_WRITE ? "write" : "read";
}

static json_t *
key_row(sqlite3_stmt *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "name", json_string(
	    (const char *)sqlite3_column_text(st, 1)));
	json_object_set_new(o, "scope", json_string(
	    scope_name(sqlite3_column_int(st, 2))));
	json_object_set_new(o, "budget", json_string(
	    (const char *)sqlite3_column_text(st, 3)));
	json_object_set_new(o, "spent", json_string(
	    (const char *)sqlite3_column_text(st, 4)));
	json_object_set_new(o, "created", json_integer(
	    sqlite3_column_int64(st, 5)));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		json_object_set_new(o, "revoked", json_integer(
		    sqlite3_column_int64(st, 6)));
	return o;
}

#define KEY_COLS "id, name, scope, budget, spent, created, revoked"

int
denai_serve_key_add(const char *data_dir, const char *name, int scope,
    const char *budget_wei, char key[DENAI_SERVE_KEY_MAX], json_t **info,
    denai_err *err)
{
	uint8_t raw[24];
	char hash[65], dec[DENAI_U256_DEC_MAX];
	denai_u256 b;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	*info = NULL;
	if (scope != DENAI_SCOPE_READ && scope != DENAI_SCOPE_WRITE)
		return denai_err_set(err, DENAI_EUSAGE, "scope is read or write");
	denai_u256_from_u64(&b, 0);
	if (budget_wei != NULL && denai_u256_parse_dec(&b, budget_wei,
	    strlen(budget_wei), err) != 0)
		return denai_err_prefix(err, "budget");
	denai_u256_to_dec(dec, &b);
	if (sodium_init() < 0)
		return denai_err_set(err, DENAI_ECRYPTO, "libsodium failed");
	randombytes_buf(raw, sizeof(raw));
	memcpy(key, "dk_", 3);
	denai_hex_encode(key + 1, raw, sizeof(raw));	/* "0x" over "k_" */
	memcpy(key, "dk_", 3);
	sodium_memzero(raw, sizeof(raw));
	key_hash(hash, key);
	if (open_state(&db, data_dir, err) != 0)
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT INTO keys(name, hash, scope,"
	    " budget, created) VALUES(?, ?, ?, ?, ?) RETURNING " KEY_COLS,
	    -1, &st, NULL) != SQLITE_OK) {
		denai_serve_db_err(err, db, "state.db");
		goto out;
	}
	sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, scope);
	sqlite3_bind_text(st, 4, dec, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_ROW) {
		denai_serve_db_err(err, db, "state.db");
		goto out;
	}
	*info = key_row(st);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int
denai_serve_key_list(const char *data_dir, json_t **list, denai_err *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int rc;

	*list = NULL;
	if (open_state(&db, data_dir, err) != 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT " KEY_COLS " FROM keys ORDER BY id",
	    -1, &st, NULL) != SQLITE_OK) {
		denai_serve_db_err(err, db, "state.db");
		sqlite3_close(db);
		return -1;
	}
	*list = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(*list, key_row(st));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(*list);
		*list = NULL;
		denai_serve_db_err(err, db, "state.db");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_close(db);
	return 0;
}

int
denai_serve_key_revoke(const char *data_dir, long long id, denai_err *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (open_state(&db, data_dir, err) != 0)
		return -1;
	if (sqlite3_prepare_v2(db, "UPDATE keys SET revoked = ? WHERE id = ?"
	    " AND revoked IS NULL", -1, &st, NULL) != SQLITE_OK) {
		denai_serve_db_err(err, db, "state.db");
		goto out;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		denai_serve_db_err(err, db, "state.db");
	else if (sqlite3_changes(db) == 0)
		denai_err_set(err, DENAI_EDATA, "no key %lld (or revoked "
		    "already)", id);
	else
		rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Returns: 1 with *id and *scope for a live key, 0 for none, -1 on error. */
int
denai_serve_key_check(denai_serve *s, const char *bearer, long long *id,
    int *scope)
{
	char hash[65];
	sqlite3 *db = denai_serve_db_reader(s, 1);
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (db == NULL)
		return -1;
	key_hash(hash, bearer);
	if (sqlite3_prepare_v2(db, "SELECT id, scope FROM keys WHERE hash = ?"
	    " AND revoked IS NULL", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(st, 0);
		*scope = sqlite3_column_int(st, 1);
		rc = 1;
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}
