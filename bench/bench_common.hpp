// What the model benchmarks (bench_train, bench_infer) share, one source for both builds. The CPU clock:
// natively this thread's CPU time (CLOCK_THREAD_CPUTIME_ID); in wasm under node the process's CPU time
// (process.cpuUsage(), user + system), which also counts node's helper threads.
#pragma once

#include <cstdio>
#include <exception>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
EM_JS(double, node_cpu_microseconds, (), {
    const u = process.cpuUsage();
    return u.user + u.system;
});
inline double cpu_seconds() { return node_cpu_microseconds() * 1e-6; }
inline const char* cpu_clock_name() { return "process.cpuUsage() under node"; }
#else
#include <ctime>
inline double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}
inline const char* cpu_clock_name() { return "CLOCK_THREAD_CPUTIME_ID"; }
#endif

#ifdef __EMSCRIPTEN__
inline const char* build_name() { return "wasm"; }
#else
inline const char* build_name() { return "native"; }
#endif

// main(): runs `run`, turning any error into one line on stderr and exit status 1.
inline int main_with_errors(const char* name, int (*run)(int, char**), int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 1;
    }
}
