/*
 * fuzz_deployment.c - the node's own small parsers: the deployment file,
 * denai-watch's checkpoint state, and ether amounts. None may crash, leak
 * or accept a state for another deployment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node/deployment.h"
#include "eth/units.h"
#include "node/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_deployment d;
	denai_watch *w;
	denai_u256 v;
	denai_err err;
	json_t *st;
	char *s;

	(void)denai_deployment_parse(&d, (const char *)data, size, &err);

	memset(&d, 0, sizeof(d));
	d.chain_id = 31337;
	d.oracle[0] = 0x5f;
	if ((w = denai_watch_new(NULL, NULL, &d, NULL, &err)) != NULL) {
		if ((st = json_loadb((const char *)data, size, 0, NULL)) != NULL) {
			(void)denai_watch_restore(w, st, &err);
			json_t *back = denai_watch_state(w);
			json_decref(back);
			json_decref(st);
		}
		denai_watch_free(w);
	}

	if ((s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		(void)denai_units_parse(&v, s, &err);
		free(s);
	}
	return 0;
}
