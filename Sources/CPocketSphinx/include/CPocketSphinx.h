// pocketsphinx 5prealpha (Debian 12) and the sphinxbase pieces its API exposes: the decoder,
// command-line configuration (built with cmd_ln_parse_r, cmd_ln_init being variadic) and the
// error log switch.
#ifndef CPOCKETSPHINX_H
#define CPOCKETSPHINX_H

#include <pocketsphinx.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/err.h>

#endif
