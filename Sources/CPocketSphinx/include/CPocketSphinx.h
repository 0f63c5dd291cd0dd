// pocketsphinx 5prealpha (Debian 12) and the sphinxbase pieces its API exposes: the decoder,
// command-line configuration (built with cmd_ln_parse_r, cmd_ln_init being variadic), the
// error log switch, and JSGF parsing into a finite-state grammar (built here rather than by
// ps_set_jsgf_string, which never frees the JSGF grammar it parses).
#ifndef CPOCKETSPHINX_H
#define CPOCKETSPHINX_H

#include <pocketsphinx.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#endif
