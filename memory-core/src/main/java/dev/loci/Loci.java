package dev.loci;

import dev.loci.internal.LociMemory;
import dev.loci.internal.MemoryConfig;
import dev.loci.policy.PromotionPolicy;
import dev.loci.spi.Embedder;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.Tokenizer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: {@code Loci.builder().directory(path).build()} opens (or creates) a memory with working offline
 * defaults, the embedder and long-term store found on the class path ({@code memory-langchain4j} and
 * {@code memory-lucene}).
 */
public final class Loci {
    private Loci() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a memory. Each setter checks its value at once; {@link #build()} checks the combination and fails
     * naming the setting at fault. Not thread-safe; a builder may build several memories (in different directories).
     */
    public static final class Builder {
        /** Default bound of one scope's short-term working set. */
        public static final int DEFAULT_SHORT_TERM_RECORDS = 256;
        /** Default age at which the short-term tier evicts a record (handing it to the promotion policy). */
        public static final Duration DEFAULT_SHORT_TERM_AGE = Duration.ofHours(24);
        /** Default interval of the scheduler's ticks. */
        public static final Duration DEFAULT_TICK = Duration.ofMinutes(1);

        private @Nullable Path directory;
        private @Nullable Embedder embedder;
        private LongTermStore.@Nullable Factory longTermStore;
        private Clock clock = Clock.systemUTC();
        private Durability durability = Durability.sync();
        private int shortTermRecords = DEFAULT_SHORT_TERM_RECORDS;
        private Duration shortTermAge = DEFAULT_SHORT_TERM_AGE;
        private PromotionPolicy promotionPolicy = PromotionPolicy.defaults();
        private Tokenizer tokenizer = Tokenizer.words();
        private RecoveryMode recoveryMode = RecoveryMode.STRICT;
        private @Nullable Duration recencyHalfLife;
        private @Nullable ScheduledExecutorService scheduleExecutor;
        private Duration tickInterval = DEFAULT_TICK;
        private boolean manualTicks;

        private Builder() {
        }

        /** The directory holding the journal and the long-term store; created if missing. Required. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory must not be null");
            return this;
        }

        /** The embedder; by default the first {@link Embedder} the {@link ServiceLoader} finds. */
        public Builder embedder(Embedder embedder) {
            this.embedder = Objects.requireNonNull(embedder, "embedder must not be null");
            return this;
        }

        /** The long-term store; by default the first {@link LongTermStore.Factory} the ServiceLoader finds. */
        public Builder longTermStore(LongTermStore.Factory factory) {
            this.longTermStore = Objects.requireNonNull(factory, "longTermStore must not be null");
            return this;
        }

        /** The clock for every timestamp and every policy decision; {@link Clock#systemUTC()} by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** When writes are acknowledged; {@link Durability#sync()} by default. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability must not be null");
            return this;
        }

        /**
         * Bounds of each scope's short-term working set: at most {@code records} records, each for at most
         * {@code maxAge}; what falls out goes to the promotion policy.
         */
        public Builder shortTerm(int records, Duration maxAge) {
            if (records < 1) {
                throw new IllegalArgumentException("shortTerm records must be at least 1, was " + records);
            }
            Objects.requireNonNull(maxAge, "shortTerm maxAge must not be null");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("shortTerm maxAge must be positive, was " + maxAge);
            }
            this.shortTermRecords = records;
            this.shortTermAge = maxAge;
            return this;
        }

        /** The promotion policy; {@link PromotionPolicy#defaults()} by default. */
        public Builder promotionPolicy(PromotionPolicy policy) {
            this.promotionPolicy = Objects.requireNonNull(policy, "promotionPolicy must not be null");
            return this;
        }

        /**
         * Ranks records that happened recently higher: a read multiplies each fused score by
         * {@code 0.5 + 0.5 * 2^(-age / halfLife)}, age being the time from the record's {@code occurredAt} to now,
         * so an old record loses at most half. Off by default: a conversation memory needs an old fact as much as a
         * new one.
         */
        public Builder recency(Duration halfLife) {
            Objects.requireNonNull(halfLife, "recency half-life must not be null");
            if (halfLife.isNegative() || halfLife.isZero()) {
                throw new IllegalArgumentException("recency half-life must be positive, was " + halfLife);
            }
            this.recencyHalfLife = halfLife;
            return this;
        }

        /** What opening does with a damaged journal; {@link RecoveryMode#STRICT} (fail, change nothing) by default. */
        public Builder recovery(RecoveryMode mode) {
            this.recoveryMode = Objects.requireNonNull(mode, "recovery mode must not be null");
            return this;
        }

        /** How a read's {@linkplain Query#budget(int) budget} is counted; words by default. */
        public Builder tokenizer(Tokenizer tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer must not be null");
            return this;
        }

        /**
         * Ticks the scheduler on the given executor at the given interval. By default a memory ticks every
         * {@link #DEFAULT_TICK} on a daemon thread of its own. The memory does not shut a given executor down.
         */
        public Builder schedule(ScheduledExecutorService executor, Duration interval) {
            this.scheduleExecutor = Objects.requireNonNull(executor, "schedule executor must not be null");
            Objects.requireNonNull(interval, "schedule interval must not be null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("schedule interval must be positive, was " + interval);
            }
            this.tickInterval = interval;
            return this;
        }

        /** No automatic ticks: only {@link MemoryScheduler#tick()} runs the policies (for tests and simulations). */
        public Builder manualTicks() {
            this.manualTicks = true;
            return this;
        }

        /**
         * Opens the memory: replays the journal, checks the store, starts the background threads.
         *
         * @throws IllegalStateException    if a required setting is missing or settings conflict
         * @throws CorruptedMemoryException if the directory holds damaged data
         */
        public Memory build() {
            if (directory == null) {
                throw new IllegalStateException("directory is required: Loci.builder().directory(path)");
            }
            if (manualTicks && scheduleExecutor != null) {
                throw new IllegalStateException("manualTicks() and schedule(...) exclude each other");
            }
            Embedder chosenEmbedder = embedder != null ? embedder : load(Embedder.class, "embedder",
                    "add dev.loci:memory-langchain4j for the offline e5 embedder, or call embedder(...)");
            LongTermStore.Factory chosenStore = longTermStore != null ? longTermStore : load(
                    LongTermStore.Factory.class, "longTermStore",
                    "add dev.loci:memory-lucene for the Lucene store, or call longTermStore(...)");
            return LociMemory.open(new MemoryConfig(directory, chosenEmbedder, chosenStore, clock, durability,
                    recoveryMode, shortTermRecords, shortTermAge, promotionPolicy, tokenizer, recencyHalfLife,
                    manualTicks, scheduleExecutor, tickInterval));
        }

        private static <T> T load(Class<T> type, String setting, String hint) {
            return ServiceLoader.load(type, Loci.class.getClassLoader()).findFirst().orElseThrow(
                    () -> new IllegalStateException("no " + setting + " was set and none is on the class path: "
                            + hint));
        }
    }
}
