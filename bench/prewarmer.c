/*
 * Benchmark stand-in for `gvisor-bin/gvisor-sentry-prewarmer`, the sidecar gVisor releases ship
 * next to runsc (gVisor's is C and not part of its Go branch, so the Go-built runsc used here
 * has none). Same contract as runsc uses it (runsc/sandbox/sandbox.go): runsc starts
 * `gvisor-sentry-prewarmer <binary> <argv0> <args...>`; the single-threaded prewarmer grows its
 * host FD table so that FD 255 fits (the sentry moves its stdio to FDs 253-255), then execs the
 * sentry, which keeps the table: the multi-threaded Go sentry then never waits for the kernel's
 * RCU grace period that growing an FD table costs a multi-threaded process.
 *
 * Built by bench/gvisorPods.ts: cc -O2 -static -o gvisor-sentry-prewarmer prewarmer.c
 */
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp) {
    if (argc < 3) return 1;
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 255);
    if (fd < 0) {
        int base = open("/", O_RDONLY | O_CLOEXEC);
        if (base >= 0) {
            fd = fcntl(base, F_DUPFD_CLOEXEC, 255);
            close(base);
        }
    }
    if (fd >= 0) close(fd);
    execve(argv[1], argv + 2, envp);
    return 127;
}
