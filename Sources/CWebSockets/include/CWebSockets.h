// libwebsockets for Swift. The padding and flag macros cast, so they do not import, and a
// scheduled timer (sul) hands back only its own pointer: these shims give both typed forms.
#ifndef CWEBSOCKETS_H
#define CWEBSOCKETS_H

#include <libwebsockets.h>

/// Bytes lws needs free in front of every buffer handed to lws_write.
static inline size_t cws_pre(void) { return LWS_PRE; }

/// Writes one whole TEXT message (payload must have cws_pre() writable bytes before it).
static inline int cws_write_text(struct lws *wsi, unsigned char *payload, size_t len) {
    return lws_write(wsi, payload, len, LWS_WRITE_TEXT);
}

/// Writes one whole BINARY message (payload must have cws_pre() writable bytes before it).
static inline int cws_write_binary(struct lws *wsi, unsigned char *payload, size_t len) {
    return lws_write(wsi, payload, len, LWS_WRITE_BINARY);
}

static inline int cws_write_ping(struct lws *wsi, unsigned char *payload, size_t len) {
    return lws_write(wsi, payload, len, LWS_WRITE_PING);
}

static inline uint64_t cws_option_ssl_global_init(void) { return LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT; }
static inline int cws_client_use_ssl(void) { return LCCSCF_USE_SSL; }
static inline int cws_log_errors_only(void) { return LLL_ERR; }

/// Drops the connection from the service thread at the next opportunity.
static inline void cws_kill(struct lws *wsi) { lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC); }

/// A scheduled callback that knows its owner: lws hands the callback only the sul pointer, and
/// the sul is the first member, so the callback can find `owner` from it.
typedef struct cws_timer {
    lws_sorted_usec_list_t sul;
    void *owner;
} cws_timer;

typedef void (*cws_timer_fired)(void *owner, cws_timer *timer);

static inline void cws_timer_schedule(struct lws_context *context, cws_timer *timer, sul_cb_t callback, lws_usec_t delay_us) {
    lws_sul_schedule(context, 0, &timer->sul, callback, delay_us);
}

static inline void cws_timer_cancel(cws_timer *timer) { lws_sul_cancel(&timer->sul); }

static inline cws_timer *cws_timer_from_sul(lws_sorted_usec_list_t *sul) { return (cws_timer *)sul; }

#endif
