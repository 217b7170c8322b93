/* test_keccak_cast.c - Keccak-256 against cast: `cast keccak` on random
 * binary messages (lengths around the 136-byte rate favoured), and, to
 * check 2,000 more hashes in few runs of cast, `cast namehash` of names with
 * 100 random labels each (ENS namehash hashes each label, then each
 * 64-byte node: node = keccak(node || keccak(label)), last label first). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "../diff/cast.h"
#include "eth/hex.h"
#include "eth/keccak.h"

#define NDIRECT 150
#define NNAMES 10
#define NLABELS 100

int
main(void)
{
	static const size_t edge[] = { 0, 1, 31, 32, 33, 84, 135, 136, 137,
	    271, 272, 273, 408 };
	struct cast_batch b = { 0 };
	static char want[NDIRECT + NNAMES][67];
	size_t bad = 0, badn = 0, first;

	cast_init(20261125);
	for (size_t i = 0; i < NDIRECT; i++) {
		uint8_t msg[600], d[32];
		size_t len = i < 13 ? edge[i] : rndn(3) == 0 ?
		    edge[rndn(13)] + rndn(3) : rndn(600);
		char *h = rnd_hex(len, msg);

		denai_keccak256(d, msg, len);
		denai_hex_encode(want[i], d, 32);
		cast_add(&b, "keccak", h, NULL);
		free(h);
	}
	first = b.n;
	for (size_t k = 0; k < NNAMES; k++) {
		static char name[NLABELS * 320];
		char *labels[NLABELS];
		size_t pos = 0;
		uint8_t node[32], pair[64];

		for (size_t l = 0; l < NLABELS; l++) {
			size_t len = 1 + (rndn(2) ? rndn(300) : rndn(140));

			labels[l] = name + pos;
			/* Printable ASCII but '.', starting with a letter
			 * so that cast never reads a flag. */
			for (size_t j = 0; j < len; j++) {
				char c = (char)(0x20 + rndn(95));

				if (c == '.' || (j == 0 && (c == '-' ||
				    c == ' ')))
					c = 'q';
				name[pos++] = c;
			}
			name[pos++] = '\0';
		}
		memset(node, 0, 32);
		for (size_t l = NLABELS; l-- > 0;) {
			memcpy(pair, node, 32);
			denai_keccak256(pair + 32, labels[l], strlen(labels[l]));
			denai_keccak256(node, pair, 64);
		}
		denai_hex_encode(want[NDIRECT + k], node, 32);
		for (size_t j = 0; j + 1 < pos; j++)
			if (name[j] == '\0')
				name[j] = '.';
		cast_add(&b, "namehash", name, NULL);
	}
	if (cast_run(&b) != 0)
		skip_all("cannot run cast");
	for (size_t i = 0; i < b.n; i++) {
		if (b.rc[i] == 0 && strcmp(b.out[i], want[i]) == 0)
			continue;
		if (i < first)
			bad++;
		else
			badn++;
		if (bad + badn < 5)
			diag("case %zu: cast %s (rc %d: %.200s), ours %s", i,
			    b.out[i], b.rc[i], b.errout[i], want[i]);
	}
	ok(bad == 0, "keccak256 equals cast keccak on %d random messages "
	    "(%zu differ)", NDIRECT, bad);
	ok(badn == 0, "%d namehashes (%d keccaks) equal cast namehash "
	    "(%zu differ)", NNAMES, NNAMES * NLABELS * 2, badn);
	cast_free(&b);
	return done_testing();
}
