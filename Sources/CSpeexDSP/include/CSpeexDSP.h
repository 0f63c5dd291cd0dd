// speexdsp's streaming resampler (the only speexdsp API ura uses: its VAD is an energy
// detector, the WebRTC VAD is used instead).
#ifndef CSPEEXDSP_H
#define CSPEEXDSP_H

#include <speex/speex_resampler.h>

#endif
