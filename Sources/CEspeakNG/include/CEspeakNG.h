// espeak-ng's classic speak_lib API: synchronous synthesis delivered through a callback.
#ifndef CESPEAKNG_H
#define CESPEAKNG_H

#include <espeak-ng/speak_lib.h>

#endif
