// A C interface, importable by Swift, over webrtc-audio-processing's acoustic echo canceller
// (the library Debian packages as libwebrtc-audio-processing-dev, version 0.3).
#ifndef CWEBRTCECHO_H
#define CWEBRTCECHO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ura_echo_canceller ura_echo_canceller;

/// An echo canceller for mono 16-bit audio at 8000 or 16000 Hz, with the extended filter and
/// delay estimation on (the line's echo delay is not known); NULL for another rate or when the
/// library refuses the configuration.
ura_echo_canceller *ura_echo_create(int sample_rate);
void ura_echo_destroy(ura_echo_canceller *canceller);

/// Samples sent to the line (the far end), a whole number of 10 ms chunks. 0 or a library error.
int ura_echo_far(ura_echo_canceller *canceller, const int16_t *samples, size_t count);

/// Samples received from the line (the near end), a whole number of 10 ms chunks, the echo of
/// the far end removed in place. 0 or a library error.
int ura_echo_near(ura_echo_canceller *canceller, int16_t *samples, size_t count);

#ifdef __cplusplus
}
#endif

#endif
