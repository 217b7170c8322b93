/* test_bloom.c - the logs bloom test on a block anvil made: its one log's
 * address and topic are in, other values (and the empty bloom) are out. */
#include <stdint.h>
#include <string.h>

#include "../tap.h"
#include "eth/bloom.h"
#include "eth/hex.h"

/* anvil 1.7.1: a contract whose constructor runs LOG1 with this topic;
 * the receipt's logsBloom. */
static const char *ADDR = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
static const char *TOPIC =
    "0xfc3e59d0fd8db4cdf5b55fe7c0442ccc386ea6980ec4e047b5c19d34e8ee39c8";
static const char *BLOOM = "0x"
    "0000000000000000000000000000000000000000000000000000000001000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000004000000000000000000000000002000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000200000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000004000000000000000000000000000000000000000000000000000000000"
    "0000000000400000000000000000000000000000000000000000000000000000";

int
main(void)
{
	uint8_t bloom[DENAI_BLOOM_LEN], empty[DENAI_BLOOM_LEN] = { 0 };
	uint8_t addr[20], topic[32], other[32];
	denai_err err;
	size_t n;

	ok(denai_hex_decode(bloom, sizeof(bloom), &n, BLOOM, strlen(BLOOM), 0,
	    &err) == 0 && n == sizeof(bloom), "the bloom decodes to 256 bytes");
	ok(denai_hex_decode_exact(addr, 20, ADDR, &err) == 0 &&
	    denai_hex_decode_exact(topic, 32, TOPIC, &err) == 0, "vectors");
	ok(denai_bloom_may_have(bloom, addr, 20), "the log's address is in");
	ok(denai_bloom_may_have(bloom, topic, 32), "the log's topic is in");
	memcpy(other, topic, 32);
	other[31] ^= 1;
	ok(!denai_bloom_may_have(bloom, other, 32), "another topic is out");
	addr[0] ^= 0x80;
	ok(!denai_bloom_may_have(bloom, addr, 20), "another address is out");
	ok(!denai_bloom_may_have(empty, topic, 32), "nothing is in the empty "
	    "bloom");
	memset(empty, 0xff, sizeof(empty));
	ok(denai_bloom_may_have(empty, other, 32), "anything may be in a full "
	    "bloom");
	return done_testing();
}
