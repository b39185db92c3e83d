// Memory of a training step: every step allocates the same large temporaries (activations, their
// gradients) and frees them at its end. glibc's malloc hands large freed blocks back to the kernel
// (mmap'd blocks are unmapped, the heap's top is trimmed), so the next step faults the same pages in
// again: ≈ 19 % of a toy-en-fr Transformer step's CPU time was the kernel zeroing and mapping pages.
// keep_step_memory() tells malloc to keep what it frees for reuse (the heap stays at the largest step's
// size). Natively with glibc only; elsewhere (wasm's allocator never returns memory) it does nothing.
#pragma once

namespace attnlab {

// Idempotent; the Trainer calls it when it is built.
void keep_step_memory();

}  // namespace attnlab
