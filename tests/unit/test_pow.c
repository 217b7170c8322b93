/*
 * test_pow.c - the PoW search: every kernel against plain Keccak-256,
 * the same first solution from every kernel, difficulty 1, deadlines,
 * stop flags, several threads.
 */
#include <stdint.h>
#include <string.h>

#include "pow/pow.h"
#include "pow/pow_impl.h"
#include "eth/keccak.h"
#include "../tap.h"

static const int impls[] = { DENAI_POW_SCALAR, DENAI_POW_AVX2,
    DENAI_POW_AVX512 };
#define NIMPL (int)(sizeof(impls) / sizeof(impls[0]))

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
rnd_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static void
job_init(denai_pow_job *job, uint64_t difficulty)
{
	memset(job, 0, sizeof(*job));
	rnd_bytes(job->challenge, 32);
	rnd_bytes(job->miner, 20);
	denai_u256_from_u64(&job->difficulty, difficulty);
	job->threads = 1;
}

/* The hash of the message for nonce, by hand from plain Keccak-256. */
static void
plain_hash(uint8_t h[32], const denai_pow_job *job, const denai_u256 *nonce)
{
	uint8_t msg[84];

	memcpy(msg, job->challenge, 32);
	memcpy(msg + 32, job->miner, 20);
	denai_u256_to_be32(msg + 52, nonce);
	denai_keccak256(h, msg, sizeof(msg));
}

static int
below(const uint8_t h[32], const denai_u256 *target)
{
	uint8_t t[32];

	denai_u256_to_be32(t, target);
	return memcmp(h, t, 32) < 0;
}

static uint64_t
top64(const uint8_t h[32])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return v;
}

static void
test_target(void)
{
	denai_u256 d, t, max;
	denai_err err;

	denai_u256_max(&max);
	denai_u256_from_u64(&d, 1);
	ok(denai_pow_target(&t, &d, &err) == 0 && denai_u256_cmp(&t, &max) == 0,
	    "difficulty 1: target is 2^256-1");
	denai_u256_from_u64(&d, 2);
	ok(denai_pow_target(&t, &d, &err) == 0 &&
	    t.w[3] == 0x7fffffffffffffffULL && t.w[0] == UINT64_MAX,
	    "difficulty 2: target is 2^255-1");
	denai_u256_from_u64(&d, 0);
	ok(denai_pow_target(&t, &d, &err) == -1 && err.code == DENAI_EDATA,
	    "difficulty 0 refused: %s", err.msg);
}

/*
 * Each kernel against a brute force with plain Keccak: the first nonce whose
 * first 64 hash bits are <= target_hi, for ranges that end mid-vector and
 * at 2^32, and a target_hi equal to a hash's first 64 bits.
 */
