/* tx.c - EIP-1559 and legacy transactions: encode, sign, hash, decode. */
#include "eth/tx.h"

#include <stdlib.h>
#include <string.h>

#include "eth/keccak.h"
#include "eth/rlp.h"

/* Appends the fields both forms share, from nonce (legacy) or chain id
 * (type 2) to data and, for type 2, the empty access list. */
static void
put_fields(denai_rlp_buf *b, const denai_tx *tx)
{
	if (tx->type == DENAI_TX_EIP1559) {
		denai_rlp_put_u64(b, tx->chain_id);
		denai_rlp_put_u64(b, tx->nonce);
		denai_rlp_put_u256(b, &tx->max_priority_fee);
		denai_rlp_put_u256(b, &tx->max_fee);
	} else {
		denai_rlp_put_u64(b, tx->nonce);
		denai_rlp_put_u256(b, &tx->gas_price);
	}
	denai_rlp_put_u64(b, tx->gas);
	denai_rlp_put_bytes(b, tx->has_to ? tx->to : NULL, tx->has_to ? 20 : 0);
	denai_rlp_put_u256(b, &tx->value);
	denai_rlp_put_bytes(b, tx->data, tx->datalen);
	if (tx->type == DENAI_TX_EIP1559) {
		denai_rlp_list_begin(b);	/* access list: empty */
		denai_rlp_list_end(b);
	}
}

static void
put_be32(denai_rlp_buf *b, const uint8_t be[32])
{
	size_t i = 0;

	while (i < 32 && be[i] == 0)
		i++;
	denai_rlp_put_bytes(b, be + i, 32 - i);
}

/* Finishes b into *out, with the type byte in front for typed forms. */
static int
finish(uint8_t **out, size_t *outlen, denai_rlp_buf *b, int type,
    denai_err *err)
{
	uint8_t *p, *q;
	size_t n;

	if (denai_rlp_buf_finish(b, &p, &n, err) != 0)
		return denai_err_prefix(err, "transaction");
	if (type == DENAI_TX_LEGACY) {
		*out = p;
		*outlen = n;
		return 0;
	}
	if ((q = malloc(n + 1)) == NULL) {
		free(p);
		return denai_err_set(err, DENAI_ENOMEM,
		    "transaction: out of memory");
	}
	q[0] = (uint8_t)type;
	memcpy(q + 1, p, n);
	free(p);
	*out = q;
	*outlen = n + 1;
	return 0;
}

static int
check_type(const denai_tx *tx, denai_err *err)
{
	if (tx->type != DENAI_TX_LEGACY && tx->type != DENAI_TX_EIP1559)
		return denai_err_set(err, DENAI_EUNSUP,
		    "transaction type %d is not supported", tx->type);
	if (tx->type == DENAI_TX_LEGACY &&
	    tx->chain_id > (UINT64_MAX - 36) / 2)
		return denai_err_set(err, DENAI_EUNSUP,
		    "chain id %llu is too large for a legacy transaction",
		    (unsigned long long)tx->chain_id);
	return 0;
}

int
denai_tx_signing_hash(uint8_t hash[32], const denai_tx *tx, denai_err *err)
{
	denai_rlp_buf b;
	uint8_t *p;
	size_t n;

	if (check_type(tx, err) != 0)
		return -1;
	denai_rlp_buf_init(&b);
	denai_rlp_list_begin(&b);
	put_fields(&b, tx);
	if (tx->type == DENAI_TX_LEGACY && tx->chain_id != 0) {
		denai_rlp_put_u64(&b, tx->chain_id);
		denai_rlp_put_u64(&b, 0);
		denai_rlp_put_u64(&b, 0);
	}
	denai_rlp_list_end(&b);
	if (finish(&p, &n, &b, tx->type, err) != 0)
		return -1;
	denai_keccak256(hash, p, n);
	free(p);
	return 0;
}

