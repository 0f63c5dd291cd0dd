// The library is C++ only; this file is the whole of ura's C++.
#include "CWebRTCEcho.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>

struct ura_echo_canceller {
    webrtc::AudioProcessing *processing;
    int rate;
    size_t chunk;
    webrtc::AudioFrame frame;
};

extern "C" ura_echo_canceller *ura_echo_create(int sample_rate) {
    if (sample_rate != 8000 && sample_rate != 16000) return nullptr;
    webrtc::Config config;
    // Telephone echo paths are long and their delay unknown: the extended filter covers the
    // tail, the delay estimator finds where it starts.
    config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
    config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
    auto *canceller = new ura_echo_canceller();
    canceller->processing = webrtc::AudioProcessing::Create(config);
    canceller->rate = sample_rate;
    canceller->chunk = size_t(sample_rate / 100);
    webrtc::EchoCancellation *echo = canceller->processing->echo_cancellation();
    // The lowest suppression attenuates a caller talking over the bot least (barge-in).
    int error = echo->set_suppression_level(webrtc::EchoCancellation::kLowSuppression);
    error |= echo->enable_drift_compensation(false);
    error |= echo->Enable(true);
    // Fixes the rate before the first far-end chunk, which the library otherwise refuses at 8 kHz.
    error |= canceller->processing->Initialize(
        sample_rate, sample_rate, sample_rate, webrtc::AudioProcessing::kMono, webrtc::AudioProcessing::kMono,
        webrtc::AudioProcessing::kMono);
    if (error != 0) {
        ura_echo_destroy(canceller);
        return nullptr;
    }
    return canceller;
}

extern "C" void ura_echo_destroy(ura_echo_canceller *canceller) {
    if (canceller == nullptr) return;
    delete canceller->processing;
    delete canceller;
}

extern "C" int ura_echo_far(ura_echo_canceller *canceller, const int16_t *samples, size_t count) {
    if (count % canceller->chunk != 0) return webrtc::AudioProcessing::kBadDataLengthError;
    for (size_t offset = 0; offset < count; offset += canceller->chunk) {
        canceller->frame.UpdateFrame(0, 0, samples + offset, canceller->chunk, canceller->rate,
                                     webrtc::AudioFrame::kNormalSpeech, webrtc::AudioFrame::kVadUnknown, 1);
        int result = canceller->processing->ProcessReverseStream(&canceller->frame);
        if (result != 0) return result;
    }
    return 0;
}

extern "C" int ura_echo_near(ura_echo_canceller *canceller, int16_t *samples, size_t count) {
    if (count % canceller->chunk != 0) return webrtc::AudioProcessing::kBadDataLengthError;
    for (size_t offset = 0; offset < count; offset += canceller->chunk) {
        // The far end is fed as it plays, so the delay left is the line's, which the estimator finds.
        canceller->processing->set_stream_delay_ms(0);
        canceller->frame.UpdateFrame(0, 0, samples + offset, canceller->chunk, canceller->rate,
                                     webrtc::AudioFrame::kNormalSpeech, webrtc::AudioFrame::kVadUnknown, 1);
        int result = canceller->processing->ProcessStream(&canceller->frame);
        if (result != 0) return result;
        for (size_t index = 0; index < canceller->chunk; index++) samples[offset + index] = canceller->frame.data_[index];
    }
    return 0;
}
