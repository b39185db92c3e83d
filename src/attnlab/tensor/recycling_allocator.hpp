// Tensor storage that is recycled instead of going back to the heap: the allocator of every Tensor.
//
// A decoding step (and a training step) makes hundreds of short-lived tensors of the same few sizes:
// every op's result, its temporaries. Each used to be one malloc and one free (14 % of a wasm
// inference profile went to dlmalloc/dlfree). Here a freed block is kept on a thread-local free list
// of its size class (powers of two, 64 bytes to 16 KiB), and the next tensor of that class takes it
// back: after the first step, a step that makes the same tensors as the one before takes every block
// from the lists and calls the heap allocator not at all. What is kept is bounded: at most
// kept_per_class blocks per class; a block past that bound, or larger than the largest class, goes
// straight back to the heap.
// Blocks are kept only while a RecyclingScope is open on the thread; decoding opens one (greedy,
// beam search, greedy_steps in decode/). Outside every scope a freed block goes back to the heap, and
// the end of the outermost scope gives back all that was kept: nothing is held between translations,
// and training does not recycle. The classes stop at 16 KiB, which holds every tensor of a decoding
// step; larger classes made training slower even outside any scope (a batch's tensors rounded up to
// a power of two: docs/speed.md has the measurements).
#pragma once

#include <cstddef>
#include <vector>

namespace attnlab {

// A block of at least `bytes` bytes (aligned like ::operator new), from the free list of its size
// class when one is there, else from ::operator new.
void* recycled_allocate(std::size_t bytes);
// Gives back a block from recycled_allocate(bytes) (the same `bytes`): kept for reuse, or freed.
void recycled_free(void* block, std::size_t bytes) noexcept;

// The bytes of the block recycled_allocate(bytes) hands out: its size class, or bytes itself past
// the largest class.
std::size_t recycled_block_bytes(std::size_t bytes);

// What the calling thread keeps now: blocks on its free lists and their bytes.
struct RecycledBlocks {
    std::size_t blocks = 0, bytes = 0;
};
RecycledBlocks recycled_blocks_kept();
// Gives every block the calling thread keeps back to the heap (tests start from empty lists with it).
void release_recycled_blocks();

constexpr std::size_t kept_per_class = 256;

// While one is open on this thread, freed blocks are kept for reuse; the outermost one's end gives
// every kept block back to the heap. Scopes nest.
struct RecyclingScope {
    RecyclingScope();
    ~RecyclingScope();
    RecyclingScope(const RecyclingScope&) = delete;
    RecyclingScope& operator=(const RecyclingScope&) = delete;
};

// The std::allocator interface over the free lists, for xtensor's storage (uvector).
template <class T>
struct RecyclingAllocator {
    using value_type = T;
    RecyclingAllocator() = default;
    template <class U>
    RecyclingAllocator(const RecyclingAllocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(recycled_allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { recycled_free(p, n * sizeof(T)); }
};
// A std::vector whose buffer comes from the free lists too: for the short lists a step builds (one
// state per layer), which a decoding step then takes from the lists like its tensors.
template <class T>
using RecycledVector = std::vector<T, RecyclingAllocator<T>>;

template <class T, class U>
bool operator==(const RecyclingAllocator<T>&, const RecyclingAllocator<U>&) {
    return true;
}
template <class T, class U>
bool operator!=(const RecyclingAllocator<T>&, const RecyclingAllocator<U>&) {
    return false;
}

}  // namespace attnlab
