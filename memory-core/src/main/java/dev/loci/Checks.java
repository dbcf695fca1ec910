package dev.loci;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Refuses JSON nested deeper than {@link MemoryRecord#MAX_NESTING_DEPTH} arrays and objects; null passes.
     * Iterative, so that even a tree too deep to copy recursively gets the clear error.
     */
    static void nesting(String name, @Nullable JsonNode value) {
        List<JsonNode> level = value == null ? List.of() : List.of(value);
        for (int depth = 1; !level.isEmpty(); depth++) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : level) {
                if (node.isContainerNode()) {
                    if (depth > MemoryRecord.MAX_NESTING_DEPTH) {
                        throw new IllegalArgumentException(name + " is nested deeper than the limit of "
                                + MemoryRecord.MAX_NESTING_DEPTH + " levels");
                    }
                    node.forEach(next::add);
                }
            }
            level = next;
        }
    }
}