int
denai_tx_encode(uint8_t **raw, size_t *rawlen, const denai_tx *tx,
    const denai_sig *sig, denai_err *err)
{
	denai_rlp_buf b;

	*raw = NULL;
	*rawlen = 0;
	if (check_type(tx, err) != 0)
		return -1;
	if (sig->recid > 1)
		return denai_err_set(err, DENAI_EUSAGE,
		    "transaction: recovery id %u is not 0 or 1", sig->recid);
	denai_rlp_buf_init(&b);
	denai_rlp_list_begin(&b);
	put_fields(&b, tx);
	if (tx->type == DENAI_TX_EIP1559)
		denai_rlp_put_u64(&b, sig->recid);
	else if (tx->chain_id != 0)
		denai_rlp_put_u64(&b, 35 + 2 * tx->chain_id + sig->recid);
	else
		denai_rlp_put_u64(&b, 27u + sig->recid);
	put_be32(&b, sig->r);
	put_be32(&b, sig->s);
	denai_rlp_list_end(&b);
	return finish(raw, rawlen, &b, tx->type, err);
}

int
denai_tx_sign(uint8_t **raw, size_t *rawlen, uint8_t hash[32],
    const denai_tx *tx, const uint8_t sk[32], denai_err *err)
{
	uint8_t h[32];
	denai_sig sig;

	*raw = NULL;
	*rawlen = 0;
	if (denai_tx_signing_hash(h, tx, err) != 0 ||
	    denai_secp_sign(&sig, sk, h, err) != 0 ||
	    denai_tx_encode(raw, rawlen, tx, &sig, err) != 0)
		return -1;
	if (hash != NULL)
		denai_tx_hash(hash, *raw, *rawlen);
	return 0;
}

void
denai_tx_hash(uint8_t hash[32], const uint8_t *raw, size_t rawlen)
{
	denai_keccak256(hash, raw, rawlen);
}

/* Reads the next element of a transaction list into it. */
static int
next(denai_rlp_iter *iter, denai_rlp_item *it, const char *field,
    denai_err *err)
{
	int rc = denai_rlp_iter_next(iter, it, err);

	if (rc < 0)
		return denai_err_prefix(err, "transaction %s", field);
	if (rc == 0)
		return denai_err_set(err, DENAI_EDATA,
		    "transaction: too few fields (no %s)", field);
	return 0;
}

static int
get_u64(denai_rlp_iter *iter, uint64_t *v, const char *field, denai_err *err)
{
	denai_rlp_item it;

	if (next(iter, &it, field, err) != 0)
		return -1;
	if (denai_rlp_get_u64(&it, v, err) != 0)
		return denai_err_prefix(err, "transaction %s", field);
	return 0;
}

static int
get_u256(denai_rlp_iter *iter, denai_u256 *v, const char *field,
    denai_err *err)
{
	denai_rlp_item it;

	if (next(iter, &it, field, err) != 0)
		return -1;
	if (denai_rlp_get_u256(&it, v, err) != 0)
		return denai_err_prefix(err, "transaction %s", field);
	return 0;
}

/* r or s: 1-32 bytes, no leading zero (a zero value fails recovery). */
static int
get_sig_part(denai_rlp_iter *iter, uint8_t out[32], const char *field,
    denai_err *err)
{
	denai_u256 v;

	if (get_u256(iter, &v, field, err) != 0)
		return -1;
	denai_u256_to_be32(out, &v);
	return 0;
}

