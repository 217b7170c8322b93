/* keccak.c - portable Keccak-f[1600] and Keccak-256. */
#include "eth/keccak.h"

#include <string.h>

const uint64_t denai_keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

/*
 * The permutation, two rounds per turn of the loop: the lanes live in 25
 * named variables (A: lane x + 5y is A<row y: b g k m s><column x: a e i o u>),
 * one round takes them to E and the next back to A, with theta, rho, pi,
 * chi and iota written out so the compiler keeps the state in registers.
 * Lanes 1, 2, 8, 12, 17 and 20 are kept complemented inside (the "lane
 * complementing" transform of the Keccak team's implementation notes),
 * which turns most of chi's NOTs into ORs.
 */
void
denai_keccak_f1600(uint64_t a[25])
{
	uint64_t Aba, Abe, Abi, Abo, Abu, Aga, Age, Agi, Ago, Agu, Aka, Ake, Aki,
	    Ako, Aku, Ama, Ame, Ami, Amo, Amu, Asa, Ase, Asi, Aso, Asu;
	uint64_t Eba, Ebe, Ebi, Ebo, Ebu, Ega, Ege, Egi, Ego, Egu, Eka, Eke, Eki,
	    Eko, Eku, Ema, Eme, Emi, Emo, Emu, Esa, Ese, Esi, Eso, Esu;
	uint64_t Ba, Be, Bi, Bo, Bu, Da, De, Di, Do, Du;

	Aba = a[0];
	Abe = ~a[1];
	Abi = ~a[2];
	Abo = a[3];
	Abu = a[4];
	Aga = a[5];
	Age = a[6];
	Agi = a[7];
	Ago = ~a[8];
	Agu = a[9];
	Aka = a[10];
	Ake = a[11];
	Aki = ~a[12];
	Ako = a[13];
	Aku = a[14];
	Ama = a[15];
	Ame = a[16];
	Ami = ~a[17];
	Amo = a[18];
	Amu = a[19];
	Asa = ~a[20];
	Ase = a[21];
	Asi = a[22];
	Aso = a[23];
	Asu = a[24];

	for (int r = 0; r < 24; r += 2) {
		Ba = Aba ^ Aga ^ Aka ^ Ama ^ Asa;
		Be = Abe ^ Age ^ Ake ^ Ame ^ Ase;
		Bi = Abi ^ Agi ^ Aki ^ Ami ^ Asi;
		Bo = Abo ^ Ago ^ Ako ^ Amo ^ Aso;
		Bu = Abu ^ Agu ^ Aku ^ Amu ^ Asu;
		Da = Bu ^ ROL(Be, 1);
		De = Ba ^ ROL(Bi, 1);
		Di = Be ^ ROL(Bo, 1);
		Do = Bi ^ ROL(Bu, 1);
		Du = Bo ^ ROL(Ba, 1);
		Ba = Aba ^ Da;
		Be = ROL(Age ^ De, 44);
		Bi = ROL(Aki ^ Di, 43);
		Bo = ROL(Amo ^ Do, 21);
		Bu = ROL(Asu ^ Du, 14);
		Eba = Ba ^ (Be | Bi) ^ denai_keccak_rc[r];
		Ebe = Be ^ (~Bi | Bo);
		Ebi = Bi ^ (Bo & Bu);
		Ebo = Bo ^ (Bu | Ba);
		Ebu = Bu ^ (Ba & Be);
		Ba = ROL(Abo ^ Do, 28);
		Be = ROL(Agu ^ Du, 20);
		Bi = ROL(Aka ^ Da, 3);
		Bo = ROL(Ame ^ De, 45);
		Bu = ROL(Asi ^ Di, 61);
		Ega = Ba ^ (Be | Bi);
		Ege = Be ^ (Bi & Bo);
		Egi = Bi ^ (Bo | ~Bu);
		Ego = Bo ^ (Bu | Ba);
		Egu = Bu ^ (Ba & Be);
		Ba = ROL(Abe ^ De, 1);
		Be = ROL(Agi ^ Di, 6);
		Bi = ROL(Ako ^ Do, 25);
		Bo = ROL(Amu ^ Du, 8);
		Bu = ROL(Asa ^ Da, 18);
		Eka = Ba ^ (Be | Bi);
		Eke = Be ^ (Bi & Bo);
		Eki = Bi ^ (~Bo & Bu);
		Eko = ~Bo ^ (Bu | Ba);
		Eku = Bu ^ (Ba & Be);
		Ba = ROL(Abu ^ Du, 27);
		Be = ROL(Aga ^ Da, 36);
		Bi = ROL(Ake ^ De, 10);
		Bo = ROL(Ami ^ Di, 15);
		Bu = ROL(Aso ^ Do, 56);
		Ema = Ba ^ (Be & Bi);
		Eme = Be ^ (Bi | Bo);
		Emi = Bi ^ (~Bo | Bu);
		Emo = ~Bo ^ (Bu & Ba);
		Emu = Bu ^ (Ba | Be);
		Ba = ROL(Abi ^ Di, 62);
		Be = ROL(Ago ^ Do, 55);
		Bi = ROL(Aku ^ Du, 39);
		Bo = ROL(Ama ^ Da, 41);
		Bu = ROL(Ase ^ De, 2);
		Esa = Ba ^ (~Be & Bi);
		Ese = ~Be ^ (Bi | Bo);
		Esi = Bi ^ (Bo & Bu);
		Eso = Bo ^ (Bu | Ba);
		Esu = Bu ^ (Ba & Be);

		Ba = Eba ^ Ega ^ Eka ^ Ema ^ Esa;
		Be = Ebe ^ Ege ^ Eke ^ Eme ^ Ese;
		Bi = Ebi ^ Egi ^ Eki ^ Emi ^ Esi;
		Bo = Ebo ^ Ego ^ Eko ^ Emo ^ Eso;
		Bu = Ebu ^ Egu ^ Eku ^ Emu ^ Esu;
		Da = Bu ^ ROL(Be, 1);
		De = Ba ^ ROL(Bi, 1);
		Di = Be ^ ROL(Bo, 1);
		Do = Bi ^ ROL(Bu, 1);
		Du = Bo ^ ROL(Ba, 1);
		Ba = Eba ^ Da;
		Be = ROL(Ege ^ De, 44);
		Bi = ROL(Eki ^ Di, 43);
		Bo = ROL(Emo ^ Do, 21);
		Bu = ROL(Esu ^ Du, 14);
		Aba = Ba ^ (Be | Bi) ^ denai_keccak_rc[r + 1];
		Abe = Be ^ (~Bi | Bo);
		Abi = Bi ^ (Bo & Bu);
		Abo = Bo ^ (Bu | Ba);
		Abu = Bu ^ (Ba & Be);
		Ba = ROL(Ebo ^ Do, 28);
		Be = ROL(Egu ^ Du, 20);
		Bi = ROL(Eka ^ Da, 3);
		Bo = ROL(Eme ^ De, 45);
		Bu = ROL(Esi ^ Di, 61);
		Aga = Ba ^ (Be | Bi);
		Age = Be ^ (Bi & Bo);
		Agi = Bi ^ (Bo | ~Bu);
		Ago = Bo ^ (Bu | Ba);
		Agu = Bu ^ (Ba & Be);
		Ba = ROL(Ebe ^ De, 1);
		Be = ROL(Egi ^ Di, 6);
		Bi = ROL(Eko ^ Do, 25);
		Bo = ROL(Emu ^ Du, 8);
		Bu = ROL(Esa ^ Da, 18);
		Aka = Ba ^ (Be | Bi);
		Ake = Be ^ (Bi & Bo);
		Aki = Bi ^ (~Bo & Bu);
		Ako = ~Bo ^ (Bu | Ba);
		Aku = Bu ^ (Ba & Be);
		Ba = ROL(Ebu ^ Du, 27);
		Be = ROL(Ega ^ Da, 36);
		Bi = ROL(Eke ^ De, 10);
		Bo = ROL(Emi ^ Di, 15);
		Bu = ROL(Eso ^ Do, 56);
		Ama = Ba ^ (Be & Bi);
		Ame = Be ^ (Bi | Bo);
		Ami = Bi ^ (~Bo | Bu);
		Amo = ~Bo ^ (Bu & Ba);
		Amu = Bu ^ (Ba | Be);
		Ba = ROL(Ebi ^ Di, 62);
		Be = ROL(Ego ^ Do, 55);
		Bi = ROL(Eku ^ Du, 39);
		Bo = ROL(Ema ^ Da, 41);
		Bu = ROL(Ese ^ De, 2);
		Asa = Ba ^ (~Be & Bi);
		Ase = ~Be ^ (Bi | Bo);
		Asi = Bi ^ (Bo & Bu);
		Aso = Bo ^ (Bu | Ba);
		Asu = Bu ^ (Ba & Be);
	}
	a[0] = Aba;
	a[1] = ~Abe;
	a[2] = ~Abi;
	a[3] = Abo;
	a[4] = Abu;
	a[5] = Aga;
	a[6] = Age;
	a[7] = Agi;
	a[8] = ~Ago;
	a[9] = Agu;
	a[10] = Aka;
	a[11] = Ake;
	a[12] = ~Aki;
	a[13] = Ako;
	a[14] = Aku;
	a[15] = Ama;
	a[16] = Ame;
	a[17] = ~Ami;
	a[18] = Amo;
	a[19] = Amu;
	a[20] = ~Asa;
	a[21] = Ase;
	a[22] = Asi;
	a[23] = Aso;
	a[24] = Asu;
}

