/*
 * mine_bench.c - PoW hashes per second of one kernel on some threads.
 *
 *   mine_bench IMPL THREADS SECONDS
 *
 * Mines at the highest difficulty (no solution expected) until the deadline
 * and prints "IMPL THREADS HASHES WALL_SECONDS CPU_SECONDS": the CPU time
 * (user + system, all threads) is what `openssl speed` divides by unless
 * given -elapsed, and what a single-thread figure should use on a machine
 * shared with other work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pow/pow.h"

static double
tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	denai_pow_job job;
	denai_pow_result res;
	denai_err err;
	struct rusage r0, r1;

	if (argc != 4) {
		fprintf(stderr, "usage: mine_bench impl threads seconds\n");
		return 64;
	}
	memset(&job, 0, sizeof(job));
	if (denai_pow_impl_parse(&job.impl, argv[1], &err) == -1) {
		fprintf(stderr, "mine_bench: %s\n", err.msg);
		return 64;
	}
	if (!denai_pow_impl_available(job.impl)) {
		printf("%s unsupported\n", argv[1]);
		return 0;
	}
	job.threads = (unsigned)strtoul(argv[2], NULL, 10);
	job.deadline = strtod(argv[3], NULL);
	for (int i = 0; i < 32; i++)
		job.challenge[i] = (uint8_t)(i * 7 + 1);
	for (int i = 0; i < 20; i++)
		job.miner[i] = (uint8_t)(i * 13 + 5);
	denai_u256_max(&job.difficulty);
	getrusage(RUSAGE_SELF, &r0);
	if (denai_pow_search(&res, &job, &err) == -1) {
		fprintf(stderr, "mine_bench: %s\n", err.msg);
		return 1;
	}
	getrusage(RUSAGE_SELF, &r1);
	printf("%s %u %llu %.3f %.3f\n", denai_pow_impl_name(res.impl),
	    res.threads, (unsigned long long)res.hashes, res.seconds,
	    tv(&r1.ru_utime) - tv(&r0.ru_utime) +
	    tv(&r1.ru_stime) - tv(&r0.ru_stime));
	return 0;
}
