package dev.loci.bench.perf;

import java.util.Locale;

/**
 * The unit a case reports a number in, and the conversion from JMH's score units ({@code us/op}, {@code ops/s} and
 * so on: a time unit among {@code ns us ms s min hr day}). A time per operation converts only to a time, a rate only
 * to a rate; anything else is refused with a message naming both units.
 */
enum Scale {
    MICROS(false, 1e-6),
    MILLIS(false, 1e-3),
    SECONDS(false, 1),
    PER_SECOND(true, 1);

    private final boolean rate;
    private final double seconds;

    Scale(boolean rate, double seconds) {
        this.rate = rate;
        this.seconds = seconds;
    }

    /**
     * @throws IllegalArgumentException if {@code jmhUnit} is not a JMH unit or is of the other kind
     */
    double convert(double value, String jmhUnit) {
        if (jmhUnit.startsWith("ops/")) {
            double perSecond = value / seconds(jmhUnit.substring("ops/".length()), jmhUnit);
            if (!rate) {
                throw new IllegalArgumentException("the benchmark reports a rate (" + jmhUnit
                        + "), the case needs a time");
            }
            return perSecond;
        }
        if (jmhUnit.endsWith("/op")) {
            double inSeconds = value * seconds(jmhUnit.substring(0, jmhUnit.length() - "/op".length()), jmhUnit);
            if (rate) {
                throw new IllegalArgumentException("the benchmark reports a time (" + jmhUnit
                        + "), the case needs a rate");
            }
            return inSeconds / seconds;
        }
        throw new IllegalArgumentException("unknown JMH unit \"" + jmhUnit + "\"");
    }

    private static double seconds(String timeUnit, String jmhUnit) {
        return switch (timeUnit.toLowerCase(Locale.ROOT)) {
            case "ns" -> 1e-9;
            case "us", "µs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86_400;
            default -> throw new IllegalArgumentException("unknown time unit in JMH unit \"" + jmhUnit + "\"");
        };
    }
}
