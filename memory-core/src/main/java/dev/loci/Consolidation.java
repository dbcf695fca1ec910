package dev.loci;

/**
 * What a {@link Memory#consolidate} or a scheduler tick did.
 *
 * @param promoted records moved from short-term to long-term memory
 * @param faded    short-term records the policy let fade (archived)
 */
public record Consolidation(int promoted, int faded) {
    public static final Consolidation NONE = new Consolidation(0, 0);

    public Consolidation plus(Consolidation other) {
        return new Consolidation(promoted + other.promoted, faded + other.faded);
    }
}
