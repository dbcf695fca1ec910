package dev.loci;

import java.time.Duration;
import java.util.Objects;

/**
 * When a write is acknowledged. {@link #sync()} (the default): once its journal event is fsynced; concurrent
 * writers share one fsync (group commit). {@link #async(Duration)}: at once, with the journal fsynced on the given
 * interval, so a crash may lose the writes of the last interval. Immutable.
 *
 * @param waitForSync true to acknowledge a write only after its fsync
 * @param interval the fsync interval in async mode; zero in sync mode
 */
public record Durability(boolean waitForSync, Duration interval) {
    public Durability {
        Objects.requireNonNull(interval, "durability interval must not be null");
        if (waitForSync && !interval.isZero()) {
            throw new IllegalArgumentException("sync durability has no interval, was " + interval);
        }
        if (!waitForSync && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("async durability needs a positive interval, was " + interval);
        }
    }

    public static Durability sync() {
        return new Durability(true, Duration.ZERO);
    }

    public static Durability async(Duration interval) {
        return new Durability(false, interval);
    }
}
