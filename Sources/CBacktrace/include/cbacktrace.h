#ifndef CBACKTRACE_H
#define CBACKTRACE_H

/// Writes the calling thread's stack (up to 24 frames, mangled symbols) to `fd`, without
/// allocating: safe inside an allocation hook once `cbt_print_stack` has run once outside it
/// (the first call loads the unwinder, which allocates).
void cbt_print_stack(int fd);

/// Whether the calling thread's name (prctl PR_GET_NAME, no allocation) starts with `prefix`.
int cbt_thread_name_has_prefix(const char *prefix);

#endif
