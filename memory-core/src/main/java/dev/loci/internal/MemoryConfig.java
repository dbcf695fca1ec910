package dev.loci.internal;

import dev.loci.Durability;
import dev.loci.RecoveryMode;
import dev.loci.policy.PromotionPolicy;
import dev.loci.spi.Embedder;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.Tokenizer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/** The settings {@link dev.loci.Loci.Builder} has checked, handed to {@link LociMemory#open}. */
public record MemoryConfig(
        Path directory,
        Embedder embedder,
        LongTermStore.Factory longTermStore,
        Clock clock,
        Durability durability,
        RecoveryMode recoveryMode,
        int shortTermRecords,
        Duration shortTermAge,
        PromotionPolicy promotionPolicy,
        Tokenizer tokenizer,
        @Nullable Duration recencyHalfLife,
        boolean manualTicks,
        @Nullable ScheduledExecutorService scheduleExecutor,
        Duration tickInterval) {
}
