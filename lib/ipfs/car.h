/*
 * car.h - reading CARv1 archives (content-addressed archives, as trustless
 * gateways serve with ?format=car): a varint-framed dag-cbor header, then
 * sections of varint length, binary CID, block bytes.
 *
 * The reader is a caller-owned cursor over a buffer the caller keeps; the
 * blocks it returns point into that buffer. It does not verify blocks:
 * callers check each against its CID (denai_cid_verify).
 */
#ifndef DENAI_CAR_H
#define DENAI_CAR_H

#include <stddef.h>
#include <stdint.h>

#include "ipfs/cid.h"
#include "err.h"

typedef struct denai_car {
	const uint8_t *p;
	size_t len, off;
	const uint8_t *header;	/* the dag-cbor header */
	size_t headerlen;
} denai_car;

/*
 * Starts reading the archive in p (len bytes): reads the header and checks
 * that it says version 1.
 * Returns: 0, or -1 (DENAI_EDATA; DENAI_EUNSUP for another version).
 */
int denai_car_open(denai_car *c, const uint8_t *p, size_t len, denai_err *err)
    DENAI_WUR;

/*
 * Reads the next section: the block's CID (any codec and hash, read with
 * denai_cid_read_any) and its bytes.
 * Returns: 1 with a block, 0 at the end, -1 (DENAI_EDATA) when malformed.
 */
int denai_car_next(denai_car *c, denai_cid *cid, const uint8_t **data,
    size_t *n, denai_err *err) DENAI_WUR;

#endif
