#include "attnlab/tensor/recycling_allocator.hpp"

#include <new>
#include <type_traits>

// Under AddressSanitizer a kept block is poisoned while it waits on its list, and a handed-out block
// is addressable only for the bytes asked for (its class's slack stays poisoned): a use after free and
// an overflow past a tensor's end are caught as they were with a block per tensor from the heap.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ATTNLAB_ASAN 1
#endif
#ifdef ATTNLAB_ASAN
#include <sanitizer/asan_interface.h>
#define ATTNLAB_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ATTNLAB_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ATTNLAB_POISON(p, n) ((void)(p), (void)(n))
#define ATTNLAB_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace attnlab {

namespace {

// Size classes: class c holds blocks of 2^(min_shift + c) bytes, 64 B … 16 KiB. Larger tensors (a
// training batch's activations) are allocated at their exact size: rounding them up to a power of two
// made training slower (more fresh pages to fault in), and a decoding step makes none this large.
constexpr std::size_t min_shift = 6, class_count = 9;
constexpr std::size_t largest_class_bytes = std::size_t(1) << (min_shift + class_count - 1);
// Besides the count per class, a bound on all the bytes a thread keeps.
constexpr std::size_t kept_bytes_bound = std::size_t(32) << 20;

std::size_t class_of(std::size_t bytes) {
    std::size_t c = 0;
    while ((std::size_t(64) << c) < bytes) ++c;
    return c;
}
std::size_t class_bytes(std::size_t c) { return std::size_t(64) << c; }

// One thread's free lists: a stack of kept blocks per class. Blocks are kept only while a scope is
// open, and the outermost scope's end gives them all back, so the lists are empty when a thread ends
// (its scopes ended with its stack frames). Hence no destructor: the lists stay readable while static
// tensors are freed at exit, which then go straight to the heap (no scope is open).
struct FreeLists {
    void* blocks[class_count][kept_per_class];
    std::size_t count[class_count] = {};
    std::size_t kept_bytes = 0;
    std::size_t open_scopes = 0;  // RecyclingScopes open: blocks are kept only while there is one
    void release() {
        for (std::size_t c = 0; c < class_count; ++c)
            for (std::size_t i = 0; i < count[c]; ++i) {
                ATTNLAB_UNPOISON(blocks[c][i], class_bytes(c));
                ::operator delete(blocks[c][i]);
            }
        for (std::size_t& n : count) n = 0;
        kept_bytes = 0;
    }
};
static_assert(std::is_trivially_destructible_v<FreeLists>);
thread_local FreeLists t_lists;

}  // namespace

void* recycled_allocate(std::size_t bytes) {
    if (bytes > largest_class_bytes) return ::operator new(bytes);
    const std::size_t c = class_of(bytes);
    FreeLists& f = t_lists;
    void* block;
    if (f.count[c] == 0) {
        block = ::operator new(class_bytes(c));
    } else {
        f.kept_bytes -= class_bytes(c);
        block = f.blocks[c][--f.count[c]];
        ATTNLAB_UNPOISON(block, bytes);
    }
    ATTNLAB_POISON(static_cast<char*>(block) + bytes, class_bytes(c) - bytes);
    return block;
}

void recycled_free(void* block, std::size_t bytes) noexcept {
    if (!block) return;
    if (bytes > largest_class_bytes) return ::operator delete(block);
    const std::size_t c = class_of(bytes);
    FreeLists& f = t_lists;
    if (f.open_scopes == 0 || f.count[c] == kept_per_class || f.kept_bytes + class_bytes(c) > kept_bytes_bound) {
        ATTNLAB_UNPOISON(block, class_bytes(c));
        return ::operator delete(block);
    }
    ATTNLAB_POISON(block, class_bytes(c));
    f.kept_bytes += class_bytes(c);
    f.blocks[c][f.count[c]++] = block;
}

std::size_t recycled_block_bytes(std::size_t bytes) {
    return bytes > largest_class_bytes ? bytes : class_bytes(class_of(bytes));
}

RecycledBlocks recycled_blocks_kept() {
    const FreeLists& f = t_lists;
    RecycledBlocks r;
    for (std::size_t c = 0; c < class_count; ++c) r.blocks += f.count[c];
    r.bytes = f.kept_bytes;
    return r;
}

void release_recycled_blocks() { t_lists.release(); }

RecyclingScope::RecyclingScope() { ++t_lists.open_scopes; }
RecyclingScope::~RecyclingScope() {
    if (--t_lists.open_scopes == 0) t_lists.release();
}

}  // namespace attnlab
