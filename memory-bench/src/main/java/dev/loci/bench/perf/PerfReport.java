package dev.loci.bench.perf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Shapes the results as perf.json and as a Markdown table for docs/benchmarks.md. Stateless. */
final class PerfReport {
    static final String RATIO_IS = "loci / baselineValue";
    static final String TARGET_IS = "a bound on ratio: ratio <= target if lowerIsBetter, ratio >= target otherwise;"
            + " null where the issue sets none";

    private PerfReport() {
    }

    /**
     * {@code {"machine": {...}, "ratioIs": ..., "targetIs": ..., "quick": ..., "cases": [{"name", "unit", "loci",
     * "baseline", "baselineValue", "ratio", "target", "lowerIsBetter"[, "note"]}, ...]}}; every key of a case is
     * present (null when it has no value) except {@code note}, which is there only when there is something to say.
     */
    static ObjectNode json(ObjectNode machine, boolean quick, List<CaseResult> results) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("machine", machine);
        root.put("ratioIs", RATIO_IS);
        root.put("targetIs", TARGET_IS);
        root.put("quick", quick);
        ArrayNode cases = root.putArray("cases");
        for (CaseResult result : results) {
            ObjectNode c = cases.addObject();
            c.put("name", result.name());
            c.put("unit", result.unit());
            c.put("loci", result.loci());
            c.put("baseline", result.baseline());
            c.put("baselineValue", result.baselineValue());
            c.put("ratio", result.ratio());
            c.put("target", result.target());
            c.put("lowerIsBetter", result.lowerIsBetter());
            if (result.note() != null) {
                c.put("note", result.note());
            }
        }
        return root;
    }

    /** A Markdown table of the results, one row a case. */
    static String markdown(List<CaseResult> results) {
        StringBuilder table = new StringBuilder();
        table.append("| case | unit | Loci | baseline | baseline value | ratio | target | met? | note |\n");
        table.append("|---|---|---:|---|---:|---:|---:|---|---|\n");
        for (CaseResult r : results) {
            Boolean met = r.met();
            table.append("| ").append(r.name())
                    .append(" | ").append(r.unit())
                    .append(" | ").append(number(r.loci()))
                    .append(" | ").append(r.baseline() == null ? "—" : r.baseline())
                    .append(" | ").append(number(r.baselineValue()))
                    .append(" | ").append(number(r.ratio()))
                    .append(" | ").append(r.target() == null ? "—" : (r.lowerIsBetter() ? "≤ " : "≥ ")
                            + number(r.target()))
                    .append(" | ").append(met == null ? "—" : met ? "yes" : "**no**")
                    .append(" | ").append(r.note() == null ? "" : r.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** About three significant digits; exponent form only below 0.001. */
    static String number(@Nullable Double value) {
        if (value == null) {
            return "—";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (abs >= 0.001) {
            return String.format(Locale.ROOT, "%.4f", value).replaceFirst("0+$", "");
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
