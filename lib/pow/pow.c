/* pow.c - the PoW search: targets, threads, ranges, dispatch, re-checks. */
#include "pow/pow.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "eth/keccak.h"
#include "pow/pow_impl.h"

#define CHUNK		16384u	/* nonces a thread takes at a time */
#define MAX_THREADS	1024u
#define TICK		0.05	/* seconds between stop-flag looks */

#define ROL(x, n)	((x) << (n) | (x) >> (64 - (n)))

struct search {
	/* Read-only while the workers run. */
	const denai_pow_job *job;
	denai_u256 target;
	denai_pow_scan_fn scan;

	atomic_uint_fast64_t next;	/* next chunk to hand out */
	atomic_uint_fast64_t hashes;	/* nonces tried: chunks, or up to a hit */
	atomic_int stop;		/* workers return when set */

	pthread_mutex_t mu;		/* guards what follows */
	pthread_cond_t cv;		/* on a solution or a worker's end */
	int found;
	unsigned running;
	denai_u256 nonce;
	uint8_t hash[32];
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
load64le(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int
denai_pow_target(denai_u256 *target, const denai_u256 *difficulty,
    denai_err *err)
{
	denai_u256 max;

	if (denai_u256_is_zero(difficulty))
		return denai_err_set(err, DENAI_EDATA,
		    "difficulty 0: the target max/difficulty is undefined");
	denai_u256_max(&max);
	return denai_u256_divmod(target, NULL, &max, difficulty, err);
}

void
denai_pow_message(uint8_t msg[DENAI_POW_MSG_LEN], const uint8_t challenge[32],
    const uint8_t miner[20], const denai_u256 *nonce)
{
	memcpy(msg, challenge, 32);
	memcpy(msg + 32, miner, 20);
	denai_u256_to_be32(msg + 52, nonce);
}

int
denai_pow_check(uint8_t hash[32], const uint8_t challenge[32],
    const uint8_t miner[20], const denai_u256 *nonce, const denai_u256 *target)
{
	uint8_t msg[DENAI_POW_MSG_LEN], h[32];
	denai_u256 hv;

	denai_pow_message(msg, challenge, miner, nonce);
	denai_keccak256(h, msg, sizeof(msg));
	if (hash != NULL)
		memcpy(hash, h, 32);
	denai_u256_from_be32(&hv, h);
	return denai_u256_cmp(&hv, target) < 0;
}

/*
 * The first round's constants for the nonces that share nonce's upper 224
 * bits (see pow_impl.h): the state with the nonce's low 32 bits zero,
 * through theta (the changing half-lane taken as 0), rho and pi.
 */
static void
pre_init(struct denai_pow_pre *pre, const denai_pow_job *job,
    const denai_u256 *nonce, const denai_u256 *target)
{
	static const uint8_t src[25] = {
		0, 6, 12, 18, 24, 3, 9, 10, 16, 22, 1, 7, 13, 19, 20,
		4, 5, 11, 17, 23, 2, 8, 14, 15, 21,
	};
	static const uint8_t rot[25] = {
		0, 44, 43, 21, 14, 28, 20, 3, 45, 61, 1, 6, 25, 8, 18,
		27, 36, 10, 15, 56, 62, 55, 39, 41, 2,
	};
	uint8_t blk[DENAI_KECCAK256_RATE];
	uint64_t a[25] = { 0 }, c[5], d[5];

	memset(blk, 0, sizeof(blk));
	denai_pow_message(blk, job->challenge, job->miner, nonce);
	memset(blk + 80, 0, 4);
	blk[DENAI_POW_MSG_LEN] = 0x01;
	blk[DENAI_KECCAK256_RATE - 1] |= 0x80;
	for (int i = 0; i < DENAI_KECCAK256_RATE / 8; i++)
		a[i] = load64le(blk + 8 * i);
	for (int x = 0; x < 5; x++)
		c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
	for (int x = 0; x < 5; x++)
		d[x] = c[(x + 4) % 5] ^ ROL(c[(x + 1) % 5], 1);
	for (int i = 0; i < 25; i++) {
		uint64_t t = a[src[i]] ^ d[src[i] % 5];

		pre->k[i] = rot[i] == 0 ? t : ROL(t, rot[i]);
	}
	pre->target_hi = target->w[3];
}

static void
add_u64(denai_u256 *r, const denai_u256 *a, uint64_t n)
{
	denai_u256 t;

	denai_u256_from_u64(&t, n);
	(void)denai_u256_add(r, a, &t);
}

/* Records a solution; the first one found wins. */
static void
solved(struct search *s, const denai_u256 *nonce, const uint8_t hash[32])
{
	pthread_mutex_lock(&s->mu);
	if (!s->found) {
		s->found = 1;
		s->nonce = *nonce;
		memcpy(s->hash, hash, 32);
	}
	atomic_store(&s->stop, 1);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/*
 * Scans one chunk: CHUNK nonces from start + k * CHUNK, in pieces that do
 * not cross a multiple of 2^32. Returns: 1 on a solution, else 0.
 */
static int
scan_chunk(struct search *s, uint64_t k)
{
	const denai_pow_job *job = s->job;
	struct denai_pow_pre pre;
	denai_u256 n, off;
	uint32_t left = CHUNK, done = 0;
	uint8_t hash[32];

	denai_u256_from_u64(&off, k);
	(void)denai_u256_mul_small(&off, &off, CHUNK);
	(void)denai_u256_add(&n, &job->start, &off);
	while (left > 0) {
		uint32_t lo = (uint32_t)n.w[0];
		uint64_t room = (uint64_t)1 << 32;
		uint32_t span = room - lo < left ? (uint32_t)(room - lo) : left;
		uint32_t at = 0;

		pre_init(&pre, job, &n, &s->target);
		while (at < span) {
			long hit = s->scan(&pre, lo + at, span - at);
			denai_u256 cand;

			if (hit < 0)
				break;
			at += (uint32_t)hit;
			add_u64(&cand, &n, at);
			if (denai_pow_check(hash, job->challenge, job->miner,
			    &cand, &s->target)) {
				atomic_fetch_add(&s->hashes, done + at + 1);
				solved(s, &cand, hash);
				return 1;
			}
			at++;	/* first 64 bits equal to the target's */
		}
		add_u64(&n, &n, span);
		left -= span;
		done += span;
	}
	atomic_fetch_add(&s->hashes, CHUNK);
	return 0;
}

static void *
worker(void *arg)
{
	struct search *s = arg;

	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		uint64_t k = atomic_fetch_add(&s->next, 1);

		if (scan_chunk(s, k))
			break;
	}
	pthread_mutex_lock(&s->mu);
	s->running--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

unsigned
denai_pow_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int
denai_pow_impl_available(int impl)
{
	unsigned f = denai_cpu_features();

	switch (impl) {
	case DENAI_POW_AUTO:
	case DENAI_POW_SCALAR:
		return 1;
	case DENAI_POW_AVX2:
		return (f & DENAI_CPU_AVX2) != 0;
	case DENAI_POW_AVX512:
		return (f & DENAI_CPU_AVX512) != 0;
	}
	return 0;
}

int
denai_pow_impl_best(void)
{
	if (denai_pow_impl_available(DENAI_POW_AVX512))
		return DENAI_POW_AVX512;
	if (denai_pow_impl_available(DENAI_POW_AVX2))
		return DENAI_POW_AVX2;
	return DENAI_POW_SCALAR;
}

static const char *const impl_names[] = { "auto", "scalar", "avx2", "avx512" };

const char *
denai_pow_impl_name(int impl)
{
	if (impl < 0 || impl > DENAI_POW_AVX512)
		return "unknown";
	return impl_names[impl];
}

int
denai_pow_impl_parse(int *impl, const char *name, denai_err *err)
{
	for (int i = 0; i <= DENAI_POW_AVX512; i++)
		if (strcmp(name, impl_names[i]) == 0) {
			*impl = i;
			return 0;
		}
	return denai_err_set(err, DENAI_EUSAGE,
	    "unknown pow implementation '%s' (auto, scalar, avx2, avx512)",
	    name);
}

static void
deadline_ts(struct timespec *ts, double t)
{
	ts->tv_sec = (time_t)t;
	ts->tv_nsec = (long)((t - (double)ts->tv_sec) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * The calling thread waits for a solution, the deadline, the stop flag or
 * the progress callback's word, waking every TICK or progress interval.
 */
static int
supervise(struct search *s, double t0)
{
	const denai_pow_job *job = s->job;
	double interval = job->progress_interval > 0 ?
	    job->progress_interval : 0.25;
	double next_progress = t0 + interval;
	int stopped = 0;

	pthread_mutex_lock(&s->mu);
	while (!s->found && s->running > 0) {
		double t = now(), wake = t + TICK;
		struct timespec ts;

		if (job->stop != NULL && atomic_load(job->stop))
			break;
		if (job->deadline > 0 && t - t0 >= job->deadline)
			break;
		if (job->progress != NULL && t >= next_progress) {
			uint64_t h = atomic_load(&s->hashes);

			pthread_mutex_unlock(&s->mu);
			stopped = job->progress(job->progress_arg, h, t - t0);
			pthread_mutex_lock(&s->mu);
			next_progress = t + interval;
			if (stopped || s->found)
				break;
		}
		if (job->progress != NULL && next_progress < wake)
			wake = next_progress;
		if (job->deadline > 0 && t0 + job->deadline < wake)
			wake = t0 + job->deadline;
		deadline_ts(&ts, wake);
		(void)pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	}
	atomic_store(&s->stop, 1);
	pthread_mutex_unlock(&s->mu);
	return stopped;
}

int
denai_pow_search(denai_pow_result *res, const denai_pow_job *job,
    denai_err *err)
{
	struct search s;
	pthread_t *tid = NULL;
	pthread_condattr_t ca;
	unsigned n, started = 0;
	double t0;
	int impl, rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.job = job;
	if (denai_pow_target(&s.target, &job->difficulty, err) == -1)
		return -1;
	impl = job->impl == DENAI_POW_AUTO ? denai_pow_impl_best() : job->impl;
	if (!denai_pow_impl_available(impl))
		return denai_err_set(err, DENAI_EUNSUP,
		    "pow implementation %s: not supported by this cpu",
		    denai_pow_impl_name(impl));
	s.scan = impl == DENAI_POW_AVX512 ? denai_pow_scan_avx512 :
	    impl == DENAI_POW_AVX2 ? denai_pow_scan_avx2 :
	    denai_pow_scan_scalar;
	n = job->threads > 0 ? job->threads : denai_pow_cpus();
	if (n > MAX_THREADS)
		return denai_err_set(err, DENAI_EUSAGE,
		    "%u threads: at most %u", n, MAX_THREADS);
	if ((tid = calloc(n, sizeof(*tid))) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "pow: out of memory");

	atomic_init(&s.next, 0);
	atomic_init(&s.hashes, 0);
	atomic_init(&s.stop, 0);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s.cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&s.mu, NULL);

	t0 = now();
	pthread_mutex_lock(&s.mu);
	for (; started < n; started++) {
		int e;

		s.running++;
		e = pthread_create(&tid[started], NULL, worker, &s);
		if (e != 0) {
			s.running--;
			denai_err_set(err, DENAI_ENOMEM,
			    "pow: starting thread %u: %s", started + 1,
			    strerror(e));
			break;
		}
	}
	pthread_mutex_unlock(&s.mu);
	if (started == n)
		(void)supervise(&s, t0);
	else
		atomic_store(&s.stop, 1);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);

	res->hashes = atomic_load(&s.hashes);
	res->seconds = now() - t0;
	res->impl = impl;
	res->threads = n;
	if (started < n)
		rc = -1;
	else if (s.found) {
		res->nonce = s.nonce;
		memcpy(res->hash, s.hash, 32);
		rc = 0;
	} else
		rc = 1;
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	free(tid);
	return rc;
}
