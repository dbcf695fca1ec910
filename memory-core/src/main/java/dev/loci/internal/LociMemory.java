package dev.loci.internal;

import dev.loci.Memory;

/** Placeholder: the memory is being built. */
public abstract class LociMemory implements Memory {
    public static Memory open(MemoryConfig config) {
        throw new UnsupportedOperationException("not yet");
    }
}
