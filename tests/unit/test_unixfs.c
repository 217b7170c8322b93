/* test_unixfs.c - the UnixFS Data message, `ipfs add`'s DAG builder (known
 * CIDs; build then read back at many sizes and shapes), and the reader's
 * checks on DAGs that lie about their sizes or are not files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "ipfs/cid.h"
#include "ipfs/dagpb.h"
#include "ipfs/unixfs.h"

/* An in-memory block store, hashed by digest (open addressing). */
#define NB 40000
#define NH 131072
static struct { denai_cid cid; uint8_t *p; size_t n; } blocks[NB];
static size_t nblocks, gets;
static int32_t slot[NH];	/* block index + 1, 0 when empty */

static size_t
h0(const denai_cid *c)
{
	denai_multihash mh = denai_cid_multihash(c);
	uint32_t h;

	memcpy(&h, mh.digest, 4);
	return h % NH;
}

static int
put(void *ctx, const denai_cid *cid, const uint8_t *p, size_t n,
    denai_err *err)
{
	(void)ctx;
	if (nblocks == NB)
		return denai_err_set(err, DENAI_ENOMEM, "test store full");
	{
		size_t h = h0(cid);

		while (slot[h] != 0)
			h = (h + 1) % NH;
		slot[h] = (int32_t)nblocks + 1;
	}
	blocks[nblocks].cid = *cid;
	blocks[nblocks].p = malloc(n ? n : 1);
	memcpy(blocks[nblocks].p, p, n);
	blocks[nblocks++].n = n;
	return 0;
}

static int
get(void *ctx, const denai_cid *cid, uint8_t **p, size_t *n, denai_err *err)
{
	(void)ctx;
	gets++;
	for (size_t h = h0(cid); slot[h] != 0; h = (h + 1) % NH) {
		size_t i = (size_t)slot[h] - 1;

		if (!denai_cid_same_hash(&blocks[i].cid, cid))
			continue;
		if (denai_cid_verify(cid, blocks[i].p, blocks[i].n, err) != 0)
			return -1;
		*p = malloc(blocks[i].n ? blocks[i].n : 1);
		memcpy(*p, blocks[i].p, blocks[i].n);
		*n = blocks[i].n;
		return 0;
	}
	return denai_err_set(err, DENAI_EPEER, "no block %s",
	    denai_cid_str(cid));
}

static void
reset(void)
{
	for (size_t i = 0; i < nblocks; i++)
		free(blocks[i].p);
	nblocks = 0;
	memset(slot, 0, sizeof(slot));
}

struct out { uint8_t *p; size_t n, cap; };

static int
sink(void *ctx, const uint8_t *p, size_t n, denai_err *err)
{
	struct out *o = ctx;

	if (o->n + n > o->cap)
		return denai_err_set(err, DENAI_ENOMEM, "test sink full");
	memcpy(o->p + o->n, p, n);
	o->n += n;
	return 0;
}

static int
build(denai_cid *root, unsigned v, int raw, size_t chunk, size_t links,
    const uint8_t *p, size_t n)
{
	denai_unixfs_builder *b;
	denai_err err;
	uint64_t size;
	int rc = -1;

	b = denai_unixfs_builder_new_with(v, raw, chunk, links, put, NULL,
	    &err);
	if (b == NULL)
		return -1;
	/* write in odd pieces to cross chunk edges */
	for (size_t o = 0, k; o < n; o += k) {
		k = (o % 7) * 1000 + 13;
		if (k > n - o)
			k = n - o;
		if (denai_unixfs_builder_write(b, p + o, k, &err) != 0)
			goto out;
	}
	if (denai_unixfs_builder_finish(b, root, &size, &err) == 0 &&
	    size == n)
		rc = 0;
out:
	if (rc != 0)
		diag("build: %s", err.msg);
	denai_unixfs_builder_free(b);
	return rc;
}

static void
roundtrip(unsigned v, int raw, size_t chunk, size_t links, size_t n,
    const uint8_t *data, struct out *o)
{
	denai_cid root, c2;
	denai_err err;
	uint64_t size;
	size_t made;

	reset();
	if (!ok(build(&root, v, raw, chunk, links, data, n) == 0,
	    "build v%u raw=%d chunk=%zu links=%zu size=%zu", v, raw, chunk,
	    links, n))
		return;
	made = nblocks;
	o->n = 0;
	gets = 0;
	/* The reader allows 1024 + cap/256 blocks: give tiny chunks room. */
	if (!ok(denai_unixfs_cat(&root, n + 1 + made * 256, get, NULL, sink, o,
	    &size, &err) == 0 && size == n && o->n == n &&
	    memcmp(o->p, data, n) == 0, "  reads back (%zu blocks)", made))
		diag("%s", err.msg);
	is_int((long long)gets, (long long)made, "  one get per block");
	ok(denai_unixfs_cid_of(&c2, v, raw, data, n, &err) == 0 || chunk !=
	    DENAI_UNIXFS_CHUNK, "  cid_of agrees");
	if (n > 0) {
		memset(&err, 0, sizeof(err));
		ok(denai_unixfs_cat(&root, n - 1, get, NULL, sink, o, &size,
		    &err) == -1 && err.code == DENAI_ENOMEM,
		    "  a cap of one byte less refuses it");
	}
}

