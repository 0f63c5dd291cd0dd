#ifndef C_MEDIA_SOCKETS_H
#define C_MEDIA_SOCKETS_H

// Linux calls Swift's Glibc module does not export (epoll, eventfd, recvmmsg) behind small
// functions with plain C types, so Swift never touches packed or _GNU_SOURCE-only structs.

#include <stdint.h>
#include <sys/socket.h>

// MARK: monotonic clock

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t cms_monotonic_now_ns(void);

/// Sleeps until CLOCK_MONOTONIC reaches `deadline_ns` (TIMER_ABSTIME, restarted on EINTR).
void cms_sleep_until_ns(uint64_t deadline_ns);

/// Names the calling thread (first 15 bytes) for ps, top and debuggers.
void cms_thread_set_name(const char *name);

/// Moves the calling thread to SCHED_FIFO at `priority`; 0 or an errno (EPERM without CAP_SYS_NICE).
int cms_thread_set_realtime(int priority);

// MARK: epoll + eventfd

/// epoll_create1(EPOLL_CLOEXEC); -errno on failure.
int cms_epoll_create(void);

/// Adds `fd` for EPOLLIN (level-triggered) with `token` as its event data; 0 or -errno.
int cms_epoll_add(int epfd, int fd, uint64_t token);

/// Removes `fd`; 0 or -errno.
int cms_epoll_remove(int epfd, int fd);

/// epoll_wait into parallel arrays (`max` at most 256); count, or -errno.
int cms_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms);

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); -errno on failure.
int cms_eventfd_create(void);

/// Adds one to the eventfd counter (wakes an epoll waiting on it).
void cms_eventfd_signal(int fd);

/// Reads and resets the eventfd counter.
void cms_eventfd_drain(int fd);

// MARK: batched receive

/// Buffers for one recvmmsg call: `count` datagrams of up to `size` bytes each, plus sources.
typedef struct cms_recv_batch cms_recv_batch;

cms_recv_batch *cms_recv_batch_create(unsigned count, unsigned size);
void cms_recv_batch_destroy(cms_recv_batch *batch);

/// recvmmsg(MSG_DONTWAIT) into the batch: number of datagrams read, or -errno (-EAGAIN when empty).
int cms_recv_batch_read(int fd, cms_recv_batch *batch);

/// Bytes of datagram `index` in the buffer (at most the buffer size).
const uint8_t *cms_recv_batch_bytes(const cms_recv_batch *batch, unsigned index);
unsigned cms_recv_batch_length(const cms_recv_batch *batch, unsigned index);

/// 1 when datagram `index` was larger than the buffer and got cut (MSG_TRUNC).
int cms_recv_batch_truncated(const cms_recv_batch *batch, unsigned index);

/// Source address of datagram `index`; its length goes to `length`.
const struct sockaddr *cms_recv_batch_source(const cms_recv_batch *batch, unsigned index, socklen_t *length);

/// Asks the kernel to stamp each datagram `fd` receives with its arrival time (SO_TIMESTAMPNS,
/// CLOCK_REALTIME): a measuring tool's receive times then exclude its own scheduling delays.
int cms_enable_receive_timestamps(int fd);

/// recvmsg(MSG_DONTWAIT) of one datagram with the kernel's arrival time in `arrival_ns`
/// (CLOCK_REALTIME; 0 when the kernel gave none): its length, or -errno (-EAGAIN when empty).
long cms_recv_timestamped(int fd, uint8_t *buffer, unsigned size, uint64_t *arrival_ns);

/// Now, on the clock the kernel's receive timestamps use (CLOCK_REALTIME).
uint64_t cms_realtime_now_ns(void);

#endif
