// bench_gemm: single-thread float GEMM, C (M×N) = A (M×K) · B (K×N), all row-major, no transpose.
// Contenders, interleaved shape by shape and round by round (the order rotates each round):
//   every attnlab kernel this CPU runs (gemm_kernels()), `gemm` as the models call it, and OpenBLAS's
//   cblas_sgemm loaded by path (--openblas FILE, with OPENBLAS_NUM_THREADS=1; skipped if absent).
// Time is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a shared machine wall time measures
// the scheduler. Each sample repeats the product for ≈ --sample-ms of CPU; the table shows the
// median GFLOP/s over --rounds samples and the spread (max − min) / median.
// Usage: bench_gemm [--openblas /path/libopenblas.so.0] [--rounds 5] [--sample-ms 40]
#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "attnlab/tensor/gemm.hpp"
#include "gemm_shapes.hpp"

using namespace attnlab;
using attnlab_bench::gemm_shapes;

namespace {

double thread_cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

std::string first_line_with(const char* file, const std::string& key) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key, 0) == 0) return line.substr(line.find(':') + 2);
    return "?";
}

std::string loadavg() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

// OpenBLAS, loaded by path so that the bench never depends on (or changes) the system's BLAS.
struct OpenBlas {
    using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*,
                           int);
    Sgemm sgemm = nullptr;
    std::string core, error;
    explicit OpenBlas(const std::string& path) {
        if (path.empty()) {
            error = "no --openblas given";
            return;
        }
        void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            error = dlerror();
            return;
        }
        sgemm = reinterpret_cast<Sgemm>(dlsym(lib, "cblas_sgemm"));
        auto set_threads = reinterpret_cast<void (*)(int)>(dlsym(lib, "openblas_set_num_threads"));
        auto corename = reinterpret_cast<char* (*)()>(dlsym(lib, "openblas_get_corename"));
        if (!sgemm || !set_threads || !corename) {
            sgemm = nullptr;
            error = "not an OpenBLAS: " + path;
            return;
        }
        set_threads(1);
        core = corename();
    }
};

struct Contender {
    std::string name;
    std::function<void(std::size_t, std::size_t, std::size_t, const float*, const float*, float*)> run;
    double max_flops;  // skip shapes bigger than this (the scalar loop at 1024³ takes seconds)
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
    std::string openblas_path;
    int rounds = 5;
    double sample_ms = 40;
    CLI::App app("bench_gemm: single-thread float GEMM, attnlab's kernels against OpenBLAS", "bench_gemm");
    app.add_option("--openblas", openblas_path, "libopenblas.so.0 to load (skipped if absent)");
    app.add_option("--rounds", rounds, "samples per contender and shape (the median is shown)")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    app.add_option("--sample-ms", sample_ms, "CPU time per sample")->check(CLI::Range(1.0, 1e6))->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    const OpenBlas blas(openblas_path);

    std::vector<Contender> contenders;
    for (const GemmKernel& k : gemm_kernels()) {
        const GemmFn fn = k.run;
        const bool slow = std::string(k.name) == "scalar";
        contenders.push_back(
            {k.name,
             [fn](std::size_t M, std::size_t N, std::size_t K, const float* a, const float* b, float* c) {
                 fn(M, N, K, {a, K, 1}, {b, N, 1}, c, N, false);
             },
             slow ? 3e8 : 1e30});
    }
    contenders.push_back({"gemm",
                          [](std::size_t M, std::size_t N, std::size_t K, const float* a, const float* b, float* c) {
                              gemm(M, N, K, {a, K, 1}, {b, N, 1}, c, N, false);
                          },
                          1e30});
    if (blas.sgemm)
        contenders.push_back(
            {"OpenBLAS",
             [&blas](std::size_t M, std::size_t N, std::size_t K, const float* a, const float* b, float* c) {
                 // CblasRowMajor = 101, CblasNoTrans = 111
                 blas.sgemm(101, 111, 111, int(M), int(N), int(K), 1.0f, a, int(K), b, int(N), 0.0f, c, int(N));
             },
             1e30});

    std::printf("GEMM, native, single thread, GFLOP/s median of %d rounds (spread = (max-min)/median)\n", rounds);
    std::printf("machine: %s, %ld cores; load before: %s\n", first_line_with("/proc/cpuinfo", "model name").c_str(),
                sysconf(_SC_NPROCESSORS_ONLN), loadavg().c_str());
    std::printf("gemm (what the models call) = %s\n", gemm_kernel_name());
    if (blas.sgemm)
        std::printf("OpenBLAS: %s, core %s, 1 thread\n", openblas_path.c_str(), blas.core.c_str());
    else
        std::printf("OpenBLAS: not loaded (%s)\n", blas.error.c_str());

    std::printf("\n%-16s", "MxNxK");
    for (const Contender& c : contenders) std::printf(" %15s", c.name.c_str());
    if (blas.sgemm) std::printf(" %15s", "gemm/OpenBLAS");
    std::printf("\n");

    std::mt19937 rng(1);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (const auto& s : gemm_shapes) {
        std::vector<float> a(s.M * s.K), b(s.K * s.N), c(s.M * s.N);
        for (float& v : a) v = uniform(rng);
        for (float& v : b) v = uniform(rng);
        const double flops = 2.0 * double(s.M) * double(s.N) * double(s.K);
        const std::size_t n = contenders.size();
        std::vector<long> reps(n, 0);
        for (std::size_t i = 0; i < n; ++i) {  // warm up and calibrate
            if (flops > contenders[i].max_flops) continue;
            const double t0 = thread_cpu_seconds();
            contenders[i].run(s.M, s.N, s.K, a.data(), b.data(), c.data());
            const double t = std::max(thread_cpu_seconds() - t0, 1e-7);
            reps[i] = std::max(1L, long(sample_ms * 1e-3 / t));
        }
        std::vector<std::vector<double>> gflops(n);
        for (int r = 0; r < rounds; ++r)
            for (std::size_t j = 0; j < n; ++j) {
                const std::size_t i = (j + std::size_t(r)) % n;  // rotate who goes first
                if (!reps[i]) continue;
                const double t0 = thread_cpu_seconds();
                for (long k = 0; k < reps[i]; ++k) contenders[i].run(s.M, s.N, s.K, a.data(), b.data(), c.data());
                gflops[i].push_back(flops * double(reps[i]) / (thread_cpu_seconds() - t0) * 1e-9);
            }
        char shape[32];
        std::snprintf(shape, sizeof shape, "%zux%zux%zu", s.M, s.N, s.K);
        std::printf("%-16s", shape);
        for (std::size_t i = 0; i < n; ++i) {
            if (gflops[i].empty()) {
                std::printf(" %15s", "-");
                continue;
            }
            const double m = median(gflops[i]);
            const auto [lo, hi] = std::minmax_element(gflops[i].begin(), gflops[i].end());
            char cell[32];
            std::snprintf(cell, sizeof cell, "%.1f (%.0f%%)", m, 100.0 * (*hi - *lo) / m);
            std::printf(" %15s", cell);
        }
        if (blas.sgemm) std::printf(" %14.2fx", median(gflops[n - 2]) / median(gflops[n - 1]));
        std::printf("\n");
    }
    std::printf("load after: %s\n", loadavg().c_str());
}