int
denai_tx_decode(denai_tx *tx, denai_sig *sig, uint8_t from[DENAI_ADDR_LEN],
    const uint8_t *raw, size_t rawlen, denai_err *err)
{
	denai_rlp_item top, it;
	denai_rlp_iter iter;
	uint8_t h[32];
	uint64_t v;
	size_t n;
	int rc;

	memset(tx, 0, sizeof(*tx));
	memset(sig, 0, sizeof(*sig));
	if (rawlen == 0)
		return denai_err_set(err, DENAI_EDATA, "transaction: empty");
	if (raw[0] >= 0xc0)
		tx->type = DENAI_TX_LEGACY;
	else if (raw[0] == DENAI_TX_EIP1559) {
		tx->type = DENAI_TX_EIP1559;
		raw++;
		rawlen--;
	} else
		return denai_err_set(err, DENAI_EUNSUP,
		    "transaction type 0x%02x is not supported", raw[0]);
	if (denai_rlp_decode(&top, raw, rawlen, err) != 0)
		return denai_err_prefix(err, "transaction");
	if (denai_rlp_list_count(&top, &n, err) != 0)
		return denai_err_prefix(err, "transaction");
	if (n != (tx->type == DENAI_TX_EIP1559 ? 12u : 9u))
		return denai_err_set(err, DENAI_EDATA,
		    "transaction: %zu fields, want %u", n,
		    tx->type == DENAI_TX_EIP1559 ? 12u : 9u);
	if (denai_rlp_iter_init(&iter, &top, err) != 0)
		return -1;
	if (tx->type == DENAI_TX_EIP1559) {
		if (get_u64(&iter, &tx->chain_id, "chain id", err) != 0 ||
		    get_u64(&iter, &tx->nonce, "nonce", err) != 0 ||
		    get_u256(&iter, &tx->max_priority_fee,
		    "max priority fee", err) != 0 ||
		    get_u256(&iter, &tx->max_fee, "max fee", err) != 0)
			return -1;
	} else {
		if (get_u64(&iter, &tx->nonce, "nonce", err) != 0 ||
		    get_u256(&iter, &tx->gas_price, "gas price", err) != 0)
			return -1;
	}
	if (get_u64(&iter, &tx->gas, "gas", err) != 0 ||
	    next(&iter, &it, "to", err) != 0)
		return -1;
	if (it.is_list || (it.len != 0 && it.len != 20))
		return denai_err_set(err, DENAI_EDATA,
		    "transaction to: %s, want 0 or 20 bytes",
		    it.is_list ? "a list" : "wrong length");
	if ((tx->has_to = it.len == 20))
		memcpy(tx->to, it.p, 20);
	if (get_u256(&iter, &tx->value, "value", err) != 0 ||
	    next(&iter, &it, "data", err) != 0)
		return -1;
	if (it.is_list)
		return denai_err_set(err, DENAI_EDATA,
		    "transaction data: a list, want bytes");
	tx->data = it.p;
	tx->datalen = it.len;
	if (tx->type == DENAI_TX_EIP1559) {
		if (next(&iter, &it, "access list", err) != 0)
			return -1;
		if (!it.is_list)
			return denai_err_set(err, DENAI_EDATA,
			    "transaction access list: bytes, want a list");
		if (it.len != 0)
			return denai_err_set(err, DENAI_EUNSUP,
			    "transaction: access lists are not supported");
	}
	if (get_u64(&iter, &v, "v", err) != 0 ||
	    get_sig_part(&iter, sig->r, "r", err) != 0 ||
	    get_sig_part(&iter, sig->s, "s", err) != 0)
		return -1;
	if (tx->type == DENAI_TX_EIP1559) {
		if (v > 1)
			return denai_err_set(err, DENAI_ECRYPTO,
			    "transaction: y parity %llu is not 0 or 1",
			    (unsigned long long)v);
		sig->recid = (uint8_t)v;
	} else if (v == 27 || v == 28) {
		sig->recid = (uint8_t)(v - 27);
	} else if (v >= 37) {
		/* 35 and 36 would be chain id 0, which cannot be told from
		 * a pre-EIP-155 transaction here. */
		tx->chain_id = (v - 35) / 2;
		sig->recid = (uint8_t)((v - 35) % 2);
	} else
		return denai_err_set(err, DENAI_ECRYPTO,
		    "transaction: v = %llu is not 27, 28 or 37 and above",
		    (unsigned long long)v);
	if (denai_tx_signing_hash(h, tx, err) != 0)
		return -1;
	rc = denai_secp_recover(from, sig, h, 0, err);
	if (rc != 0)
		return denai_err_prefix(err, "transaction");
	return 0;
}
