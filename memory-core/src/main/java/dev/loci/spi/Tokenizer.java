package dev.loci.spi;

import java.util.regex.Pattern;

/**
 * Counts the tokens of a text, for reads packed to a {@linkplain dev.loci.Query#budget(int) budget}. Replace it with
 * your LLM's tokenizer to pack to its context window exactly. Implementations must be thread-safe and return at
 * least 1 for a non-blank text.
 */
@FunctionalInterface
public interface Tokenizer {
    /** The number of tokens of a non-blank text. */
    int count(String text);

    /** The default: words, i.e. runs of non-whitespace characters. */
    static Tokenizer words() {
        return Words.INSTANCE;
    }

    /** The word counter behind {@link #words()}. */
    final class Words implements Tokenizer {
        private static final Words INSTANCE = new Words();
        private static final Pattern WORD = Pattern.compile("\\S+");

        private Words() {
        }

        @Override
        public int count(String text) {
            return (int) WORD.matcher(text).results().count();
        }

        @Override
        public String toString() {
            return "Tokenizer.words()";
        }
    }
}
