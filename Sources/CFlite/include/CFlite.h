// flite and its two English voices. flite ships no pkg-config file and no header for the
// voices' registration functions, so they are declared here (libflite_cmu_us_*.so export them).
#ifndef CFLITE_H
#define CFLITE_H

#include <flite/flite.h>

/// The clustergen voice "slt" (female, 16 kHz): the clearer one.
cst_voice *register_cmu_us_slt(const char *voxdir);
/// The diphone voice "kal" (male, 8 kHz): cheaper on CPU.
cst_voice *register_cmu_us_kal(const char *voxdir);

#endif
