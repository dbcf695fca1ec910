package dev.loci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a memory belongs to: a user (required), optionally the agent and the session within that user.
 *
 * <p>Two relations matter:
 * <ul>
 *   <li>{@link #contains(Scope)}: every part this scope names is equal in the other. {@code forget} and
 *       {@code history} act on the records a scope contains, so {@code alice.userOnly()} covers all of Alice.</li>
 *   <li>{@link #sees(Scope)}: what {@code read} returns. A read sees the records of the same user; if it names an
 *       agent, records of other agents are hidden (records with no agent are shared by all of the user's agents).
 *       The session never narrows a read: long-term memory is what carries across sessions.</li>
 * </ul>
 * Immutable and thread-safe.
 *
 * @param user    the user id, not blank, at most {@value #MAX_PART_LENGTH} characters, no control characters, valid
 *                Unicode (no unpaired surrogate); any other character is fine, {@code /} and {@code ..} included: no
 *                part of a scope ever becomes part of a file name
 * @param agent   the agent id, or null; checked like the user id
 * @param session the session id, or null; checked like the user id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scope(String user, @Nullable String agent, @Nullable String session) {
    /** The longest user, agent or session id accepted. */
    public static final int MAX_PART_LENGTH = 256;

    public Scope {
        checkPart("user", user);
        if (agent != null) {
            checkPart("agent", agent);
        }
        if (session != null) {
            checkPart("session", session);
        }
    }

    /** The scope of one user, no agent, no session. */
    public static Scope user(String user) {
        return new Scope(user, null, null);
    }

    /** This scope narrowed to an agent. */
    public Scope agent(String agent) {
        return new Scope(user, agent, session);
    }

    /** This scope narrowed to a session. */
    public Scope session(String session) {
        return new Scope(user, agent, session);
    }

    /** The scope of this scope's user alone: covers every agent and session of the user. */
    public Scope userOnly() {
        return user(user);
    }

    /** True if every part this scope names is equal in {@code other}. */
    public boolean contains(Scope other) {
        return user.equals(other.user)
                && (agent == null || agent.equals(other.agent))
                && (session == null || session.equals(other.session));
    }

    /** True if a read in this scope may return a record of scope {@code recordScope}. */
    public boolean sees(Scope recordScope) {
        return user.equals(recordScope.user)
                && (agent == null || recordScope.agent == null || agent.equals(recordScope.agent));
    }

    @Override
    public String toString() {
        return user + (agent == null ? "" : "/" + agent) + (session == null ? "" : "#" + session);
    }

    private static void checkPart(String name, @Nullable String value) {
        Objects.requireNonNull(value, () -> "scope " + name + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("scope " + name + " must not be blank");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("scope " + name + " is " + value.length()
                    + " characters long; the limit is " + MAX_PART_LENGTH);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("scope " + name + " must not contain control characters");
        }
        Checks.validUnicode("scope " + name, value);
    }
}