static void
test_kernels(void)
{
	static const denai_pow_scan_fn fns[] = { denai_pow_scan_scalar,
	    denai_pow_scan_avx2, denai_pow_scan_avx512 };

	for (int round = 0; round < 12; round++) {
		denai_pow_job job;
		denai_u256 base, n, t;
		struct denai_pow_pre pre;
		uint32_t lo, count = 1 + (uint32_t)(rnd() % 300);
		long want = -1;
		uint8_t h[32];

		job_init(&job, 1);
		base.w[0] = rnd() & 0xffffffff00000000ULL;
		base.w[1] = round % 3 == 0 ? 0 : rnd();
		base.w[2] = rnd();
		base.w[3] = round % 2 ? rnd() : 0;
		lo = round % 4 == 1 ? (uint32_t)(0 - count) : (uint32_t)rnd();
		if ((uint64_t)lo + count > ((uint64_t)1 << 32))
			lo = (uint32_t)(0 - count);
		/* target_hi: exactly the first 64 bits of a hash in the range. */
		n = base;
		n.w[0] |= lo + (uint32_t)(rnd() % count);
		plain_hash(h, &job, &n);
		denai_u256_from_u64(&t, 0);
		t.w[3] = round == 5 ? UINT64_MAX : top64(h);
		/* pre_init is static in pow.c; compute what it computes. */
		{
			static const uint8_t src[25] = { 0, 6, 12, 18, 24, 3, 9,
			    10, 16, 22, 1, 7, 13, 19, 20, 4, 5, 11, 17, 23, 2,
			    8, 14, 15, 21 };
			static const uint8_t rot[25] = { 0, 44, 43, 21, 14, 28,
			    20, 3, 45, 61, 1, 6, 25, 8, 18, 27, 36, 10, 15, 56,
			    62, 55, 39, 41, 2 };
			uint8_t blk[136] = { 0 };
			uint64_t a[25] = { 0 }, c[5], d[5];

			denai_pow_message(blk, job.challenge, job.miner, &base);
			blk[84] = 1;
			blk[135] = 0x80;
			for (int i = 0; i < 17; i++)
				for (int j = 7; j >= 0; j--)
					a[i] = a[i] << 8 | blk[8 * i + j];
			for (int x = 0; x < 5; x++)
				c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^
				    a[x + 20];
			for (int x = 0; x < 5; x++)
				d[x] = c[(x + 4) % 5] ^ (c[(x + 1) % 5] << 1 |
				    c[(x + 1) % 5] >> 63);
			for (int i = 0; i < 25; i++) {
				uint64_t v = a[src[i]] ^ d[src[i] % 5];

				pre.k[i] = rot[i] ? v << rot[i] |
				    v >> (64 - rot[i]) : v;
			}
			pre.target_hi = t.w[3];
		}
		for (uint32_t i = 0; i < count; i++) {
			n = base;
			n.w[0] |= lo + i;
			plain_hash(h, &job, &n);
			if (top64(h) <= pre.target_hi) {
				want = i;
				break;
			}
		}
		for (int k = 0; k < NIMPL; k++) {
			long got;

			if (!denai_pow_impl_available(impls[k])) {
				skip("no cpu support");
				continue;
			}
			got = fns[k](&pre, lo, count);
			if (!ok(got == want, "%s kernel, lo %u count %u: "
			    "first candidate at %ld",
			    denai_pow_impl_name(impls[k]), lo, count, want))
				diag("got %ld", got);
		}
	}
}

/* The same first solution from every kernel, checked against a brute
 * force over every nonce before it. */
static void
test_first_solution(void)
{
	for (int round = 0; round < 4; round++) {
		denai_pow_job job;
		denai_pow_result res[NIMPL];
		denai_u256 target, n;
		denai_err err;
		uint8_t h[32];
		int first = -1, bad = 0;

		job_init(&job, 300 + rnd() % 3000);
		job.start.w[0] = round == 1 ? 0xffffffffULL - rnd() % 2000 :
		    rnd();
		job.start.w[1] = round >= 2 ? rnd() : 0;
		job.start.w[3] = round == 3 ? UINT64_MAX : 0;
		if (round == 3)
			job.start.w[2] = job.start.w[1] = UINT64_MAX,
			job.start.w[0] = UINT64_MAX - 500;	/* wraps to 0 */
		if (denai_pow_target(&target, &job.difficulty, NULL) != 0)
			continue;
		for (int k = 0; k < NIMPL; k++) {
			char dec[DENAI_U256_DEC_MAX];

			if (!denai_pow_impl_available(impls[k])) {
				skip("no cpu support");
				continue;
			}
			job.impl = impls[k];
			if (!ok(denai_pow_search(&res[k], &job, &err) == 0,
			    "%s: search finds a solution",
			    denai_pow_impl_name(impls[k]))) {
				diag("%s", err.msg);
				continue;
			}
			plain_hash(h, &job, &res[k].nonce);
			ok(below(h, &target) && memcmp(h, res[k].hash, 32) == 0,
			    "%s: nonce %s is below the target by plain keccak",
			    denai_pow_impl_name(impls[k]),
			    denai_u256_to_dec(dec, &res[k].nonce));
			(void)denai_u256_sub(&n, &res[k].nonce, &job.start);
			ok(n.w[1] == 0 && n.w[2] == 0 && n.w[3] == 0 &&
			    res[k].hashes == n.w[0] + 1,
			    "%s: hashes %llu = nonce - start + 1",
			    denai_pow_impl_name(impls[k]),
			    (unsigned long long)res[k].hashes);
			if (first < 0) {
				first = k;
				/* No nonce before it is a solution. */
				n = job.start;
				while (denai_u256_cmp(&n, &res[k].nonce) != 0) {
					plain_hash(h, &job, &n);
					bad += below(h, &target);
					denai_u256 one;
					denai_u256_from_u64(&one, 1);
					(void)denai_u256_add(&n, &n, &one);
				}
				ok(bad == 0, "no solution between start and "
				    "the nonce (%llu tried)",
				    (unsigned long long)res[k].hashes);
			} else
				ok(denai_u256_cmp(&res[k].nonce,
				    &res[first].nonce) == 0,
				    "%s gives the same nonce as %s",
				    denai_pow_impl_name(impls[k]),
				    denai_pow_impl_name(impls[first]));
		}
	}
}

