package dev.loci.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it. Inject it wherever Loci takes a clock
 * ({@code Loci.builder().clock(clock)}), then {@link #advance(Duration) advance} it to make time pass.
 *
 * <p>Time only moves forward through {@link #advance} and {@link #set}: {@code set} to an earlier instant is refused,
 * because a clock that silently runs backwards hides bugs in time-ordered ids and TTLs. A test that wants to
 * simulate a wall clock stepping back (an NTP correction) says so with {@link #rewind(Duration)}.
 *
 * <p>Thread-safe: every method may be called from any thread, and concurrent advances add up. Never blocks. A view
 * made by {@link #withZone(ZoneId)} shares this clock's time: moving one moves both.
 */
public final class FakeClock extends Clock {
    /** Where {@link #FakeClock()} starts: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, in UTC. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    /**
     * A clock at {@code start}, in UTC.
     *
     * @throws NullPointerException if {@code start} is null
     */
    public FakeClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start must not be null")), ZoneOffset.UTC);
    }

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in {@code zone}; it shares this clock's time, so advancing either advances both. */
    @Override
    public FakeClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone must not be null");
        return zone.equals(this.zone) ? this : new FakeClock(now, zone);
    }

    /**
     * Moves the clock forward by {@code amount} (zero is allowed) and returns the new instant.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     * @throws NullPointerException     if {@code amount} is null
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount must not be null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount + "; use rewind()");
        }
        return now.updateAndGet(current -> current.plus(amount));
    }

    /**
     * Moves the clock backwards by {@code amount}, as a wall clock does when it is corrected, and returns the new
     * instant.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     * @throws NullPointerException     if {@code amount} is null
     */
    public Instant rewind(Duration amount) {
        Objects.requireNonNull(amount, "amount must not be null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount + "; use advance()");
        }
        return now.updateAndGet(current -> current.minus(amount));
    }

    /**
     * Moves the clock to {@code instant}, which must not be earlier than the current instant.
     *
     * @throws IllegalArgumentException if {@code instant} is before the clock's current instant
     * @throws NullPointerException     if {@code instant} is null
     */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant must not be null");
        now.updateAndGet(current -> {
            if (instant.isBefore(current)) {
                throw new IllegalArgumentException(
                        "instant " + instant + " is before the clock's current " + current + "; use rewind()");
            }
            return instant;
        });
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + ", " + zone + "]";
    }
}
