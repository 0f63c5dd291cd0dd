// libwebsockets for Swift: the padding macros cast, so they do not import; these shims
// give them typed names.
#ifndef CWEBSOCKETS_H
#define CWEBSOCKETS_H

#include <libwebsockets.h>

/// Bytes lws needs free in front of every buffer handed to lws_write.
static inline size_t cws_pre(void) { return LWS_PRE; }

static inline int cws_write_text(struct lws *wsi, unsigned char *payload, size_t len, int final_fragment, int continuation) {
    int flags = lws_write_ws_flags(LWS_WRITE_TEXT, !continuation, final_fragment);
    return lws_write(wsi, payload, len, (enum lws_write_protocol)flags);
}

static inline int cws_write_ping(struct lws *wsi, unsigned char *payload, size_t len) {
    return lws_write(wsi, payload, len, LWS_WRITE_PING);
}

#endif
