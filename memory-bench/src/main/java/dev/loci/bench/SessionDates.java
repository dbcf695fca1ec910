package dev.loci.bench;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/** Parses LoCoMo session dates such as {@code "1:56 pm on 8 May, 2023"} (read as UTC). Stateless. */
final class SessionDates {
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, uuuu")
            .toFormatter(Locale.ENGLISH)
            .withResolverStyle(ResolverStyle.STRICT);

    private SessionDates() {
    }

    /**
     * @throws IllegalArgumentException if the text is not of the form {@code "h:mm am|pm on d Month, yyyy"}
     */
    static Instant parse(String text) {
        try {
            return LocalDateTime.parse(text.strip(), FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("session date \"" + text
                    + "\" is not of the form \"1:56 pm on 8 May, 2023\"", e);
        }
    }
}