static void
xor_byte(uint64_t st[25], size_t i, uint8_t v)
{
	st[i / 8] ^= (uint64_t)v << (8 * (i % 8));
}

static uint64_t
load64le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void
denai_keccak256_init(denai_keccak_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void
denai_keccak256_update(denai_keccak_ctx *ctx, const void *in, size_t len)
{
	const uint8_t *p = in;

	while (len > 0 && ctx->pos % 8 != 0) {
		xor_byte(ctx->st, ctx->pos++, *p++);
		len--;
		if (ctx->pos == DENAI_KECCAK256_RATE) {
			denai_keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
	}
	while (len >= 8) {
		ctx->st[ctx->pos / 8] ^= load64le(p);
		ctx->pos += 8;
		p += 8;
		len -= 8;
		if (ctx->pos == DENAI_KECCAK256_RATE) {
			denai_keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
	}
	while (len-- > 0)
		xor_byte(ctx->st, ctx->pos++, *p++);
}

void
denai_keccak256_final(denai_keccak_ctx *ctx, uint8_t out[32])
{
	xor_byte(ctx->st, ctx->pos, 0x01);
	xor_byte(ctx->st, DENAI_KECCAK256_RATE - 1, 0x80);
	denai_keccak_f1600(ctx->st);
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(ctx->st[i / 8] >> (8 * (i % 8)));
}

static void
store64le(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * One-shot: whole lanes are loaded straight into a zeroed state, the tail
 * and the padding assembled in one lane, without the streaming
 * bookkeeping (this is the miner's and the benchmark's path).
 */
void
denai_keccak256(uint8_t out[32], const void *in, size_t len)
{
	const uint8_t *p = in;
	uint64_t st[25], last = 0;
	size_t i, n;

	memset(st, 0, sizeof(st));
	while (len >= DENAI_KECCAK256_RATE) {
		for (i = 0; i < DENAI_KECCAK256_RATE / 8; i++)
			st[i] ^= load64le(p + 8 * i);
		denai_keccak_f1600(st);
		p += DENAI_KECCAK256_RATE;
		len -= DENAI_KECCAK256_RATE;
	}
	n = len / 8;
	for (i = 0; i < n; i++)
		st[i] ^= load64le(p + 8 * i);
	for (size_t k = 0; k < len % 8; k++)
		last |= (uint64_t)p[8 * n + k] << (8 * k);
	st[n] ^= last ^ (uint64_t)0x01 << (8 * (len % 8));
	st[DENAI_KECCAK256_RATE / 8 - 1] ^= 0x8000000000000000ULL;
	denai_keccak_f1600(st);
	for (i = 0; i < 4; i++)
		store64le(out + 8 * i, st[i]);
}
