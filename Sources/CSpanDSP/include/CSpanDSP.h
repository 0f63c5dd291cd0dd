// The parts of spandsp 0.0.6 (Debian libspandsp-dev) that ura uses: G.711 reference conversions
// (for tests), G.722 and packet-loss concealment.
//
// The umbrella <spandsp.h> drags in libtiff and the fax stack, so only the needed headers are
// included, after the C headers they assume.
#ifndef CSPANDSP_H
#define CSPANDSP_H

#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include <spandsp/g722.h>
#include <spandsp/plc.h>

// g711.h's converters are `static __inline__` with inline assembly; these shims give Swift
// plain functions with fixed-width argument types.

static inline uint8_t cspandsp_linear_to_ulaw(int16_t linear) { return linear_to_ulaw(linear); }
static inline int16_t cspandsp_ulaw_to_linear(uint8_t ulaw) { return ulaw_to_linear(ulaw); }
static inline uint8_t cspandsp_linear_to_alaw(int16_t linear) { return linear_to_alaw(linear); }
static inline int16_t cspandsp_alaw_to_linear(uint8_t alaw) { return alaw_to_linear(alaw); }

#endif