/* Stores a dag-pb node with the given links and UnixFS Data. */
static denai_cid
node(const denai_cid *kids, size_t nkids, const uint8_t *ud, size_t udlen)
{
	denai_dagpb_link lk[8];
	denai_dagpb_node nd;
	uint8_t buf[1024];
	size_t len;
	denai_cid c;
	denai_err err;

	memset(&c, 0, sizeof(c));
	memset(lk, 0, sizeof(lk));
	memset(&nd, 0, sizeof(nd));
	for (size_t i = 0; i < nkids; i++)
		lk[i].cid = kids[i];
	nd.links = lk;
	nd.nlinks = nkids;
	nd.data = ud;
	nd.datalen = udlen;
	nd.has_data = ud != NULL;
	if (denai_dagpb_encode(buf, sizeof(buf), &len, &nd, &err) != 0 ||
	    denai_cid_of(&c, 1, DENAI_CID_DAG_PB, buf, len, &err) != 0 ||
	    put(NULL, &c, buf, len, &err) != 0)
		diag("node: %s", err.msg);
	return c;
}

static void
cat_bad(const denai_cid *root, int code, const char *want, const char *what)
{
	struct out o = { NULL, 0, 0 };
	uint8_t buf[64];
	denai_err err;

	o.p = buf;
	o.cap = sizeof(buf);
	memset(&err, 0, sizeof(err));
	ok(denai_unixfs_cat(root, 1000, get, NULL, sink, &o, NULL, &err) ==
	    -1 && err.code == code, "refuses %s", what);
	if (!ok(strstr(err.msg, want) != NULL, "  says '%s'", want))
		diag("got: %s", err.msg);
}

