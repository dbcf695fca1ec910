package dev.loci.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Context;
import dev.loci.Kind;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationsTest {
    private static final Scope S1 = Scope.user("ann").session("s1");
    private static final Scope S2 = Scope.user("ann").session("s2");

    private final Conversations conversations = new Conversations();

    @Test
    void aMessageNamesTheLastTwoBeforeItInItsOwnScope() {
        assertThat(conversations.next(S1, "a")).isNull();
        assertThat(conversations.next(S1, "b")).isEqualTo(Context.of(List.of("a")));
        assertThat(conversations.next(S2, "x")).isNull();
        assertThat(conversations.next(S1, "c")).isEqualTo(Context.of(List.of("a", "b")));
        assertThat(conversations.next(S1, "d")).isEqualTo(Context.of(List.of("b", "c")));
    }

    @Test
    void replayedMessagesContinueTheConversationAndOtherKindsDoNot() {
        conversations.remember(record("a", Kind.MESSAGE));
        conversations.remember(record("f", Kind.FACT));
        assertThat(conversations.next(S1, "b")).isEqualTo(Context.of(List.of("a")));
    }

    @Test
    void purgedMessagesLeaveTheConversation() {
        conversations.next(S1, "a");
        conversations.next(S1, "b");
        conversations.forget(List.of("b"));
        assertThat(conversations.next(S1, "c")).isEqualTo(Context.of(List.of("a")));
        conversations.forget(List.of("a", "c"));
        assertThat(conversations.next(S1, "d")).isNull();
    }

    private static MemoryRecord record(String id, Kind kind) {
        return MemoryRecord.builder(id, S1, "text of " + id, Instant.EPOCH).kind(kind).build();
    }
}
