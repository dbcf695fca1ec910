package dev.loci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a memory is. The built-in kinds are constants; a user may define more with {@link #of(String)}
 * (upper-case letters, digits and underscores, at most 64 characters). Immutable.
 */
public record Kind(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    public static final Kind MESSAGE = new Kind("MESSAGE");
    public static final Kind EPISODE = new Kind("EPISODE");
    public static final Kind FACT = new Kind("FACT");
    public static final Kind PREFERENCE = new Kind("PREFERENCE");
    public static final Kind PROCEDURE = new Kind("PROCEDURE");
    public static final Kind PROFILE = new Kind("PROFILE");
    public static final Kind SUMMARY = new Kind("SUMMARY");
    public static final Kind RESOURCE = new Kind("RESOURCE");

    public Kind {
        Objects.requireNonNull(name, "kind name must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("kind name '" + name
                    + "' must be upper-case letters, digits and underscores, starting with a letter, at most 64 long");
        }
    }

    @JsonCreator
    public static Kind of(String name) {
        return new Kind(name);
    }

    @JsonValue
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
