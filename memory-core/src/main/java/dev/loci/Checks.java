package dev.loci;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the value types of this package. Stateless. */
final class Checks {
    private Checks() {
    }

    /**
     * Refuses a string holding an unpaired surrogate: it is not valid Unicode, and stores that encode it as UTF-8
     * (Lucene does) turn every such character into U+FFFD, so two different names would become the same one.
     */
    static void validUnicode(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " is not valid Unicode: an unpaired surrogate at index " + i);
            }
        }
    }

    /** Refuses an instant outside {@link MemoryRecord#MIN_INSTANT}..{@link MemoryRecord#MAX_INSTANT}; null passes. */
    static void inRange(String name, @Nullable Instant value) {
        if (value != null && (value.isBefore(MemoryRecord.MIN_INSTANT) || value.isAfter(MemoryRecord.MAX_INSTANT))) {
            throw new IllegalArgumentException(name + " " + value + " is outside the supported range "
                    + MemoryRecord.MIN_INSTANT + " .. " + MemoryRecord.MAX_INSTANT);
        }
    }
}
