/* multibase.c - multibase prefixes over RFC 4648 bit groups and radix bases. */
#include "ipfs/multibase.h"

#include <string.h>

#include "ipfs/base58.h"

enum kind { BITS, RADIX };

struct base {
	char prefix;
	const char *name;
	enum kind kind;
	unsigned bits;		/* BITS: bits per character */
	int pad;		/* BITS: '=' padding */
	int fold;		/* decoding ignores case */
	const char *alphabet;
};

static const struct base bases[] = {
	{ '0', "base2", BITS, 1, 0, 0, "01" },
	{ '7', "base8", BITS, 3, 0, 0, "01234567" },
	{ '9', "base10", RADIX, 0, 0, 0, "0123456789" },
	{ 'f', "base16", BITS, 4, 0, 1, "0123456789abcdef" },
	{ 'F', "base16upper", BITS, 4, 0, 1, "0123456789ABCDEF" },
	{ 'v', "base32hex", BITS, 5, 0, 1, "0123456789abcdefghijklmnopqrstuv" },
	{ 'V', "base32hexupper", BITS, 5, 0, 1,
	    "0123456789ABCDEFGHIJKLMNOPQRSTUV" },
	{ 't', "base32hexpad", BITS, 5, 1, 1,
	    "0123456789abcdefghijklmnopqrstuv" },
	{ 'T', "base32hexpadupper", BITS, 5, 1, 1,
	    "0123456789ABCDEFGHIJKLMNOPQRSTUV" },
	{ 'b', "base32", BITS, 5, 0, 1, "abcdefghijklmnopqrstuvwxyz234567" },
	{ 'B', "base32upper", BITS, 5, 0, 1,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" },
	{ 'c', "base32pad", BITS, 5, 1, 1, "abcdefghijklmnopqrstuvwxyz234567" },
	{ 'C', "base32padupper", BITS, 5, 1, 1,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" },
	{ 'h', "base32z", BITS, 5, 0, 0, "ybndrfg8ejkmcpqxot1uwisza345h769" },
	{ 'k', "base36", RADIX, 0, 0, 1, "0123456789abcdefghijklmnopqrstuvwxyz" },
	{ 'K', "base36upper", RADIX, 0, 0, 1,
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
	{ 'Z', "base58flickr", RADIX, 0, 0, 0, NULL },
	{ 'z', "base58btc", RADIX, 0, 0, 0, NULL },
	{ 'm', "base64", BITS, 6, 0, 0,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" },
	{ 'M', "base64pad", BITS, 6, 1, 0,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" },
	{ 'u', "base64url", BITS, 6, 0, 0,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" },
	{ 'U', "base64urlpad", BITS, 6, 1, 0,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" },
};

static const struct base *
find(char prefix)
{
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (bases[i].prefix == prefix)
			return &bases[i];
	return NULL;
}

static const char *
alphabet(const struct base *b)
{
	if (b->prefix == 'z')
		return denai_base58_btc;
	if (b->prefix == 'Z')
		return denai_base58_flickr;
	return b->alphabet;
}

const char *
denai_multibase_name(char prefix)
{
	const struct base *b = find(prefix);

	return b != NULL ? b->name : NULL;
}

char
denai_multibase_prefix(const char *name)
{
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (strcmp(bases[i].name, name) == 0)
			return bases[i].prefix;
	return 0;
}

size_t
denai_multibase_encoded_max(size_t n)
{
	return 8 * n + 8 + 2;	/* base2 is the widest */
}

/* Characters per padding group: lcm(bits, 8) / bits. */
static size_t
pad_group(unsigned bits)
{
	return bits == 5 ? 8 : bits == 6 ? 4 : 1;
}

static int
encode_bits(char *out, size_t cap, const struct base *b, const uint8_t *in,
    size_t n, denai_err *err)
{
	size_t nchars = (n * 8 + b->bits - 1) / b->bits, total, i, o = 0;
	unsigned acc = 0, nacc = 0, mask = (1u << b->bits) - 1;

	total = nchars;
	if (b->pad)
		total = (nchars + pad_group(b->bits) - 1) /
		    pad_group(b->bits) * pad_group(b->bits);
	if (total + 1 > cap)
		return denai_err_set(err, DENAI_EUSAGE,
		    "%s: output needs %zu bytes, have %zu", b->name, total + 1,
		    cap);
	for (i = 0; i < n; i++) {
		acc = (acc << 8 | in[i]) & 0xffff;
		nacc += 8;
		while (nacc >= b->bits) {
			nacc -= b->bits;
			out[o++] = b->alphabet[(acc >> nacc) & mask];
		}
	}
	if (nacc > 0)
		out[o++] = b->alphabet[(acc << (b->bits - nacc)) & mask];
	while (o < total)
		out[o++] = '=';
	out[o] = '\0';
	return 0;
}

static int
digit_of(const struct base *b, int c)
{
	const char *a = b->alphabet;

	for (int i = 0; a[i] != '\0'; i++) {
		if (a[i] == c)
			return i;
		if (b->fold && (a[i] ^ 0x20) == c && ((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'z'))
			return i;
	}
	return -1;
}

static int
bad_char(const struct base *b, const char *text, size_t i, denai_err *err)
{
	unsigned char c = (unsigned char)text[i];

	if (c >= 0x20 && c < 0x7f)
		return denai_err_set(err, DENAI_EDATA,
		    "%s: bad character '%c' at position %zu", b->name, c, i + 1);
	return denai_err_set(err, DENAI_EDATA,
	    "%s: bad byte 0x%02x at position %zu", b->name, c, i + 1);
}

static int
decode_bits(uint8_t *out, size_t cap, size_t *outlen, const struct base *b,
    const char *text, size_t len, denai_err *err)
{
	unsigned acc = 0, nacc = 0;
	size_t i, o = 0, end = len;
	int d;

	if (b->pad) {
		while (end > 0 && text[end - 1] == '=')
			end--;
		if (len % pad_group(b->bits) != 0 ||
		    len - end >= pad_group(b->bits))
			return denai_err_set(err, DENAI_EDATA,
			    "%s: bad padding", b->name);
	}
	for (i = 0; i < end; i++) {
		if ((d = digit_of(b, text[i])) < 0)
			return bad_char(b, text, i, err);
		acc = (acc << b->bits | (unsigned)d) & 0xffff;
		nacc += b->bits;
		if (nacc >= 8) {
			nacc -= 8;
			if (o == cap)
				return denai_err_set(err, DENAI_EDATA,
				    "%s: text decodes to over %zu bytes",
				    b->name, cap);
			out[o++] = (uint8_t)(acc >> nacc);
		}
	}
	if (nacc >= b->bits || (acc & ((1u << nacc) - 1)) != 0)
		return denai_err_set(err, DENAI_EDATA,
		    "%s: text of %zu characters is not a whole encoding",
		    b->name, end);
	*outlen = o;
	return 0;
}

int
denai_multibase_encode(char *out, size_t cap, char prefix, const uint8_t *in,
    size_t n, denai_err *err)
{
	const struct base *b = find(prefix);

	if (b == NULL)
		return denai_err_set(err, DENAI_EUNSUP,
		    "multibase prefix '%c' is not supported", prefix);
	if (cap < 2)
		return denai_err_set(err, DENAI_EUSAGE,
		    "multibase: output buffer too small");
	out[0] = prefix;
	if (b->kind == BITS)
		return encode_bits(out + 1, cap - 1, b, in, n, err);
	return denai_base58_encode(out + 1, cap - 1, in, n, alphabet(b), err);
}

int
denai_multibase_decode(uint8_t *out, size_t cap, size_t *outlen, char *prefix,
    const char *text, size_t len, denai_err *err)
{
	char low[2 * DENAI_BASE58_MAX];
	const struct base *b;

	*outlen = 0;
	if (len == 0)
		return denai_err_set(err, DENAI_EDATA, "multibase: empty text");
	if (prefix != NULL)
		*prefix = text[0];
	if ((b = find(text[0])) == NULL) {
		if ((unsigned char)text[0] >= 0x20 &&
		    (unsigned char)text[0] < 0x7f)
			return denai_err_set(err, DENAI_EUNSUP,
			    "multibase prefix '%c' is not supported", text[0]);
		return denai_err_set(err, DENAI_EUNSUP,
		    "multibase prefix byte 0x%02x is not supported",
		    (unsigned char)text[0]);
	}
	text++;
	len--;
	if (b->kind == BITS)
		return decode_bits(out, cap, outlen, b, text, len, err);
	if (b->fold) {
		if (len > sizeof(low))
			return denai_err_set(err, DENAI_EDATA,
			    "%s: text of %zu characters is too long", b->name,
			    len);
		for (size_t i = 0; i < len; i++) {
			int d = digit_of(b, text[i]);

			if (d < 0)
				return bad_char(b, text, i, err);
			low[i] = b->alphabet[d];
		}
		text = low;
	}
	if (denai_base58_decode(out, cap, outlen, text, len, alphabet(b),
	    err) != 0)
		return denai_err_prefix(err, "%s", b->name);
	return 0;
}