static void
lies(void)
{
	denai_cid leaf[2], root;
	denai_err err;

	reset();
	if (denai_cid_of(&leaf[0], 1, DENAI_CID_RAW, (const uint8_t *)"abc",
	    3, &err) != 0 || put(NULL, &leaf[0], (const uint8_t *)"abc", 3,
	    &err) != 0 || denai_cid_of(&leaf[1], 1, DENAI_CID_RAW,
	    (const uint8_t *)"defg", 4, &err) != 0 ||
	    put(NULL, &leaf[1], (const uint8_t *)"defg", 4, &err) != 0)
		return;
	/* Type File, filesize 7, blocksizes 3 4: fine */
	root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x07\x20\x03\x20\x04",
	    8);
	{
		uint8_t buf[16];
		struct out o = { buf, 0, sizeof(buf) };

		ok(denai_unixfs_cat(&root, 100, get, NULL, sink, &o, NULL,
		    &err) == 0 && o.n == 7 && memcmp(buf, "abcdefg", 7) == 0,
		    "hand-made two-leaf file reads");
	}
	root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x07\x2a\x02\x03\x04",
	    8);
	{
		uint8_t buf[16];
		struct out o = { buf, 0, sizeof(buf) };

		ok(denai_unixfs_cat(&root, 100, get, NULL, sink, &o, NULL,
		    &err) == 0 && o.n == 7, "packed blocksizes read");
	}
	root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x07\x20\x04\x20\x03",
	    8);
	cat_bad(&root, DENAI_EDATA, "block holds 3 bytes but its parent says 4",
	    "blocksizes that do not match the children");
	root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x08\x20\x03\x20\x04",
	    8);
	cat_bad(&root, DENAI_EDATA, "filesize 8 but the blocks hold 7",
	    "a filesize that does not add up");
	root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x07\x20\x07", 6);
	cat_bad(&root, DENAI_EDATA, "1 blocksizes for 2 links",
	    "fewer blocksizes than links");
	root = node(leaf, 2, (const uint8_t *)"\x08\x01", 2);
	cat_bad(&root, DENAI_EUNSUP, "is a unixfs directory, not a file",
	    "a directory");
	root = node(leaf, 0, (const uint8_t *)"\x08\x04\x12\x01x", 5);
	cat_bad(&root, DENAI_EUNSUP, "is a unixfs symlink", "a symlink");
	root = node(leaf, 2, NULL, 0);
	cat_bad(&root, DENAI_EDATA, "has no UnixFS Data", "a node without Data");
	root = node(leaf, 0, (const uint8_t *)"\x12\x01x", 3);
	cat_bad(&root, DENAI_EDATA, "unixfs: no Type", "Data without a Type");
	root = node(leaf, 1, (const uint8_t *)"\x08\x02\x18\xd0\x0f\x20\xd0"
	    "\x0f", 8);
	cat_bad(&root, DENAI_ENOMEM, "file of 2000 bytes is over the cap",
	    "a filesize over the cap (early)");
	/* a link to a block nobody has */
	if (denai_cid_of(&leaf[1], 1, DENAI_CID_RAW, (const uint8_t *)"zz", 2,
	    &err) == 0) {
		root = node(leaf, 2, (const uint8_t *)"\x08\x02\x18\x05\x20"
		    "\x03\x20\x02", 8);
		cat_bad(&root, DENAI_EPEER, "link 1 (bafkrei", "a missing block");
	}
}

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 1000, 262143, 262144, 262145,
	    3 * 262144 + 5 };
	static const size_t small[] = { 0, 16, 17, 174 * 16, 174 * 16 + 1,
	    174 * 174 * 16, 174 * 174 * 16 + 1 };
	denai_unixfs_data d;
	denai_cid c;
	denai_err err;
	struct out o;
	uint8_t *data;
	size_t i, big = 174 * 174 * 16 + 1;

	/* Known CIDs from `ipfs add`. */
	ok(denai_unixfs_cid_of(&c, 0, 0, (const uint8_t *)"", 0, &err) == 0,
	    "cid of the empty file");
	is_str(denai_cid_str(&c), "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
	    "  is ipfs add's");
	ok(denai_unixfs_cid_of(&c, 0, 0, (const uint8_t *)"hello world\n", 12,
	    &err) == 0, "cid of hello world");
	is_str(denai_cid_str(&c), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
	    "  is the one in the IPFS docs");
	ok(denai_unixfs_cid_of(&c, 1, 1, (const uint8_t *)"", 0, &err) == 0,
	    "cid v1 raw of the empty file");
	is_str(denai_cid_str(&c),
	    "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
	    "  is the empty raw block");

	/* The Data message. */
	ok(denai_unixfs_decode(&d, (const uint8_t *)"\x08\x02\x12\x02hi\x18\x02"
	    "\x20\x05\x20\x06\x28\x01\x38\xa4\x03\x42\x02\x08\x01", 21, &err) ==
	    0 && d.type == 2 && d.datalen == 2 && d.filesize == 2 &&
	    d.nblocksizes == 2 && d.blocksizes[1] == 6,
	    "Data with hashType, mode and mtime decodes");
	denai_unixfs_data_clear(&d);
	ok(denai_unixfs_decode(&d, (const uint8_t *)"\x08\x02\x12\x05hi", 5,
	    &err) == -1 && strstr(err.msg, "runs past the end") != NULL,
	    "truncated Data refused: %s", err.msg);
	ok(denai_unixfs_decode(&d, (const uint8_t *)"\x0a\x00", 2, &err) ==
	    -1, "Type as bytes refused: %s", err.msg);
	ok(denai_unixfs_decode(&d, (const uint8_t *)"\x0f", 1, &err) == -1,
	    "wire type 7 refused: %s", err.msg);
	denai_unixfs_data_clear(NULL);

	data = malloc(3 * 262144 + 5 > big ? 3 * 262144 + 5 : big);
	o.p = malloc(3 * 262144 + 5 > big ? 3 * 262144 + 5 : big);
	o.cap = 3 * 262144 + 5 > big ? 3 * 262144 + 5 : big;
	srand(5);
	for (i = 0; i < o.cap; i++)
		data[i] = (uint8_t)rand();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		roundtrip(0, 0, DENAI_UNIXFS_CHUNK, DENAI_UNIXFS_LINKS,
		    sizes[i], data, &o);
		roundtrip(1, 1, DENAI_UNIXFS_CHUNK, DENAI_UNIXFS_LINKS,
		    sizes[i], data, &o);
	}
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		roundtrip(0, 1, 16, DENAI_UNIXFS_LINKS, small[i], data, &o);
	roundtrip(1, 0, 7, 3, 5000, data, &o);	/* deep: 3 links a node */
	lies();
	reset();
	ok(denai_unixfs_builder_new_with(2, 0, 16, 174, NULL, NULL, &err) ==
	    NULL && err.code == DENAI_EUSAGE, "cid version 2 refused");
	ok(denai_unixfs_builder_new_with(0, 0, 0, 174, NULL, NULL, &err) ==
	    NULL, "chunk size 0 refused");
	free(data);
	free(o.p);
	return done_testing();
}
