#include "cbacktrace.h"

#include <execinfo.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

void cbt_print_stack(int fd) {
    void *frames[24];
    int depth = backtrace(frames, 24);
    backtrace_symbols_fd(frames, depth, fd);
    (void)write(fd, "--\n", 3);
}

int cbt_thread_name_has_prefix(const char *prefix) {
    char name[17] = {0};
    if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0) return 0;
    return strncmp(name, prefix, strlen(prefix)) == 0;
}
