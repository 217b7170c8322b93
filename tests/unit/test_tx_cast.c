/* test_tx_cast.c - differential test of signed transactions against cast
 * mktx, run live: random EIP-1559 and legacy EIP-155 transactions (calls
 * with data, plain transfers, contract creations; fees up to 2^128, values
 * up to 2^256) must come out byte for byte the same. Skips without cast.
 * Run from the repository root. */
#include "../tap.h"
#include "../diff/wallet_run.h"
#include "eth/hex.h"
#include "eth/secp.h"
#include "eth/tx.h"

struct tcase {
	char key[67], chain[24], nonce[24], gas[24], price[80], prio[80];
	char value[80], to[43], data[2 * 120 + 3];
	uint8_t bytes[120];
	denai_tx tx;
};

static void
rnd_u256(denai_u256 *v, int words)
{
	memset(v, 0, sizeof(*v));
	rnd(v->w, (size_t)words * 8);
	/* Small values and zero too. */
	if (rnd_below(8) == 0)
		v->w[1] = v->w[2] = v->w[3] = 0;
	if (rnd_below(16) == 0)
		memset(v, 0, sizeof(*v));
}

static void
make_case(struct tcase *c, struct cast_job *j, int i)
{
	denai_tx *tx = &c->tx;
	uint8_t sk[32];
	size_t len;
	int a = 1;

	memset(tx, 0, sizeof(*tx));
	if (denai_secp_seckey_generate(sk, NULL) != 0)
		abort();
	denai_hex_encode(c->key, sk, 32);
	tx->type = i % 2 ? DENAI_TX_LEGACY : DENAI_TX_EIP1559;
	tx->chain_id = i % 7 == 0 ? 31337 : 1 + rnd_below(UINT64_C(1) << 32);
	tx->nonce = i % 11 == 0 ? UINT64_MAX - rnd_below(3) :
	    rnd_below(UINT64_C(1) << (rnd_below(48) + 1));
	tx->gas = 21000 + rnd_below(UINT64_C(1) << 32);
	rnd_u256(&tx->max_fee, 2);
	rnd_u256(&tx->max_priority_fee, 2);
	tx->gas_price = tx->max_fee;
	rnd_u256(&tx->value, 4);
	tx->has_to = i % 5 != 3;
	rnd(tx->to, 20);
	len = (size_t)rnd_below(sizeof(c->bytes) + 1);
	if (!tx->has_to && len == 0)
		len = 1;
	if (i % 5 == 1)
		len = 0;	/* plain transfers */
	rnd(c->bytes, len);
	tx->data = c->bytes;
	tx->datalen = len;

	snprintf(c->chain, sizeof(c->chain), "%llu",
	    (unsigned long long)tx->chain_id);
	snprintf(c->nonce, sizeof(c->nonce), "%llu",
	    (unsigned long long)tx->nonce);
	snprintf(c->gas, sizeof(c->gas), "%llu", (unsigned long long)tx->gas);
	denai_u256_to_dec(c->price, &tx->max_fee);
	denai_u256_to_dec(c->prio, &tx->max_priority_fee);
	denai_u256_to_dec(c->value, &tx->value);
	denai_hex_encode(c->to, tx->to, 20);
	denai_hex_encode(c->data, c->bytes, len);

	j->argv[a++] = "mktx";
	j->argv[a++] = "--private-key";
	j->argv[a++] = c->key;
	j->argv[a++] = "--chain";
	j->argv[a++] = c->chain;
	j->argv[a++] = "--nonce";
	j->argv[a++] = c->nonce;
	j->argv[a++] = "--gas-limit";
	j->argv[a++] = c->gas;
	j->argv[a++] = "--gas-price";
	j->argv[a++] = c->price;
	if (tx->type == DENAI_TX_LEGACY)
		j->argv[a++] = "--legacy";
	else {
		j->argv[a++] = "--priority-gas-price";
		j->argv[a++] = c->prio;
	}
	j->argv[a++] = "--value";
	j->argv[a++] = c->value;
	if (!tx->has_to) {
		j->argv[a++] = "--create";
		j->argv[a++] = c->data;
	} else {
		j->argv[a++] = c->to;
		if (len > 0)
			j->argv[a++] = c->data;
	}
	j->argv[a] = NULL;
}

int
main(void)
{
	const char *cast = cast_path();
	int n = diff_cases(), bad = 0, types[3] = { 0 };
	struct cast_job *jobs;
	struct tcase *cases;
	uint8_t sk[32], *raw;
	size_t rawlen;
	char *want;

	if (cast == NULL)
		skip_all("no cast (set CAST)");
	jobs = calloc((size_t)n, sizeof(*jobs));
	cases = calloc((size_t)n, sizeof(*cases));
	for (int i = 0; i < n; i++)
		make_case(&cases[i], &jobs[i], i);
	cast_run(jobs, (size_t)n, cast);
	for (int i = 0; i < n; i++) {
		struct tcase *c = &cases[i];

		c->tx.data = c->bytes;
		if (denai_hex_decode_exact(sk, 32, c->key, NULL) != 0 ||
		    denai_tx_sign(&raw, &rawlen, NULL, &c->tx, sk, NULL) != 0 ||
		    (want = denai_hex_dup(raw, rawlen)) == NULL)
			abort();
		types[c->tx.type]++;
		if (jobs[i].status != 0 || strcmp(jobs[i].out, want) != 0) {
			if (bad++ < 5) {
				diag("case %d: type %d chain %s nonce %s gas %s "
				    "price %s prio %s value %s to %s data %s",
				    i, c->tx.type, c->chain, c->nonce, c->gas,
				    c->price, c->prio, c->value,
				    c->tx.has_to ? c->to : "(create)", c->data);
				diag("cast (exit %d): %s", jobs[i].status,
				    jobs[i].out);
				diag("ours: %s", want);
			}
		}
		free(raw);
		free(want);
	}
	ok(bad == 0, "%d transactions (%d type 2, %d legacy): byte for byte "
	    "as cast mktx makes them (%d differ)", n, types[2], types[0], bad);
	free(jobs);
	free(cases);
	return done_testing();
}
