package dev.loci.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.testkit.ExactLongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Memory#writeAll}: several writes, one journal group, all or nothing. */
class BatchWriteTest {
    private static final Scope ALICE = Scope.user("alice").agent("bot").session("s1");

    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock();
    private Memory memory;

    @BeforeEach
    void open() {
        memory = build();
    }

    private Memory build() {
        return Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(ExactLongTermStore.factory())
                .clock(clock).manualTicks().build();
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private String export() {
        StringWriter out = new StringWriter();
        memory.exportTo(out);
        return out.toString();
    }

    @Test
    void theRecordsAreStoredInOrderAndMessagesFormOneConversation() {
        MemoryRecord before = memory.write(ALICE, "shall we plan the trip to Lisbon?");
        List<MemoryRecord> written = memory.writeAll(ALICE, List.of(
                Write.text("yes, in May, for a week"),
                Write.text("Alice does not eat fish").kind(Kind.FACT),
                Write.text("book the hotel near the river")));

        assertThat(written).extracting(MemoryRecord::text).containsExactly("yes, in May, for a week",
                "Alice does not eat fish", "book the hotel near the river");
        assertThat(written).allSatisfy(r -> assertThat(r.scope()).isEqualTo(ALICE));
        assertThat(written.get(0).context()).isEqualTo(Context.of(List.of(before.id())));
        assertThat(written.get(1).context()).as("a fact is in no conversation").isNull();
        assertThat(written.get(2).context()).as("the batch's first message is before it")
                .isEqualTo(Context.of(List.of(before.id(), written.get(0).id())));
        assertThat(written).extracting(MemoryRecord::id).doesNotHaveDuplicates()
                .isSortedAccordingTo(String::compareTo);
        assertThat(memory.read(ALICE, "hotel river").stream().map(Recall::record).map(MemoryRecord::id))
                .as("read-your-writes, as for one write").contains(written.get(2).id());

        MemoryRecord after = memory.write(ALICE, "and a table for dinner");
        assertThat(after.context()).as("the conversation goes on after the batch")
                .isEqualTo(Context.of(List.of(written.get(0).id(), written.get(2).id())));
    }

    @Test
    void aBatchIsDurableAndHistoryShowsEachRecordWritten() {
        List<MemoryRecord> written = memory.writeAll(ALICE, List.of(Write.text("one"), Write.text("two")));
        String exported = export();
        memory.close();
        memory = build();
        assertThat(export()).isEqualTo(exported).contains("\"one\"").contains("\"two\"");
        for (MemoryRecord record : written) {
            assertThat(memory.history(ALICE, record.id())).singleElement()
                    .satisfies(entry -> assertThat(entry.record()).isEqualTo(record));
        }
    }

    @Test
    void anEmptyBatchWritesNothing() {
        assertThat(memory.writeAll(ALICE, List.of())).isEmpty();
        assertThat(export()).isEmpty();
    }

    @Test
    void anInvalidWriteFailsTheBatchByIndexAndNothingIsWritten() {
        memory.write(ALICE, "the first message");
        String before = export();
        Write wrongDimensions = Write.text("a vector of the wrong size").embedding(new Embedding(
                new TestEmbedder().modelId(), new float[] {1, 0, 0}));
        assertThatThrownBy(() -> memory.writeAll(ALICE, List.of(Write.text("fine"), Write.text("fine too"),
                wrongDimensions)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writes[2] embedding has 3 dimensions");
        assertThat(export()).as("nothing was written").isEqualTo(before);

        List<Write> withNull = Arrays.asList(Write.text("fine"), null);
        assertThatThrownBy(() -> memory.writeAll(ALICE, withNull)).isInstanceOf(NullPointerException.class)
                .hasMessage("writes[1] must not be null");
        assertThat(export()).isEqualTo(before);

        MemoryRecord next = memory.write(ALICE, "the next message");
        assertThat(next.context()).as("no write of a failed batch is in the conversation")
                .isEqualTo(Context.of(List.of(memory.read(ALICE, "first message").getFirst().record().id())));
    }

    @Test
    void tooManyWritesOrNoScopeOrNoListAreRefused() {
        List<Write> tooMany = new ArrayList<>(Collections.nCopies(Memory.MAX_BATCH_WRITES + 1, Write.text("x")));
        assertThatThrownBy(() -> memory.writeAll(ALICE, tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10001 writes").hasMessageContaining("the limit is 10000");
        assertThatThrownBy(() -> memory.writeAll(null, List.of(Write.text("x"))))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> memory.writeAll(ALICE, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("writes");
        assertThat(export()).isEmpty();
    }

    @Test
    void aClosedMemoryRefusesABatch() {
        memory.close();
        assertThatThrownBy(() -> memory.writeAll(ALICE, List.of(Write.text("late"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
