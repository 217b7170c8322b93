/* test_secp_cast.c - differential test of addresses and signatures against
 * cast, run live: cast's own random keys and addresses (cast wallet new),
 * our random and edge keys (cast wallet address), EIP-191 messages (cast
 * wallet sign) and raw hashes (cast wallet sign --no-hash). Skips without
 * cast. Run from the repository root. */
#include <jansson.h>

#include "../tap.h"
#include "../diff/wallet_run.h"
#include "eth/hex.h"
#include "eth/secp.h"

static void
test_cast_keys(const char *cast, int n)
{
	char got[DENAI_ADDR_HEX_MAX] = "";
	json_t *arr, *e;
	uint8_t sk[32], addr[20];
	int bad = 0, seen = 0;
	size_t i;

	/* One run makes all n keys; its JSON is read through a pipe. */
	{
		char cmd[1024];
		FILE *f;

		snprintf(cmd, sizeof(cmd), "'%s' wallet new --json -n %d", cast,
		    n);
		if ((f = popen(cmd, "r")) == NULL ||
		    (arr = json_loadf(f, 0, NULL)) == NULL) {
			ok(0, "cast wallet new --json -n %d", n);
			if (f != NULL)
				pclose(f);
			return;
		}
		pclose(f);
	}
	json_array_foreach(arr, i, e) {
		const char *k = json_string_value(json_object_get(e,
		    "private_key"));
		const char *a = json_string_value(json_object_get(e, "address"));

		seen++;
		if (k == NULL || a == NULL ||
		    denai_hex_decode_exact(sk, 32, k, NULL) != 0 ||
		    denai_secp_address(addr, sk, NULL) != 0 ||
		    strcmp(denai_secp_addr_checksum(got, addr), a) != 0) {
			if (bad++ < 5)
				diag("key %s: cast %s, ours %s", k, a, got);
		}
	}
	ok(seen == n && bad == 0, "%d cast-made keys: the same address "
	    "(%d differ)", seen, bad);
	json_decref(arr);
}

/* Our keys: some at the edges, the rest random, through cast wallet
 * address. */
static void
test_our_keys(const char *cast, int n)
{
	struct cast_job *jobs = calloc((size_t)n, sizeof(*jobs));
	char (*keys)[67] = calloc((size_t)n, 67);
	char want[DENAI_ADDR_HEX_MAX];
	uint8_t sk[32], addr[20];
	int bad = 0;

	for (int i = 0; i < n; i++) {
		do {
			rnd(sk, 32);
			if (i < 32) {		/* leading zero bytes */
				memset(sk, 0, (size_t)i);
			} else if (i < 40) {	/* tiny keys */
				memset(sk, 0, 31);
				sk[31] = (uint8_t)(i - 31);
			} else if (i < 48) {	/* just below n */
				if (denai_hex_decode_exact(sk, 32,
				    "fffffffffffffffffffffffffffffffebaaedce6"
				    "af48a03bbfd25e8cd0364140", NULL) != 0)
					abort();
				sk[31] = (uint8_t)(sk[31] - (i - 40));
			}
		} while (denai_secp_seckey_check(sk, NULL) != 0);
		denai_hex_encode(keys[i], sk, 32);
		jobs[i].argv[1] = "wallet";
		jobs[i].argv[2] = "address";
		jobs[i].argv[3] = "--private-key";
		jobs[i].argv[4] = keys[i];
	}
	cast_run(jobs, (size_t)n, cast);
	for (int i = 0; i < n; i++) {
		if (denai_hex_decode_exact(sk, 32, keys[i], NULL) != 0 ||
		    denai_secp_address(addr, sk, NULL) != 0)
			abort();
		denai_secp_addr_checksum(want, addr);
		if (jobs[i].status != 0 || strcmp(jobs[i].out, want) != 0)
			if (bad++ < 5)
				diag("key %s: cast %s (exit %d), ours %s",
				    keys[i], jobs[i].out, jobs[i].status, want);
	}
	ok(bad == 0, "%d of our keys, edges included: the same address "
	    "(%d differ)", n, bad);
	free(jobs);
	free(keys);
}

