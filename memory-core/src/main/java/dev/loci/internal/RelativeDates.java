package dev.loci.internal;

import dev.loci.MemoryRecord;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds relative time phrases ("yesterday", "last week", "3 months ago") in a text and resolves each one to the
 * calendar period it names, counted from a reference day (a turn's {@code occurredAt} date), so that the absolute
 * period can be stored with the text and matched later by a question that names it.
 *
 * <p>English only. Phrases are matched case-insensitively, on word boundaries, with any whitespace between words.
 * Absolute dates ("May 2023", "7 May") are not parsed at all, so "may" the verb is never a date. Stateless and
 * thread-safe: the only state is a precompiled {@link Pattern}.
 *
 * <p>The phrases and the periods they name, for a reference day {@code R}:
 * <ul>
 *   <li>today, tonight, this morning / afternoon / evening: {@code R};
 *       yesterday, last night, a day ago: {@code R - 1};
 *       (the) day before yesterday, a couple (of) days ago: {@code R - 2};
 *       tomorrow: {@code R + 1}; (the) day after tomorrow: {@code R + 2};
 *       a few days ago: {@code R - 4 .. R - 2}.
 *   <li>last / this / next week: the ISO week (Monday to Sunday) before, containing or after {@code R}.
 *   <li>last / this / next weekend: the Saturday and Sunday of the ISO week before, containing or after {@code R}.
 *       So on Monday to Friday "last weekend" is the most recent weekend before {@code R}; on a Saturday or Sunday
 *       "this weekend" is the current one and "last weekend" the one a week earlier.
 *   <li>last / this / next month and year: the whole calendar month or year.
 *   <li>last Monday .. last Sunday: the most recent such day strictly before {@code R};
 *       next Monday .. next Sunday: the first such day strictly after {@code R}
 *       (on a Monday, "last Monday" is a week ago and "next Monday" a week ahead).
 *   <li>N days / weeks / months / years ago, and the same with "from now", N being "a", one .. twelve or 1 .. 999:
 *       the single day, the whole ISO week, the whole calendar month ("a month ago" on 31 March is February)
 *       or the whole year that many units away.
 * </ul>
 *
 * <p>Not covered, on purpose: "in N days" (too often a duration, as in "finished it in two days"), "this Monday"
 * and "on Monday" (ambiguous), "a few weeks ago" and other vague amounts. The match is on the phrase alone, so
 * "over the last year" names the previous calendar year and "this weekend bag" names this weekend.
 */
final class RelativeDates {
    private static final String NUMBERS =
            "[1-9][0-9]{0,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";
    private static final List<String> NUMBER_WORDS = List.of(
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve");

    static final Pattern PHRASE = Pattern.compile("\\b(?:"
            + "(?<twoBack>(?:the\\s+)?day\\s+before\\s+yesterday)"
            + "|(?<twoAhead>(?:the\\s+)?day\\s+after\\s+tomorrow)"
            + "|(?<today>today|tonight|this\\s+(?:morning|afternoon|evening))"
            + "|(?<yesterday>yesterday|last\\s+night)"
            + "|(?<tomorrow>tomorrow)"
            + "|(?<fewDays>a\\s+few\\s+days\\s+ago)"
            + "|(?<coupleDays>a\\s+couple\\s+(?:of\\s+)?days\\s+ago)"
            + "|(?<count>" + NUMBERS + ")\\s+(?<unit>day|week|month|year)s?\\s+(?<direction>ago|from\\s+now)"
            + "|(?<which>last|this|next)\\s+(?<period>weekend|week|month|year)"
            + "|(?<lastOrNext>last|next)\\s+(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            + ")\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /**
     * Every phrase {@link #PHRASE} matches holds one of these, in lower case: a text without any of them is not
     * searched (the pattern tries its every branch at each word of a text; a write of 1 KB spent most of its CPU
     * there).
     */
    static final List<String> ANCHORS = List.of("day", "night", "tomorrow", "ago", "now", "week", "month",
            "year", "morning", "afternoon", "evening");

    /**
     * A relative time phrase found in a text and the calendar period it names, resolved against a reference day.
     *
     * @param phrase the phrase as found, in lower case with single spaces, not blank
     * @param from   the first day of the period
     * @param to     the last day of the period, not before {@code from}
     */
    record Mention(String phrase, LocalDate from, LocalDate to) {
        Mention {
            Objects.requireNonNull(phrase, "phrase must not be null");
            Objects.requireNonNull(from, "from must not be null");
            Objects.requireNonNull(to, "to must not be null");
            if (phrase.isBlank()) {
                throw new IllegalArgumentException("phrase must not be blank");
            }
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        /** The period in words, see {@link RelativeDates#words}. */
        String words() {
            return RelativeDates.words(from, to);
        }
    }

    private RelativeDates() {
    }

    /**
     * The relative time phrases in {@code text}, in order of appearance, each phrase and period only once.
     *
     * @param text      the text, at most {@value MemoryRecord#MAX_TEXT_LENGTH} characters
     * @param reference the day the text speaks from
     * @throws IllegalArgumentException if the text is too long
     */
    static List<Mention> resolve(String text, LocalDate reference) {
        Objects.requireNonNull(text, "text must not be null");
        Objects.requireNonNull(reference, "reference must not be null");
        if (text.length() > MemoryRecord.MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text is " + text.length() + " characters long; the limit is "
                    + MemoryRecord.MAX_TEXT_LENGTH);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        Set<Mention> found = new LinkedHashSet<>();
        Matcher matcher = PHRASE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        // Only around the anchors (a phrase reaches at most four words before one and two after it; a text without
        // one is not searched), unless lower case changed the text's length and its indices no longer match.
        List<int[]> windows = lower.length() == text.length() ? windows(text, lower)
                : List.of(new int[] {0, text.length()});
        for (int[] window : windows) {
            matcher.region(window[0], window[1]);
            while (matcher.find()) {
                found.add(mention(matcher, reference));
            }
        }
        return List.copyOf(found);
    }

    /** The stretches of four words before each anchor to three after it, merged, in order. */
    private static List<int[]> windows(String text, String lower) {
        List<int[]> windows = new ArrayList<>();
        for (String anchor : ANCHORS) {
            for (int at = lower.indexOf(anchor); at >= 0; at = lower.indexOf(anchor, at + 1)) {
                windows.add(new int[] {wordsBefore(text, at, 4), wordsAfter(text, at + anchor.length(), 3)});
            }
        }
        windows.sort(Comparator.comparingInt(window -> window[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] window : windows) {
            int[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && window[0] <= last[1]) {
                last[1] = Math.max(last[1], window[1]);
            } else {
                merged.add(window);
            }
        }
        return merged;
    }

    /** Where the word holding {@code at} starts, moved back over {@code words} more words. */
    private static int wordsBefore(String text, int at, int words) {
        int i = at;
        while (i > 0 && !space(text.charAt(i - 1))) {
            i--;
        }
        for (int n = 0; n < words; n++) {
            while (i > 0 && space(text.charAt(i - 1))) {
                i--;
            }
            while (i > 0 && !space(text.charAt(i - 1))) {
                i--;
            }
        }
        return i;
    }

    /** Where the word ending at or after {@code at} ends, moved on over {@code words} more words. */
    private static int wordsAfter(String text, int at, int words) {
        int i = at;
        while (i < text.length() && !space(text.charAt(i))) {
            i++;
        }
        for (int n = 0; n < words; n++) {
            while (i < text.length() && space(text.charAt(i))) {
                i++;
            }
            while (i < text.length() && !space(text.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    /** What the pattern's {@code \s} matches. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /**
     * A period in words a keyword index can match: "7 May 2023" for one day, "May 2023" for a whole calendar month,
     * "2023" for a whole year, "1 May 2023 to 7 May 2023" for anything else.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}
     */
    static String words(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from must not be null");
        Objects.requireNonNull(to, "to must not be null");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        if (from.equals(to)) {
            return day(from);
        }
        if (from.getDayOfYear() == 1 && to.equals(from.with(TemporalAdjusters.lastDayOfYear()))) {
            return String.valueOf(from.getYear());
        }
        if (from.getDayOfMonth() == 1 && to.equals(from.with(TemporalAdjusters.lastDayOfMonth()))) {
            return name(from.getMonth()) + " " + from.getYear();
        }
        return day(from) + " to " + day(to);
    }

    private static Mention mention(Matcher m, LocalDate r) {
        String phrase = WHITESPACE.matcher(m.group().toLowerCase(Locale.ROOT)).replaceAll(" ");
        if (m.group("twoBack") != null) {
            return on(phrase, r.minusDays(2));
        } else if (m.group("twoAhead") != null) {
            return on(phrase, r.plusDays(2));
        } else if (m.group("today") != null) {
            return on(phrase, r);
        } else if (m.group("yesterday") != null) {
            return on(phrase, r.minusDays(1));
        } else if (m.group("tomorrow") != null) {
            return on(phrase, r.plusDays(1));
        } else if (m.group("fewDays") != null) {
            return new Mention(phrase, r.minusDays(4), r.minusDays(2));
        } else if (m.group("coupleDays") != null) {
            return on(phrase, r.minusDays(2));
        } else if (m.group("count") != null) {
            int sign = m.group("direction").equalsIgnoreCase("ago") ? -1 : 1;
            return shifted(phrase, r, m.group("unit"), sign * count(m.group("count")));
        } else if (m.group("which") != null) {
            int offset = switch (m.group("which").toLowerCase(Locale.ROOT)) {
                case "last" -> -1;
                case "next" -> 1;
                default -> 0;
            };
            if (m.group("period").equalsIgnoreCase("weekend")) {
                LocalDate saturday = r.with(DayOfWeek.SATURDAY).plusWeeks(offset);
                return new Mention(phrase, saturday, saturday.plusDays(1));
            }
            return shifted(phrase, r, m.group("period"), offset);
        } else {
            DayOfWeek day = DayOfWeek.valueOf(m.group("weekday").toUpperCase(Locale.ROOT));
            boolean last = m.group("lastOrNext").equalsIgnoreCase("last");
            return on(phrase, r.with(last ? TemporalAdjusters.previous(day) : TemporalAdjusters.next(day)));
        }
    }

    /** The day, ISO week, calendar month or year {@code amount} units from {@code r}. */
    private static Mention shifted(String phrase, LocalDate r, String unit, int amount) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "day" -> on(phrase, r.plusDays(amount));
            case "week" -> {
                LocalDate monday = r.with(DayOfWeek.MONDAY).plusWeeks(amount);
                yield new Mention(phrase, monday, monday.plusDays(6));
            }
            case "month" -> {
                YearMonth month = YearMonth.from(r).plusMonths(amount);
                yield new Mention(phrase, month.atDay(1), month.atEndOfMonth());
            }
            case "year" -> {
                int year = r.getYear() + amount;
                yield new Mention(phrase, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
            }
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    private static int count(String number) {
        String lower = number.toLowerCase(Locale.ROOT);
        if (lower.equals("a")) {
            return 1;
        }
        int word = NUMBER_WORDS.indexOf(lower);
        return word >= 0 ? word + 1 : Integer.parseInt(lower);
    }

    private static Mention on(String phrase, LocalDate day) {
        return new Mention(phrase, day, day);
    }

    private static String day(LocalDate date) {
        return date.getDayOfMonth() + " " + name(date.getMonth()) + " " + date.getYear();
    }

    private static String name(Month month) {
        return month.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }
}
