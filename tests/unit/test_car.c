/* test_car.c - the CARv1 reader over the gateway-conformance trustless
 * gateway fixtures: every block verifies against its CID (or is refused
 * by codec name), and every UnixFS file in them reads back through the
 * verified reader (the one with a missing block fails, naming it). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "ipfs/car.h"
#include "ipfs/cid.h"
#include "ipfs/dagpb.h"
#include "ipfs/unixfs.h"

static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long len;

	*n = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)len + 1)) != NULL &&
	    fread(p, 1, (size_t)len, f) == (size_t)len)
		*n = (size_t)len;
	fclose(f);
	return p;
}

struct carbuf { const uint8_t *p; size_t n; };

/* A get function over a CAR's blocks, verifying as the contract says. */
static int
car_get(void *ctx, const denai_cid *cid, uint8_t **out, size_t *len,
    denai_err *err)
{
	struct carbuf *cb = ctx;
	denai_car car;
	denai_cid c;
	const uint8_t *d;
	size_t n;

	if (denai_car_open(&car, cb->p, cb->n, err) != 0)
		return -1;
	while (denai_car_next(&car, &c, &d, &n, err) == 1) {
		if (!denai_cid_same_hash(&c, cid))
			continue;
		if (denai_cid_verify(cid, d, n, err) != 0)
			return -1;
		*out = malloc(n ? n : 1);
		memcpy(*out, d, n);
		*len = n;
		return 0;
	}
	return denai_err_set(err, DENAI_EPEER, "block %s is not in the car",
	    denai_cid_str(cid));
}

static int
count_sink(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	(void)p;
	(void)err;
	*(uint64_t *)ctx += n;
	return 0;
}

static void
one(const char *dir, const char *name)
{
	char path[2048];
	struct carbuf cb;
	denai_car car;
	denai_cid c;
	denai_err err;
	const uint8_t *d;
	size_t n;
	uint8_t *p;
	int r, blocks = 0, verified = 0, refused = 0, files = 0, dirs = 0;
	int fileok = 0, missing = strstr(name, "missing") != NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((p = slurp(path, &n)) == NULL) {
		ok(0, "read %s", path);
		return;
	}
	cb.p = p;
	cb.n = n;
	if (!ok(denai_car_open(&car, p, n, &err) == 0, "%s: opens", name)) {
		diag("%s", err.msg);
		free(p);
		return;
	}
	while ((r = denai_car_next(&car, &c, &d, &n, &err)) == 1) {
		denai_dagpb_node nd;
		denai_unixfs_data ud;

		blocks++;
		if (denai_cid_check(&c, &err) != 0) {
			if (strstr(err.msg, "dag-cbor") != NULL)
				refused++;
			else
				diag("%s: %s", name, err.msg);
			continue;
		}
		if (denai_cid_verify(&c, d, n, &err) == 0)
			verified++;
		else
			diag("%s: %s: %s", name, denai_cid_str(&c), err.msg);
		if (c.codec != DENAI_CID_DAG_PB ||
		    denai_dagpb_decode(&nd, d, n, &err) != 0)
			continue;
		if (nd.has_data &&
		    denai_unixfs_decode(&ud, nd.data, nd.datalen, &err) == 0) {
			uint64_t got = 0, size = 0;
			int rc;

			rc = denai_unixfs_cat(&c, 1 << 24, car_get, &cb,
			    count_sink, &got, &size, &err);
			if (ud.type == DENAI_UNIXFS_FILE) {
				files++;
				if (rc == 0 && ud.has_filesize &&
				    got == ud.filesize)
					fileok++;
				else if (missing && rc != 0 &&
				    strstr(err.msg, "not in the car"))
					fileok++;
				else
					diag("%s: file %s: %s", name,
					    denai_cid_str(&c),
					    rc ? err.msg : "size differs");
			} else if (rc != 0 && err.code == DENAI_EUNSUP &&
			    strstr(err.msg, "directory") != NULL) {
				dirs++;
			}
			denai_unixfs_data_clear(&ud);
		}
		denai_dagpb_node_clear(&nd);
	}
	ok(r == 0, "%s: %d blocks read to the end", name, blocks);
	is_int(verified + refused, blocks,
	    "  each verifies or is refused as dag-cbor");
	ok(files > 0 || dirs > 0, "  %d files, %d directories found", files,
	    dirs);
	is_int(fileok, files, "  every file reads back (or names its missing "
	    "block)");
	/* Any truncation of the archive is reported, never read past. */
	for (size_t cut = 1; cut < cb.n; cut += 1 + cut / 8) {
		if (denai_car_open(&car, p, cut, &err) != 0)
			continue;
		while ((r = denai_car_next(&car, &c, &d, &n, &err)) == 1)
			;
		if (r != -1 && car.off != cut) {
			ok(0, "  cut at %zu not noticed", cut);
			break;
		}
	}
	free(p);
}

int
main(void)
{
	char dir[1024];
	struct dirent *e;
	denai_car car;
	denai_cid c;
	denai_err err;
	const uint8_t *d;
	size_t n;
	DIR *dd;
	int cars = 0;

	snprintf(dir, sizeof(dir), "%s/vectors/gateway-conformance/fixtures/"
	    "trustless_gateway_car", tap_shared_dir());
	if ((dd = opendir(dir)) == NULL) {
		skip("no gateway-conformance fixtures at ../shared");
	} else {
		while ((e = readdir(dd)) != NULL)
			if (strstr(e->d_name, ".car") != NULL) {
				one(dir, e->d_name);
				cars++;
			}
		closedir(dd);
		ok(cars >= 6, "%d car files", cars);
	}
	ok(denai_car_open(&car, (const uint8_t *)"\x0b\xa2gversion\x02", 12,
	    &err) == -1 && err.code == DENAI_EUNSUP, "carv2 header refused: %s",
	    err.msg);
	ok(denai_car_open(&car, (const uint8_t *)"\x20\xa2", 2, &err) == -1 &&
	    err.code == DENAI_EDATA, "header past the end refused: %s",
	    err.msg);
	ok(denai_car_open(&car, (const uint8_t *)"\x0b\xa2gversion\x01", 12,
	    &err) == 0 && denai_car_next(&car, &c, &d, &n, &err) == 0,
	    "an empty carv1 has no blocks");
	ok(denai_car_open(&car, (const uint8_t *)"\x0b\xa2gversion\x01\x05"
	    "\x01\x55\x12", 16, &err) == 0 && denai_car_next(&car, &c, &d, &n,
	    &err) == -1, "a section past the end refused: %s", err.msg);
	return done_testing();
}
