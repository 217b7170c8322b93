/*
 * mine_bench.c - PoW hashes per second of one kernel on some threads.
 *
 *   mine_bench IMPL THREADS SECONDS
 *
 * Mines at the highest difficulty (no solution expected) until the deadline
 * and prints "IMPL THREADS HASHES SECONDS HASHES_PER_SECOND".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pow.h"

int
main(int argc, char **argv)
{
	denai_pow_job job;
	denai_pow_result res;
	denai_err err;

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
	if (denai_pow_search(&res, &job, &err) == -1) {
		fprintf(stderr, "mine_bench: %s\n", err.msg);
		return 1;
	}
	printf("%s %u %llu %.3f %.0f\n", denai_pow_impl_name(res.impl),
	    res.threads, (unsigned long long)res.hashes, res.seconds,
	    (double)res.hashes / res.seconds);
	return 0;
}
