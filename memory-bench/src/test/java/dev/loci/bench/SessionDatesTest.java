package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionDatesTest {
    @Test
    void parsesAfternoonAndMorningTimesAsUtc() {
        assertThat(SessionDates.parse("1:56 pm on 8 May, 2023")).isEqualTo(Instant.parse("2023-05-08T13:56:00Z"));
        assertThat(SessionDates.parse("10:37 am on 27 June, 2023")).isEqualTo(Instant.parse("2023-06-27T10:37:00Z"));
        assertThat(SessionDates.parse("12:09 am on 1 January, 2024")).isEqualTo(Instant.parse("2024-01-01T00:09:00Z"));
        assertThat(SessionDates.parse("12:30 PM on 13 September, 2022"))
                .isEqualTo(Instant.parse("2022-09-13T12:30:00Z"));
    }

    @Test
    void otherFormsAreRefusedNamingTheText() {
        assertThatThrownBy(() -> SessionDates.parse("8 May 2023")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"8 May 2023\"");
        assertThatThrownBy(() -> SessionDates.parse("1:56 pm on 31 February, 2023"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
