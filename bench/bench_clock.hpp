// The CPU clock of the model benchmarks (bench_train, bench_infer), one source for both builds:
// natively this thread's CPU time (CLOCK_THREAD_CPUTIME_ID); in wasm under node the process's CPU time
// (process.cpuUsage(), user + system), which also counts node's helper threads.
#pragma once

#include <fstream>
#include <string>
#include <unistd.h>

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