static void
test_difficulty_one(void)
{
	for (int k = 0; k < NIMPL; k++) {
		denai_pow_job job;
		denai_pow_result res;

		if (!denai_pow_impl_available(impls[k])) {
			skip("no cpu support");
			continue;
		}
		job_init(&job, 1);
		job.start.w[0] = rnd();
		job.impl = impls[k];
		job.threads = 0;
		ok(denai_pow_search(&res, &job, NULL) == 0 &&
		    res.hashes >= 1 && denai_pow_check(NULL, job.challenge,
		    job.miner, &res.nonce, &(denai_u256){ { UINT64_MAX,
		    UINT64_MAX, UINT64_MAX, UINT64_MAX } }),
		    "%s: difficulty 1 returns a solution at once",
		    denai_pow_impl_name(impls[k]));
		job.threads = 1;
		ok(denai_pow_search(&res, &job, NULL) == 0 &&
		    denai_u256_cmp(&res.nonce, &job.start) == 0 &&
		    res.hashes == 1,
		    "%s: one thread, difficulty 1: the start nonce",
		    denai_pow_impl_name(impls[k]));
	}
}

static int
stop_at_once(void *arg, uint64_t hashes, double elapsed)
{
	int *calls = arg;

	(*calls)++;
	return 1;
}

static void
test_stopping(void)
{
	denai_pow_job job;
	denai_pow_result res;
	denai_err err;
	atomic_int stop;
	int calls = 0;

	job_init(&job, 1);
	denai_u256_max(&job.difficulty);	/* target 1: hash must be 0 */
	job.threads = 2;
	job.deadline = 0.2;
	ok(denai_pow_search(&res, &job, &err) == 1 && res.hashes > 0 &&
	    res.seconds >= 0.2, "huge difficulty stops on the deadline "
	    "after %llu hashes", (unsigned long long)res.hashes);

	job.deadline = 0;
	atomic_init(&stop, 1);
	job.stop = &stop;
	ok(denai_pow_search(&res, &job, &err) == 1, "stop flag stops");

	job.stop = NULL;
	job.progress = stop_at_once;
	job.progress_arg = &calls;
	job.progress_interval = 0.01;
	ok(denai_pow_search(&res, &job, &err) == 1 && calls == 1,
	    "progress callback's non-zero stops (%d call)", calls);

	job_init(&job, 0);
	ok(denai_pow_search(&res, &job, &err) == -1 && err.code == DENAI_EDATA,
	    "difficulty 0 is an error: %s", err.msg);
	job_init(&job, 1);
	job.impl = 99;
	ok(denai_pow_search(&res, &job, &err) == -1, "unknown impl refused");
}

static void
test_threads(void)
{
	denai_pow_job job;
	denai_pow_result res;
	denai_u256 target;
	uint8_t h[32];

	job_init(&job, 200000);
	job.threads = 3;
	if (denai_pow_target(&target, &job.difficulty, NULL) != 0)
		return;
	ok(denai_pow_search(&res, &job, NULL) == 0 && res.threads == 3,
	    "three threads find a solution");
	plain_hash(h, &job, &res.nonce);
	ok(below(h, &target), "and plain keccak confirms it");
}

static void
test_names(void)
{
	int impl = -1;
	denai_err err;

	ok(denai_pow_impl_parse(&impl, "avx2", &err) == 0 &&
	    impl == DENAI_POW_AVX2, "parse avx2");
	ok(denai_pow_impl_parse(&impl, "sse", &err) == -1 &&
	    err.code == DENAI_EUSAGE, "parse sse refused: %s", err.msg);
	is_str(denai_pow_impl_name(DENAI_POW_AVX512), "avx512", "name");
	ok(denai_pow_impl_available(denai_pow_impl_best()), "best available");
	diag("best here: %s, %u cpus",
	    denai_pow_impl_name(denai_pow_impl_best()), denai_pow_cpus());
}

int
main(void)
{
	test_target();
	test_names();
	test_kernels();
	test_first_solution();
	test_difficulty_one();
	test_stopping();
	test_threads();
	return done_testing();
}
