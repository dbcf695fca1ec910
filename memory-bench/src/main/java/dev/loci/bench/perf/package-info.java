/**
 * Performance: JMH benchmarks of Loci (reads by size and scopes, durable writes, short-term reads, consolidation,
 * recovery, ingest; {@link dev.loci.bench.perf.LociMemories} builds their memories) and of what Loci is built from
 * and compared with (plain Lucene, a raw journal append, the e5 embedder, an exact Vector API scan, LangChain4j's
 * in-memory store), over the deterministic {@link dev.loci.bench.perf.SyntheticData} they all share, so their numbers
 * divide.
 *
 * <p>Run one from the fat jar through JMH's own main class (the jar's main class is the command line):
 * <pre>{@code
 * java -cp memory-bench/target/memory-bench.jar org.openjdk.jmh.Main 'perf.RawLucene.*' -p size=10000
 * }</pre>
 * or all of issue 6's comparisons at once, as perf.json and a Markdown table ({@link dev.loci.bench.perf.PerfCommand}):
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -jar memory-bench/target/memory-bench.jar perf --quick --out perf.json
 * }</pre>
 * Every benchmark forks one JVM with {@code --add-modules jdk.incubator.vector} (Lucene's SIMD code and the exact
 * scan need it). The fork inherits the starting JVM's options, so {@code java -Xmx6g -Dloci.perf.dir=/fast/disk ...}
 * sets its heap and scratch directory; at {@code size=1000000} the vector-holding benchmarks need 2-3 GB of heap.
 */
@NullMarked
package dev.loci.bench.perf;

import org.jspecify.annotations.NullMarked;
