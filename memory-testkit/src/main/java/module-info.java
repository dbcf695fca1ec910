/**
 * Loci test kit: what users' own tests need — a fake clock, a deterministic embedder, the exact reference store,
 * contract suites for stores, and the stateful model-test harness.
 */
module dev.loci.testkit {
    requires transitive dev.loci.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires static org.jspecify;

    exports dev.loci.testkit;
    exports dev.loci.testkit.stateful;
}
