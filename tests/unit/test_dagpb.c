/* test_dagpb.c - dag-pb against the ipld codec fixtures (each block's CID
 * is its name, and decode + encode gives the same bytes), and the strict
 * decoder refusing malformed blocks. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "ipfs/cid.h"
#include "ipfs/dagpb.h"

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

static void
fixture(const char *dir, const char *sub, const char *file)
{
	char path[2048], name[256];
	uint8_t *p, *out;
	size_t n, m;
	denai_dagpb_node node;
	denai_cid want, got;
	denai_err err;
	const char *num;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, file);
	snprintf(name, sizeof(name), "%.*s",
	    (int)(strstr(file, ".dag-pb") - file), file);
	if ((p = slurp(path, &n)) == NULL) {
		ok(0, "read %s", path);
		return;
	}
	ok(denai_cid_parse(&want, name, strlen(name), &err) == 0 &&
	    denai_cid_of(&got, 1, DENAI_CID_DAG_PB, p, n, &err) == 0 &&
	    got.len == want.len && memcmp(got.bytes, want.bytes, got.len) == 0,
	    "%s: cid of the block is its name", sub);
	if (!ok(denai_dagpb_decode(&node, p, n, &err) == 0, "%s: decodes",
	    sub)) {
		diag("%s", err.msg);
		free(p);
		return;
	}
	out = malloc(n + 1);
	ok(denai_dagpb_encoded_len(&node) == n &&
	    denai_dagpb_encode(out, n, &m, &node, &err) == 0 && m == n &&
	    memcmp(out, p, n) == 0, "%s: encodes back to the same bytes", sub);
	/* Names like dagpb_11unnamedlinks+data, dagpb_1link state counts. */
	num = sub + 6;
	if (*num >= '1' && *num <= '9')
		is_int((long long)node.nlinks, atoi(num), "  link count");
	if (strcmp(sub, "dagpb_empty") == 0)
		ok(!node.has_data && node.nlinks == 0, "  empty: nothing");
	if (strcmp(sub, "dagpb_Data_zero") == 0)
		ok(node.has_data && node.datalen == 0, "  zero-length Data kept");
	denai_dagpb_node_clear(&node);
	free(out);
	free(p);
}

static int
fixtures(void)
{
	char dir[1024];
	struct dirent *de, *e;
	DIR *d, *d2;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/vectors/ipld-codec-fixtures/fixtures",
	    tap_shared_dir());
	if ((d = opendir(dir)) == NULL) {
		skip("no ipld fixtures at ../shared");
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		char sub[2048];

		if (strncmp(de->d_name, "dagpb_", 6) != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if ((d2 = opendir(sub)) == NULL)
			continue;
		while ((e = readdir(d2)) != NULL)
			if (strstr(e->d_name, ".dag-pb") != NULL) {
				fixture(dir, de->d_name, e->d_name);
				n++;
			}
		closedir(d2);
	}
	closedir(d);
	ok(n >= 15, "%d fixtures", n);
	return n;
}

/* A v0 link hash: 0x12 0x20 and 32 bytes. */
static size_t
put_hash(uint8_t *p)
{
	p[0] = 0x0a;
	p[1] = 34;
	p[2] = 0x12;
	p[3] = 0x20;
	memset(p + 4, 0x42, 32);
	return 36;
}

static void
bad(const uint8_t *p, size_t n, const char *what, const char *want)
{
	denai_dagpb_node node;
	denai_err err;

	memset(&err, 0, sizeof(err));
	ok(denai_dagpb_decode(&node, p, n, &err) == -1 &&
	    err.code == DENAI_EDATA && node.links == NULL, "refuses %s", what);
	if (!ok(strstr(err.msg, want) != NULL, "  says '%s'", want))
		diag("got: %s", err.msg);
}

int
main(void)
{
	uint8_t b[128];
	size_t n;
	denai_dagpb_node node;
	denai_err err;

	fixtures();

	/* a valid node: one link (Hash, Name "", Tsize 9), Data "A" */
	n = 0;
	b[n++] = 0x12;
	b[n++] = 36 + 2 + 2;
	n += put_hash(b + n);
	b[n++] = 0x12; b[n++] = 0x00;
	b[n++] = 0x18; b[n++] = 0x09;
	b[n++] = 0x0a; b[n++] = 0x01; b[n++] = 'A';
	ok(denai_dagpb_decode(&node, b, n, &err) == 0 && node.nlinks == 1 &&
	    node.links[0].has_name && node.links[0].namelen == 0 &&
	    node.links[0].tsize == 9 && node.datalen == 1 &&
	    node.links[0].cid.version == 0, "hand-made node decodes");
	denai_dagpb_node_clear(&node);
	denai_dagpb_node_clear(NULL);

	bad(b, n - 1, "a truncated Data", "runs past the end");
	bad((const uint8_t *)"\x0a\x01" "A" "\x12\x00", 5, "Links after Data",
	    "Links after Data");
	bad((const uint8_t *)"\x0a\x00\x0a\x00", 4, "two Data",
	    "second Data after Data");
	bad((const uint8_t *)"\x1a\x00", 2, "field 3", "unknown field 3");
	bad((const uint8_t *)"\x08\x00", 2, "Data as a varint",
	    "Data has wire type 0, not 2");
	bad((const uint8_t *)"\x12\x02\x12\x00", 4, "a link with no Hash",
	    "link has no Hash");
	bad((const uint8_t *)"\x12\x04\x0a\x02\x12\x20", 6, "a short Hash",
	    "cidv0 is truncated");
	bad((const uint8_t *)"\x8a\x00\x00", 3, "a non-minimal key",
	    "not minimally encoded");
	bad((const uint8_t *)"\x12\x00", 2, "an empty link", "link has no Hash");
	/* link: Name before Hash */
	n = 0;
	b[n++] = 0x12; b[n++] = 38;
	b[n++] = 0x12; b[n++] = 0x00;
	n += put_hash(b + n);
	bad(b, n, "Name before Hash", "field 1 out of order or repeated");
	/* link: Tsize as bytes */
	n = 0;
	b[n++] = 0x12; b[n++] = 38;
	n += put_hash(b + n);
	b[n++] = 0x1a; b[n++] = 0x00;
	bad(b, n, "Tsize as bytes", "Tsize has wire type 2, not 0");
	/* link: field 4 */
	b[38] = 0x22;
	bad(b, n, "a link field 4", "unknown field 4");
	/* link: Hash with trailing bytes */
	n = 0;
	b[n++] = 0x12; b[n++] = 37;
	b[n++] = 0x0a; b[n++] = 35; b[n++] = 0x12; b[n++] = 0x20;
	memset(b + n, 1, 33);
	n += 33;
	bad(b, n, "a Hash with a byte after the cid", "after the cid");

	ok(denai_dagpb_decode(&node, (const uint8_t *)"", 0, &err) == 0 &&
	    node.nlinks == 0 && !node.has_data, "empty input is the empty node");
	ok(denai_dagpb_encode(b, 0, &n, &(denai_dagpb_node){ .has_data = 1 },
	    &err) == -1 && err.code == DENAI_EUSAGE, "encode checks room");
	return done_testing();
}
