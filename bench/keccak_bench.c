/*
 * keccak_bench.c - single-stream Keccak-256 of 84-byte inputs (the PoW
 * message size), each hash fed into the next input so none can be skipped.
 * Prints hashes per second of process CPU time, the median of the runs:
 *
 *	keccak_bench [runs [seconds]]      (default 5 runs of 1 second)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eth/keccak.h"

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	double secs = argc > 2 ? atof(argv[2]) : 1.0, rate[64];
	uint8_t in[84], out[32];

	if (runs < 1 || runs > 64 || secs <= 0) {
		fprintf(stderr, "usage: keccak_bench [runs [seconds]]\n");
		return 64;
	}
	for (int i = 0; i < 84; i++)
		in[i] = (uint8_t)i;
	for (int r = 0; r < runs; r++) {
		double t0 = cpu_now(), t;
		unsigned long n = 0;

		do {
			for (int k = 0; k < 1000; k++) {
				denai_keccak256(out, in, sizeof(in));
				memcpy(in, out, 32);
			}
			n += 1000;
		} while ((t = cpu_now() - t0) < secs);
		rate[r] = (double)n / t;
	}
	qsort(rate, (size_t)runs, sizeof(rate[0]), cmp);
	printf("%.0f\n", rate[runs / 2]);
	fprintf(stderr, "# last digest byte %02x\n", out[0]);
	return 0;
}
