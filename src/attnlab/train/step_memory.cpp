#include "attnlab/train/step_memory.hpp"

#include <cstdlib>  // defines __GLIBC__ with glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace attnlab {

void keep_step_memory() {
#if defined(__GLIBC__)
    static const bool kept = [] {
        // Blocks up to 32 MiB (glibc's largest setting) come from the heap, not mmap, and the heap is
        // not trimmed below 1 GiB of free top: freed step temporaries stay mapped for the next step.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        return true;
    }();
    (void)kept;
#endif
}

}  // namespace attnlab
