// Tensor storage that is recycled instead of going back to the heap: the allocator of every Tensor.
//
// A decoding step (and a training step) makes hundreds of short-lived tensors of the same few sizes:
// every op's result, its temporaries. Each used to be one malloc and one free (14 % of a wasm
// inference profile went to dlmalloc/dlfree). Here a freed block is kept on a thread-local free list
// of its size class (powers of two, 64 bytes to 4 MiB), and the next tensor of that class takes it
// back: after the first step, a step that makes the same tensors as the one before takes every block
// from the lists and calls the heap allocator not at all. What is kept is bounded: at most
// kept_per_class blocks per class; a block past that bound, or larger than the largest class, goes
// straight back to the heap. The kept blocks are freed when their thread ends.
#pragma once

#include <cstddef>

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
template <class T, class U>
bool operator==(const RecyclingAllocator<T>&, const RecyclingAllocator<U>&) {
    return true;
}
template <class T, class U>
bool operator!=(const RecyclingAllocator<T>&, const RecyclingAllocator<U>&) {
    return false;
}

}  // namespace attnlab
