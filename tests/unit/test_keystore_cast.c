/* test_keystore_cast.c - V3 keystores both ways with cast, run live: ours
 * (light and standard scrypt) decrypted by cast wallet decrypt-keystore,
 * cast wallet new's decrypted by ours, with a non-ASCII password given to
 * cast through its environment. Skips without cast. Run from the
 * repository root. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include <jansson.h>

#include "../tap.h"
#include "../diff/wallet_run.h"
#include "eth/hex.h"
#include "eth/keystore.h"
#include "eth/secp.h"

#define PW "pässwörd with spaces"

static char dir[] = "/tmp/denai-ks-cast.XXXXXX";

static void
ours_to_cast(const char *cast)
{
	static const struct { uint64_t n; uint32_t p; } params[] = {
		{ 2, 1 }, { 4, 1 }, { 16, 3 }, { 1024, 1 },
		{ DENAI_SCRYPT_LIGHT_N, DENAI_SCRYPT_LIGHT_P },
		{ DENAI_SCRYPT_STANDARD_N, DENAI_SCRYPT_STANDARD_P },
	};
	enum { N = sizeof(params) / sizeof(params[0]) };
	struct cast_job jobs[N];
	char names[N][16], path[256], want[N][67], line[512];
	uint8_t sk[32];
	json_t *ks;
	int bad = 0;

	memset(jobs, 0, sizeof(jobs));
	for (size_t i = 0; i < N; i++) {
		if (denai_secp_seckey_generate(sk, NULL) != 0 ||
		    (ks = denai_keystore_encrypt(sk, PW, strlen(PW),
		    params[i].n, params[i].p, NULL)) == NULL)
			abort();
		denai_hex_encode(want[i], sk, 32);
		snprintf(names[i], sizeof(names[i]), "ours%zu", i);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (json_dump_file(ks, path, JSON_COMPACT) != 0)
			abort();
		json_decref(ks);
		jobs[i].argv[1] = "wallet";
		jobs[i].argv[2] = "decrypt-keystore";
		jobs[i].argv[3] = "-k";
		jobs[i].argv[4] = dir;
		jobs[i].argv[5] = names[i];
	}
	setenv("CAST_UNSAFE_PASSWORD", PW, 1);
	cast_run(jobs, N, cast);
	unsetenv("CAST_UNSAFE_PASSWORD");
	for (size_t i = 0; i < N; i++) {
		snprintf(line, sizeof(line), "%s's private key is: %s",
		    names[i], want[i]);
		if (jobs[i].status != 0 || strcmp(jobs[i].out, line) != 0)
			if (bad++ < 3)
				diag("n=%llu: cast said '%s' (exit %d), want '%s'",
				    (unsigned long long)params[i].n, jobs[i].out,
				    jobs[i].status, line);
	}
	ok(bad == 0, "cast decrypts %d of our keystores (scrypt n 2 to 2^18)",
	    (int)N - bad);
}

static void
cast_to_ours(const char *cast)
{
	enum { N = 4 };
	struct cast_job job, dec[N];
	char sub[300], files[N][300], *p, *q;
	uint8_t sk[32], addr[20], want[20];
	char text[4096], pk[67];
	int n = 0, good = 0, refused = 0, same_key = 0;
	size_t len;
	FILE *f;

	snprintf(sub, sizeof(sub), "%s/cast", dir);
	mkdir(sub, 0700);
	memset(&job, 0, sizeof(job));
	job.argv[1] = "wallet";
	job.argv[2] = "new";
	job.argv[3] = sub;
	job.argv[4] = "-n";
	job.argv[5] = "4";
	setenv("CAST_PASSWORD", PW, 1);
	cast_run(&job, 1, cast);
	unsetenv("CAST_PASSWORD");
	/* "Created new encrypted keystore file: PATH\nAddress: 0x...\n" */
	memset(dec, 0, sizeof(dec));
	for (p = job.out; n < N && (p = strstr(p, "keystore file: ")) != NULL;
	    n++) {
		p += strlen("keystore file: ");
		len = strcspn(p, "\n");
		snprintf(files[n], sizeof(files[n]), "%.*s", (int)len, p);
		if ((q = strstr(p, "Address:")) == NULL)
			break;
		q += strlen("Address:");
		q += strspn(q, " ");
		if (denai_secp_addr_parse(want, q, 42, NULL) != 0)
			break;
		if ((f = fopen(files[n], "r")) == NULL)
			break;
		len = fread(text, 1, sizeof(text), f);
		fclose(f);
		if (denai_keystore_decrypt(sk, text, len, PW, strlen(PW),
		    NULL) == 0 && denai_secp_address(addr, sk, NULL) == 0 &&
		    memcmp(addr, want, 20) == 0)
			good++;
		if (denai_keystore_decrypt(sk, text, len, "wrong", 5,
		    NULL) == -1)
			refused++;
		dec[n].argv[1] = "wallet";
		dec[n].argv[2] = "decrypt-keystore";
		dec[n].argv[3] = "-k";
		dec[n].argv[4] = sub;
		dec[n].argv[5] = strrchr(files[n], '/') + 1;
	}
	ok(n == N && good == N, "we decrypt %d of cast's %d new keystores "
	    "to their addresses", good, n);
	ok(refused == n, "and refuse a wrong password for all of them");
	setenv("CAST_UNSAFE_PASSWORD", PW, 1);
	cast_run(dec, (size_t)n, cast);
	unsetenv("CAST_UNSAFE_PASSWORD");
	for (int i = 0; i < n; i++) {
		if ((f = fopen(files[i], "r")) == NULL)
			continue;
		len = fread(text, 1, sizeof(text), f);
		fclose(f);
		if (denai_keystore_decrypt(sk, text, len, PW, strlen(PW),
		    NULL) != 0)
			continue;
		denai_hex_encode(pk, sk, 32);
		if ((p = strstr(dec[i].out, "private key is: ")) != NULL &&
		    strcmp(p + strlen("private key is: "), pk) == 0)
			same_key++;
	}
	ok(same_key == N, "the same private keys as cast decrypts (%d)",
	    same_key);
}

int
main(void)
{
	const char *cast = cast_path();
	char cmd[300];

	if (cast == NULL)
		skip_all("no cast (set CAST)");
	if (mkdtemp(dir) == NULL)
		abort();
	ours_to_cast(cast);
	cast_to_ours(cast);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
