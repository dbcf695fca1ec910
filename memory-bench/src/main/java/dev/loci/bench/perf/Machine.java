package dev.loci.bench.perf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What perf.json says about the machine and the run: the numbers only mean something next to it. Stateless; reading
 * {@code /proc/cpuinfo} and asking git block briefly.
 */
final class Machine {
    static final String LOAD_NOTE = "the 1-minute load average when the run started and when it ended (null where"
            + " the OS does not report it); these machines are shared, and a load above the core count means other"
            + " work competed with the benchmarks";

    private Machine() {
    }

    /** The 1-minute system load average, or null where the OS does not report it. */
    static @Nullable Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : load;
    }

    /**
     * {@code os, arch, cpu, cores, maxHeapBytes, totalMemoryBytes, javaVersion, javaVendor, jvmArgs, load {start,
     * end, note}, date, commit}; {@code cpu}, {@code totalMemoryBytes} and {@code commit} are null when unknown.
     */
    static ObjectNode describe(Instant date, @Nullable Double loadAtStart, @Nullable Double loadAtEnd) {
        ObjectNode machine = JsonNodeFactory.instance.objectNode();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("cpu", cpuModel(Path.of("/proc/cpuinfo")));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("totalMemoryBytes", totalMemory());
        machine.put("javaVersion", Runtime.version().toString());
        machine.put("javaVendor", System.getProperty("java.vendor"));
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        jvmArgs.forEach(machine.putArray("jvmArgs")::add);
        ObjectNode load = machine.putObject("load");
        load.put("start", loadAtStart);
        load.put("end", loadAtEnd);
        load.put("note", LOAD_NOTE);
        machine.put("date", date.toString());
        machine.put("commit", gitCommit());
        return machine;
    }

    /** The first {@code model name} of a cpuinfo file, or null. */
    static @Nullable String cpuModel(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable Long totalMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return null;
    }

    /** {@code git rev-parse HEAD} in the working directory, or null if that does not work within 5 s. */
    private static @Nullable String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            git.getOutputStream().close();
            byte[] output = git.getInputStream().readNBytes(4096);
            if (!git.waitFor(5, TimeUnit.SECONDS)) {
                git.destroy();
                return null;
            }
            String commit = new String(output, StandardCharsets.UTF_8).strip();
            return git.exitValue() == 0 && commit.matches("[0-9a-f]{40}") ? commit : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
