package dev.loci.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repairs LoCoMo evidence strings the way the baseline harness does: split each string on {@code ;}, {@code ,} and
 * whitespace; read {@code "D:11:26"} as {@code "D11:26"}; drop leading zeros of the session and turn numbers
 * ({@code "D30:05"} is {@code "D30:5"}); drop what is still not an id ({@code "D"}) and ids that are not turns of the
 * conversation; keep each id once, in first-seen order. Stateless.
 */
final class EvidenceRepair {
    private static final Pattern SEPARATORS = Pattern.compile("[;,\\s]+");
    private static final Pattern ID = Pattern.compile("D:?(\\d{1,6}):(\\d{1,6})");

    private EvidenceRepair() {
    }

    /**
     * @param raw   the evidence strings as the data gives them
     * @param turns the dia_ids of the conversation's turns
     * @return the usable evidence ids; empty if none is left
     */
    static List<String> repair(List<String> raw, Set<String> turns) {
        Set<String> ids = new LinkedHashSet<>();
        for (String entry : raw) {
            for (String token : SEPARATORS.split(entry.strip())) {
                Matcher m = ID.matcher(token);
                if (m.matches()) {
                    String id = "D" + Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
                    if (turns.contains(id)) {
                        ids.add(id);
                    }
                }
            }
        }
        return new ArrayList<>(ids);
    }
}
