package dev.loci.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.MemoryRecord;
import dev.loci.internal.RelativeDates.Mention;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelativeDatesTest {
    private static final LocalDate MONDAY = LocalDate.parse("2023-05-08");

    private static Mention m(String phrase, String from, String to) {
        return new Mention(phrase, LocalDate.parse(from), LocalDate.parse(to));
    }

    @ParameterizedTest(name = "{1} on {0} -> {2}..{3}")
    @CsvSource(delimiter = '|', textBlock = """
            # Monday 8 May 2023
            2023-05-08 | today                    | 2023-05-08 | 2023-05-08
            2023-05-08 | tonight                  | 2023-05-08 | 2023-05-08
            2023-05-08 | this morning             | 2023-05-08 | 2023-05-08
            2023-05-08 | this afternoon           | 2023-05-08 | 2023-05-08
            2023-05-08 | this evening             | 2023-05-08 | 2023-05-08
            2023-05-08 | yesterday                | 2023-05-07 | 2023-05-07
            2023-05-08 | last night               | 2023-05-07 | 2023-05-07
            2023-05-08 | the day before yesterday | 2023-05-06 | 2023-05-06
            2023-05-08 | day before yesterday     | 2023-05-06 | 2023-05-06
            2023-05-08 | tomorrow                 | 2023-05-09 | 2023-05-09
            2023-05-08 | the day after tomorrow   | 2023-05-10 | 2023-05-10
            2023-05-08 | last week                | 2023-05-01 | 2023-05-07
            2023-05-08 | this week                | 2023-05-08 | 2023-05-14
            2023-05-08 | next week                | 2023-05-15 | 2023-05-21
            2023-05-08 | last weekend             | 2023-05-06 | 2023-05-07
            2023-05-08 | this weekend             | 2023-05-13 | 2023-05-14
            2023-05-08 | next weekend             | 2023-05-20 | 2023-05-21
            2023-05-08 | last month               | 2023-04-01 | 2023-04-30
            2023-05-08 | this month               | 2023-05-01 | 2023-05-31
            2023-05-08 | next month               | 2023-06-01 | 2023-06-30
            2023-05-08 | last year                | 2022-01-01 | 2022-12-31
            2023-05-08 | this year                | 2023-01-01 | 2023-12-31
            2023-05-08 | next year                | 2024-01-01 | 2024-12-31
            2023-05-08 | last monday              | 2023-05-01 | 2023-05-01
            2023-05-08 | next monday              | 2023-05-15 | 2023-05-15
            2023-05-08 | last sunday              | 2023-05-07 | 2023-05-07
            2023-05-08 | next sunday              | 2023-05-14 | 2023-05-14
            2023-05-08 | last friday              | 2023-05-05 | 2023-05-05
            2023-05-08 | next tuesday             | 2023-05-09 | 2023-05-09
            2023-05-08 | a day ago                | 2023-05-07 | 2023-05-07
            2023-05-08 | one day ago              | 2023-05-07 | 2023-05-07
            2023-05-08 | 3 days ago               | 2023-05-05 | 2023-05-05
            2023-05-08 | a few days ago           | 2023-05-04 | 2023-05-06
            2023-05-08 | a couple of days ago     | 2023-05-06 | 2023-05-06
            2023-05-08 | a couple days ago        | 2023-05-06 | 2023-05-06
            2023-05-08 | a week ago               | 2023-05-01 | 2023-05-07
            2023-05-08 | 2 weeks ago              | 2023-04-24 | 2023-04-30
            2023-05-08 | three months ago         | 2023-02-01 | 2023-02-28
            2023-05-08 | twelve months ago        | 2022-05-01 | 2022-05-31
            2023-05-08 | a year ago               | 2022-01-01 | 2022-12-31
            2023-05-08 | 10 years ago             | 2013-01-01 | 2013-12-31
            2023-05-08 | 2 days from now          | 2023-05-10 | 2023-05-10
            2023-05-08 | three weeks from now     | 2023-05-29 | 2023-06-04
            2023-05-08 | a month from now         | 2023-06-01 | 2023-06-30
            # Saturday 13 May 2023: the current weekend is "this weekend"
            2023-05-13 | this weekend             | 2023-05-13 | 2023-05-14
            2023-05-13 | last weekend             | 2023-05-06 | 2023-05-07
            2023-05-13 | last saturday            | 2023-05-06 | 2023-05-06
            # Sunday 14 May 2023: the last day of its ISO week
            2023-05-14 | yesterday                | 2023-05-13 | 2023-05-13
            2023-05-14 | last week                | 2023-05-01 | 2023-05-07
            2023-05-14 | this week                | 2023-05-08 | 2023-05-14
            2023-05-14 | next week                | 2023-05-15 | 2023-05-21
            2023-05-14 | this weekend             | 2023-05-13 | 2023-05-14
            2023-05-14 | last weekend             | 2023-05-06 | 2023-05-07
            2023-05-14 | next weekend             | 2023-05-20 | 2023-05-21
            2023-05-14 | last sunday              | 2023-05-07 | 2023-05-07
            2023-05-14 | next sunday              | 2023-05-21 | 2023-05-21
            2023-05-14 | last saturday            | 2023-05-13 | 2023-05-13
            2023-05-14 | next monday              | 2023-05-15 | 2023-05-15
            2023-05-14 | a week ago               | 2023-05-01 | 2023-05-07
            # Sunday 31 March 2024: month ends and a leap February
            2024-03-31 | a month ago              | 2024-02-01 | 2024-02-29
            2024-03-31 | last month               | 2024-02-01 | 2024-02-29
            2024-03-31 | next month               | 2024-04-01 | 2024-04-30
            2024-03-31 | a month from now         | 2024-04-01 | 2024-04-30
            2024-03-31 | 13 months ago            | 2023-02-01 | 2023-02-28
            2024-03-31 | tomorrow                 | 2024-04-01 | 2024-04-01
            2024-03-31 | this week                | 2024-03-25 | 2024-03-31
            2024-03-31 | next week                | 2024-04-01 | 2024-04-07
            2024-03-31 | 2 weeks ago              | 2024-03-11 | 2024-03-17
            # Sunday 1 January 2023: everything behind is in 2022
            2023-01-01 | yesterday                | 2022-12-31 | 2022-12-31
            2023-01-01 | this week                | 2022-12-26 | 2023-01-01
            2023-01-01 | last week                | 2022-12-19 | 2022-12-25
            2023-01-01 | last month               | 2022-12-01 | 2022-12-31
            2023-01-01 | this month               | 2023-01-01 | 2023-01-31
            2023-01-01 | last year                | 2022-01-01 | 2022-12-31
            2023-01-01 | a few days ago           | 2022-12-28 | 2022-12-30
            2023-01-01 | last monday              | 2022-12-26 | 2022-12-26
            2023-01-01 | this weekend             | 2022-12-31 | 2023-01-01
            # Thursday 29 February 2024
            2024-02-29 | tomorrow                 | 2024-03-01 | 2024-03-01
            2024-02-29 | the day after tomorrow   | 2024-03-02 | 2024-03-02
            2024-02-29 | 4 days ago               | 2024-02-25 | 2024-02-25
            2024-02-29 | a month ago              | 2024-01-01 | 2024-01-31
            2024-02-29 | next month               | 2024-03-01 | 2024-03-31
            2024-02-29 | a year ago               | 2023-01-01 | 2023-12-31
            2024-02-29 | this week                | 2024-02-26 | 2024-03-03
            2024-02-29 | last weekend             | 2024-02-24 | 2024-02-25
            2024-02-29 | this weekend             | 2024-03-02 | 2024-03-03
            2024-02-29 | next weekend             | 2024-03-09 | 2024-03-10
            2024-02-29 | last thursday            | 2024-02-22 | 2024-02-22
            2024-02-29 | next thursday            | 2024-03-07 | 2024-03-07
            # Friday 1 March 2024
            2024-03-01 | yesterday                | 2024-02-29 | 2024-02-29
            2024-03-01 | a day ago                | 2024-02-29 | 2024-02-29
            """)
    void resolvesEachPhrase(LocalDate reference, String phrase, LocalDate from, LocalDate to) {
        assertThat(RelativeDates.resolve("We spoke about it " + phrase + ", I think.", reference))
                .containsExactly(new Mention(phrase, from, to));
    }

    @Test
    void findsSeveralPhrasesInOrderOnceEach() {
        String text = "Yesterday I met Ann; last week we argued, and next Monday we meet again. "
                + "Yesterday was fun, and so was LAST WEEK.";
        assertThat(RelativeDates.resolve(text, MONDAY)).containsExactly(
                m("yesterday", "2023-05-07", "2023-05-07"),
                m("last week", "2023-05-01", "2023-05-07"),
                m("next monday", "2023-05-15", "2023-05-15"));
    }

    @Test
    void keepsDifferentPhrasesForTheSamePeriod() {
        assertThat(RelativeDates.resolve("last week, or a week ago", MONDAY)).containsExactly(
                m("last week", "2023-05-01", "2023-05-07"),
                m("a week ago", "2023-05-01", "2023-05-07"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"last week", "Last Week", "LAST WEEK", "lAsT wEeK", "last\n  week", "last\tweek"})
    void ignoresCaseAndSpacingAndNormalisesThePhrase(String phrase) {
        assertThat(RelativeDates.resolve("It was " + phrase + ".", MONDAY))
                .containsExactly(m("last week", "2023-05-01", "2023-05-07"));
    }

    @Test
    void theLongestPhraseWins() {
        assertThat(RelativeDates.resolve("The day before yesterday.", MONDAY))
                .containsExactly(m("the day before yesterday", "2023-05-06", "2023-05-06"));
        assertThat(RelativeDates.resolve("the day after tomorrow", MONDAY))
                .containsExactly(m("the day after tomorrow", "2023-05-10", "2023-05-10"));
        assertThat(RelativeDates.resolve("last weekend", MONDAY))
                .containsExactly(m("last weekend", "2023-05-06", "2023-05-07"));
    }

    @Test
    void possessivesAndPunctuationEndAPhrase() {
        assertThat(RelativeDates.resolve("last week's meeting, today's news (tomorrow)", MONDAY)).containsExactly(
                m("last week", "2023-05-01", "2023-05-07"),
                m("today", "2023-05-08", "2023-05-08"),
                m("tomorrow", "2023-05-09", "2023-05-09"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I may go to the park.",
            "May 2023 was busy, and so was 7 May.",
            "last time we met",
            "the next step is to call her",
            "this is my weekend bag",
            "I finished it in two days.",
            "It took a few weeks ago-ish, hard to say.",
            "yesterdays todayish Tomorrowland weekdays nowadays",
            "the last monthly report and next yearly review",
            "on Monday, this Monday",
            "1234 days ago",
            "0 days ago",
            "thirteen days ago",
            "days ago",
            ""})
    void ignoresOrdinarySentences(String text) {
        assertThat(RelativeDates.resolve(text, MONDAY)).isEmpty();
    }

    @Test
    void matchesThePhraseAloneWhateverFollows() {
        // Documented limitation: no parsing beyond the phrase, so "this weekend bag" names this weekend.
        assertThat(RelativeDates.resolve("this weekend bag", MONDAY))
                .containsExactly(m("this weekend", "2023-05-13", "2023-05-14"));
    }

    @Test
    void rejectsNullArgumentsAndTooLongText() {
        assertThatThrownBy(() -> RelativeDates.resolve(null, MONDAY))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> RelativeDates.resolve("today", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("reference");
        assertThatThrownBy(() -> RelativeDates.resolve("x".repeat(MemoryRecord.MAX_TEXT_LENGTH + 1), MONDAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 32768");
    }

    @Test
    void handlesTextOfTheMaximumLength() {
        String filler = "last last this next a ".repeat(MemoryRecord.MAX_TEXT_LENGTH);
        String text = filler.substring(0, MemoryRecord.MAX_TEXT_LENGTH - " yesterday".length()) + " yesterday";
        assertThat(text).hasSize(MemoryRecord.MAX_TEXT_LENGTH);
        assertThat(RelativeDates.resolve(text, MONDAY)).containsExactly(m("yesterday", "2023-05-07", "2023-05-07"));
    }

    @Test
    void theResultIsImmutable() {
        List<Mention> mentions = RelativeDates.resolve("today", MONDAY);
        assertThatThrownBy(() -> mentions.add(m("x", "2023-05-08", "2023-05-08")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMentionIsValidated() {
        LocalDate day = MONDAY;
        assertThatThrownBy(() -> new Mention(" ", day, day)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mention("today", day, day.minusDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> new Mention(null, day, day)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("phrase");
        assertThatThrownBy(() -> new Mention("today", null, day)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> new Mention("today", day, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("to");
    }

    @ParameterizedTest(name = "{0}..{1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2023-05-07 | 2023-05-07 | 7 May 2023
            2024-02-29 | 2024-02-29 | 29 February 2024
            2023-05-01 | 2023-05-31 | May 2023
            2024-02-01 | 2024-02-29 | February 2024
            2023-02-01 | 2023-02-28 | February 2023
            2023-12-01 | 2023-12-31 | December 2023
            2023-01-01 | 2023-12-31 | 2023
            2024-01-01 | 2024-12-31 | 2024
            2023-05-01 | 2023-05-07 | 1 May 2023 to 7 May 2023
            2024-02-01 | 2024-02-28 | 1 February 2024 to 28 February 2024
            2023-05-02 | 2023-05-31 | 2 May 2023 to 31 May 2023
            2022-12-26 | 2023-01-01 | 26 December 2022 to 1 January 2023
            2023-01-01 | 2023-01-31 | January 2023
            2023-01-01 | 2023-02-28 | 1 January 2023 to 28 February 2023
            2022-01-01 | 2023-12-31 | 1 January 2022 to 31 December 2023
            """)
    void rendersAPeriodInWords(LocalDate from, LocalDate to, String expected) {
        assertThat(RelativeDates.words(from, to)).isEqualTo(expected);
    }

    @Test
    void aMentionRendersItsPeriod() {
        assertThat(RelativeDates.resolve("a month ago", LocalDate.parse("2024-03-31")))
                .extracting(Mention::words).containsExactly("February 2024");
        assertThat(RelativeDates.resolve("yesterday and last year", LocalDate.parse("2024-03-01")))
                .extracting(Mention::words).containsExactly("29 February 2024", "2023");
    }

    @Test
    void wordsRejectsBadArguments() {
        assertThatThrownBy(() -> RelativeDates.words(MONDAY, MONDAY.minusDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelativeDates.words(null, MONDAY))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> RelativeDates.words(MONDAY, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("to");
    }

    /** The words phrases are made of, and some that are not, in any case: texts the pattern may or may not match. */
    private static final List<String> PIECES = List.of("the", "day", "before", "after", "yesterday", "tomorrow",
            "today", "tonight", "this", "morning", "afternoon", "evening", "last", "night", "next", "a", "few",
            "couple", "of", "days", "ago", "from", "now", "week", "weekend", "month", "months", "year", "years", "3",
            "twelve", "one", "monday", "Sunday", "FRIDAY", "TODAY", "Ago", "  ", "\t", "\n", "pottery", "class",
            "may", "sunny", "dayly", "snow", "know", "weekly", ",", ".", "'");

    /** The pieces, and whole phrases of up to five words. */
    private static final List<String> WORDS_AND_PHRASES = java.util.stream.Stream.concat(PIECES.stream(),
            java.util.stream.Stream.of("a couple of days ago", "the day before yesterday", "the day after tomorrow",
                    "3 days from now", "a few days ago", "twelve months from now", "a week ago", "last weekend",
                    "next Friday", "this morning", "last night", "two years ago")).toList();

    /**
     * Only the words around the anchors are searched, which must find what a search of the whole text finds: long
     * texts of phrase words and others, with runs of whitespace, in any case.
     */
    @Test
    void searchingAroundTheAnchorsFindsWhatTheWholeTextHolds() {
        org.quicktheories.QuickTheory.qt().withFixedSeed(Long.getLong("loci.seed", 12L)).withExamples(5_000)
                .forAll(org.quicktheories.generators.SourceDSL.lists()
                        .of(org.quicktheories.generators.Generate.pick(WORDS_AND_PHRASES)).ofSizeBetween(1, 60),
                        org.quicktheories.generators.SourceDSL.lists()
                        .of(org.quicktheories.generators.Generate.pick(List.of(" ", " ", "  ", "\n", " \t ")))
                        .ofSize(64))
                .checkAssert((pieces, gaps) -> {
                    // Every space, those inside a phrase too, becomes one of the gaps.
                    String joined = String.join(" ", pieces);
                    StringBuilder text = new StringBuilder();
                    int spaces = 0;
                    for (char c : joined.toCharArray()) {
                        text.append(c == ' ' ? gaps.get(spaces++ % gaps.size()) : String.valueOf(c));
                    }
                    java.util.regex.Matcher matcher = RelativeDates.PHRASE.matcher(text);
                    java.util.Set<String> whole = new java.util.LinkedHashSet<>();
                    while (matcher.find()) {
                        whole.add(matcher.group().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " "));
                    }
                    assertThat(RelativeDates.resolve(text.toString(), MONDAY).stream()
                            .map(RelativeDates.Mention::phrase).toList()).as("in '%s'", text)
                            .containsExactlyElementsOf(whole);
                });
    }

    /**
     * A text without any of {@link RelativeDates#ANCHORS} is not searched, which must never hide a phrase: whatever
     * the pattern matches holds one of them.
     */
    @Test
    void everyPhraseThePatternMatchesHoldsAnAnchor() {
        org.quicktheories.QuickTheory.qt().withFixedSeed(Long.getLong("loci.seed", 11L)).withExamples(20_000)
                .forAll(org.quicktheories.generators.SourceDSL.lists()
                        .of(org.quicktheories.generators.Generate.pick(PIECES)).ofSizeBetween(1, 8))
                .checkAssert(pieces -> {
                    String text = String.join(" ", pieces);
                    java.util.regex.Matcher matcher = RelativeDates.PHRASE.matcher(text);
                    while (matcher.find()) {
                        String phrase = matcher.group().toLowerCase(java.util.Locale.ROOT);
                        assertThat(RelativeDates.ANCHORS).as("'%s' in '%s'", phrase, text)
                                .anyMatch(phrase::contains);
                    }
                });
    }
}