/* Messages (text, or 0x hex) and raw hashes through cast wallet sign. */
static void
test_sign(const char *cast, int n)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
	    "NOPQRSTUVWXYZ0123456789 .,;:!?'\"()[]{}<>/\\|@#$%^&*_+=~`";
	struct cast_job *jobs = calloc((size_t)n, sizeof(*jobs));
	char (*keys)[67] = calloc((size_t)n, 67);
	char (*msgs)[260] = calloc((size_t)n, 260);
	uint8_t sk[32], h[32], bytes[128], sig65[65];
	char want[2 * 65 + 3];
	size_t len;
	denai_sig sig;
	int bad = 0;

	for (int i = 0; i < n; i++) {
		if (denai_secp_seckey_generate(sk, NULL) != 0)
			abort();
		denai_hex_encode(keys[i], sk, 32);
		jobs[i].argv[1] = "wallet";
		jobs[i].argv[2] = "sign";
		jobs[i].argv[3] = "--private-key";
		jobs[i].argv[4] = keys[i];
		if (i % 2 == 0) {		/* a raw hash */
			rnd(h, 32);
			denai_hex_encode(msgs[i], h, 32);
			jobs[i].argv[5] = "--no-hash";
			jobs[i].argv[6] = msgs[i];
		} else if (i % 10 == 1) {	/* a message given in hex */
			len = (size_t)rnd_below(100);
			rnd(bytes, len);
			denai_hex_encode(msgs[i], bytes, len);
			jobs[i].argv[5] = msgs[i];
		} else {			/* a text message */
			len = 1 + (size_t)rnd_below(200);
			for (size_t k = 0; k < len; k++)
				msgs[i][k] = chars[rnd_below(sizeof(chars) - 1)];
			if (msgs[i][0] == '0')
				msgs[i][0] = 'a';	/* not 0x... */
			msgs[i][len] = '\0';
			jobs[i].argv[5] = msgs[i];
		}
	}
	cast_run(jobs, (size_t)n, cast);
	for (int i = 0; i < n; i++) {
		if (denai_hex_decode_exact(sk, 32, keys[i], NULL) != 0)
			abort();
		if (i % 2 == 0) {
			if (denai_hex_decode_exact(h, 32, msgs[i], NULL) != 0)
				abort();
		} else if (i % 10 == 1) {
			if (denai_hex_decode(bytes, sizeof(bytes), &len, msgs[i],
			    strlen(msgs[i]), 0, NULL) != 0)
				abort();
			denai_secp_eip191_hash(h, bytes, len);
		} else
			denai_secp_eip191_hash(h, msgs[i], strlen(msgs[i]));
		if (denai_secp_sign(&sig, sk, h, NULL) != 0)
			abort();
		denai_secp_sig_encode65(sig65, &sig);
		denai_hex_encode(want, sig65, 65);
		if (jobs[i].status != 0 || strcmp(jobs[i].out, want) != 0)
			if (bad++ < 5)
				diag("case %d key %s msg '%s': cast %s (exit %d), "
				    "ours %s", i, keys[i], msgs[i], jobs[i].out,
				    jobs[i].status, want);
	}
	ok(bad == 0, "%d signatures (%d raw hashes, %d messages): identical "
	    "to cast's (%d differ)", n, (n + 1) / 2, n / 2, bad);
	free(jobs);
	free(keys);
	free(msgs);
}

int
main(void)
{
	const char *cast = cast_path();
	int n = diff_cases();

	if (cast == NULL)
		skip_all("no cast (set CAST)");
	test_cast_keys(cast, n);
	test_our_keys(cast, n / 10 < 48 ? 48 : n / 10);
	test_sign(cast, n);
	return done_testing();
}
