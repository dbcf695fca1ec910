package dev.loci.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered ids: UUIDv7 (RFC 9562) from the memory's clock, with a counter in {@code rand_a} so that ids made
 * in the same millisecond still sort in the order they were made. Thread-safe.
 */
final class Ids {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int counter;

    Ids(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        long millis = Math.max(clock.millis(), lastMillis);
        if (millis == lastMillis && counter < 0xFFF) {
            counter++;
        } else {
            if (millis == lastMillis) {
                millis++; // counter exhausted: borrow the next millisecond, order is kept
            }
            lastMillis = millis;
            counter = random.nextInt(0x800);
        }
        long high = (millis << 16) | 0x7000L | counter;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
