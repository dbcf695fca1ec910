package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.bench.perf.Measure.Fixed;
import dev.loci.bench.perf.Measure.Jmh;
import dev.loci.bench.perf.Measure.Run;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The case table holds the issue's comparisons and targets, in the right direction. */
class PerfCasesTest {
    private final List<PerfCase> all = PerfCases.all();

    private PerfCase named(String name) {
        return Objects.requireNonNull(PerfCases.named(all, name), name);
    }

    private static Run lociRun(PerfCase perfCase) {
        return ((Jmh) perfCase.loci()).run();
    }

    private static Run baselineRun(PerfCase perfCase) {
        return ((Jmh) Objects.requireNonNull(perfCase.baselineMeasure())).run();
    }

    @Test
    void namesAreUniqueAndCoverTheIssue() {
        assertThat(all).extracting(PerfCase::name).doesNotHaveDuplicates().contains(
                "read-hybrid-10k", "read-hybrid-100k", "read-hybrid-1m", "read-hybrid-100k-p99", "read-hybrid-1m-p99",
                "read-hybrid-100k-1000-scopes", "read-vs-inmemorystore-100k", "vector-recall-100k",
                "vector-recall-1m", "write-1-thread-p50", "write-2-threads-throughput", "write-8-threads-throughput",
                "ingest", "short-term-read-p99", "recovery-100k-10k", "consolidate");
    }

    @Test
    void hybridReadsCompareWithRawLuceneAtTheSameSize() {
        PerfCase p50 = named("read-hybrid-100k");
        assertThat(p50.unit()).isEqualTo("ms-p50");
        assertThat(p50.target()).isEqualTo(1.5);
        assertThat(p50.lowerIsBetter()).isTrue();
        assertThat(p50.baseline()).isEqualTo("raw-knn+bm25");
        assertThat(lociRun(p50).benchmark()).isEqualTo(PerfCases.LOCI_READ);
        assertThat(lociRun(p50).params()).containsEntry("size", "100000").containsEntry("scopes", "1");
        assertThat(baselineRun(p50).benchmark()).isEqualTo(PerfCases.RAW_HYBRID);
        assertThat(baselineRun(p50).params()).containsEntry("size", "100000");
        assertThat(named("read-hybrid-1m-p99").target()).isEqualTo(3.0);
        assertThat(named("read-hybrid-1m-p99").unit()).isEqualTo("ms-p99");
        assertThat(named("read-hybrid-10k").target()).isNull();
        assertThat(named("read-hybrid-10k").quick()).isTrue();
        assertThat(named("read-hybrid-100k").quick()).isFalse();
        assertThat(lociRun(named("read-hybrid-100k-1000-scopes")).params()).containsEntry("scopes", "1000");
    }

    @Test
    void targetsPointTheRightWay() {
        assertThat(named("read-vs-inmemorystore-100k").target()).isEqualTo(0.02); // 50 times faster
        assertThat(named("read-vs-inmemorystore-100k").lowerIsBetter()).isTrue();
        assertThat(named("write-1-thread-p50").target()).isEqualTo(1.3);
        assertThat(named("write-1-thread-p50").lowerIsBetter()).isTrue();
        assertThat(named("write-8-threads-throughput").target()).isEqualTo(0.8);
        assertThat(named("write-8-threads-throughput").lowerIsBetter()).isFalse();
        assertThat(lociRun(named("write-8-threads-throughput")).threads()).isEqualTo(8);
        assertThat(baselineRun(named("write-8-threads-throughput")).threads()).isEqualTo(1);
        assertThat(named("write-2-threads-throughput").target()).isNull();
        assertThat(named("ingest").target()).isEqualTo(0.85);
        assertThat(named("ingest").lowerIsBetter()).isFalse();
        assertThat(baselineRun(named("ingest")).benchmark()).isEqualTo(PerfCases.EMBED_BATCH);
        assertThat(baselineRun(named("ingest-vs-e5-batch-1")).benchmark()).isEqualTo(PerfCases.EMBED_ONE);
        assertThat(named("ingest-vs-e5-batch-1").target()).isNull();
        assertThat(named("vector-recall-1m").target()).isEqualTo(0.95);
        assertThat(named("vector-recall-1m").lowerIsBetter()).isFalse();
        assertThat(named("vector-recall-1m").baselineMeasure()).isEqualTo(new Fixed(1.0));
        assertThat(named("short-term-read-p99").baselineMeasure()).isEqualTo(new Fixed(100));
        assertThat(named("short-term-read-p99").unit()).isEqualTo("us-p99");
        assertThat(named("recovery-100k-10k").baselineMeasure()).isEqualTo(new Fixed(10));
        assertThat(named("consolidate").baseline()).isNull();
        assertThat(named("consolidate").target()).isNull();
    }

    @Test
    void labelsAreShort() {
        assertThat(PerfCases.label(10_000)).isEqualTo("10k");
        assertThat(PerfCases.label(1_000_000)).isEqualTo("1m");
        assertThat(PerfCases.label(500)).isEqualTo("500");
    }
}
