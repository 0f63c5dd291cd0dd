#define _GNU_SOURCE
#include "CMediaSockets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

uint64_t cms_monotonic_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

void cms_sleep_until_ns(uint64_t deadline_ns) {
    struct timespec deadline = {
        .tv_sec = (time_t)(deadline_ns / 1000000000ull),
        .tv_nsec = (long)(deadline_ns % 1000000000ull),
    };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR) {
    }
}

void cms_thread_set_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    pthread_setname_np(pthread_self(), truncated);
}

int cms_thread_set_realtime(int priority) {
    struct sched_param parameters = {.sched_priority = priority};
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters);
}

int cms_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int cms_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = token};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) < 0 ? -errno : 0;
}

int cms_epoll_remove(int epfd, int fd) {
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) < 0 ? -errno : 0;
}

int cms_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event ready[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, ready, max, timeout_ms);
    if (count < 0) return -errno;
    for (int i = 0; i < count; i++) {
        tokens[i] = ready[i].data.u64;
        events[i] = ready[i].events;
    }
    return count;
}

int cms_eventfd_create(void) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

void cms_eventfd_signal(int fd) {
    uint64_t one = 1;
    // A full counter (EAGAIN) already means "wake up", so the result does not matter.
    (void)!write(fd, &one, sizeof one);
}

void cms_eventfd_drain(int fd) {
    uint64_t value;
    (void)!read(fd, &value, sizeof value);
}

struct cms_recv_batch {
    unsigned count;
    unsigned size;
    struct mmsghdr *headers;
    struct iovec *vectors;
    struct sockaddr_storage *sources;
    uint8_t *buffers;
};

cms_recv_batch *cms_recv_batch_create(unsigned count, unsigned size) {
    cms_recv_batch *batch = calloc(1, sizeof *batch);
    if (!batch) return NULL;
    batch->count = count;
    batch->size = size;
    batch->headers = calloc(count, sizeof *batch->headers);
    batch->vectors = calloc(count, sizeof *batch->vectors);
    batch->sources = calloc(count, sizeof *batch->sources);
    batch->buffers = calloc(count, size);
    if (!batch->headers || !batch->vectors || !batch->sources || !batch->buffers) {
        cms_recv_batch_destroy(batch);
        return NULL;
    }
    return batch;
}

void cms_recv_batch_destroy(cms_recv_batch *batch) {
    if (!batch) return;
    free(batch->headers);
    free(batch->vectors);
    free(batch->sources);
    free(batch->buffers);
    free(batch);
}

int cms_recv_batch_read(int fd, cms_recv_batch *batch) {
    for (unsigned i = 0; i < batch->count; i++) {
        batch->vectors[i].iov_base = batch->buffers + (size_t)i * batch->size;
        batch->vectors[i].iov_len = batch->size;
        struct msghdr *header = &batch->headers[i].msg_hdr;
        memset(header, 0, sizeof *header);
        header->msg_name = &batch->sources[i];
        header->msg_namelen = sizeof batch->sources[i];
        header->msg_iov = &batch->vectors[i];
        header->msg_iovlen = 1;
        batch->headers[i].msg_len = 0;
    }
    int count = recvmmsg(fd, batch->headers, batch->count, MSG_DONTWAIT, NULL);
    return count < 0 ? -errno : count;
}

const uint8_t *cms_recv_batch_bytes(const cms_recv_batch *batch, unsigned index) {
    return batch->buffers + (size_t)index * batch->size;
}

unsigned cms_recv_batch_length(const cms_recv_batch *batch, unsigned index) {
    unsigned length = batch->headers[index].msg_len;
    return length > batch->size ? batch->size : length;
}

int cms_recv_batch_truncated(const cms_recv_batch *batch, unsigned index) {
    return (batch->headers[index].msg_hdr.msg_flags & MSG_TRUNC) != 0;
}

const struct sockaddr *cms_recv_batch_source(const cms_recv_batch *batch, unsigned index, socklen_t *length) {
    *length = batch->headers[index].msg_hdr.msg_namelen;
    return (const struct sockaddr *)&batch->sources[index];
}

int cms_enable_receive_timestamps(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0 ? -errno : 0;
}

long cms_recv_timestamped(int fd, uint8_t *buffer, unsigned size, uint64_t *arrival_ns) {
    struct iovec vector = {.iov_base = buffer, .iov_len = size};
    // A union, so the control buffer is aligned for the cmsghdr the kernel writes into it.
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr alignment;
    } control;
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    ssize_t length = recvmsg(fd, &message, MSG_DONTWAIT);
    if (length < 0) return -errno;
    *arrival_ns = 0;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec stamp;
            memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
            *arrival_ns = (uint64_t)stamp.tv_sec * 1000000000ull + (uint64_t)stamp.tv_nsec;
        }
    }
    return (long)length;
}

uint64_t cms_realtime_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}
