// The WebRTC voice activity detector inside Debian's libwebrtc-audio-processing (0.3). The
// library exports these C functions but installs no header for them, so they are declared here
// with the signatures of webrtc/common_audio/vad/include/webrtc_vad.h of that release
// (checked against the library's code: WebRtcVad_Create takes no argument and returns the handle).
#ifndef CWEBRTCVAD_H
#define CWEBRTCVAD_H

#include <stddef.h>
#include <stdint.h>

typedef struct WebRtcVadInst VadInst;

VadInst *WebRtcVad_Create(void);
void WebRtcVad_Free(VadInst *handle);
int WebRtcVad_Init(VadInst *handle);
/// Aggressiveness 0 (least) to 3 (most likely to call a frame non-speech).
int WebRtcVad_set_mode(VadInst *handle, int mode);
/// 1 speech, 0 non-speech, -1 error. Rates 8000/16000/32000/48000 Hz; 10, 20 or 30 ms frames.
int WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame, size_t frame_length);
int WebRtcVad_ValidRateAndFrameLength(int rate, size_t frame_length);

#endif
