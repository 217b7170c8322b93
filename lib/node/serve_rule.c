/* serve_rule.c - may a request still be served (see serve_rule.h). */
#include "node/serve_rule.h"

int
denai_request_can_serve(uint64_t head, uint64_t expires_at)
{
	return head < expires_at;
}
